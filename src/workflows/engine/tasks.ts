import type { Core } from './core.ts';
import { snapshot } from './core.ts';
import { WorkflowError } from './errors.ts';
import { appendEvent } from './events.ts';
import type { Actor } from './identity.ts';
import { type SessionRow, type TaskRow, phaseByNumber } from './rows.ts';

const LEASE_ACTOR: Actor = { agent: 'praxis-mcp', client: 'praxis-mcp', transport: 'lease' };

/** Tasks whose phase is open and whose dependencies are all done or skipped become ready; `onlyDependentsOf` narrows the scan. */
export function refreshReadiness(core: Core, session: SessionRow, onlyDependentsOf?: string): void {
  const base = `UPDATE wf_tasks SET status = 'ready', version = version + 1
    WHERE session_id = ?1 AND status = 'blocked' AND phase_position <= ?2
    AND NOT EXISTS (SELECT 1 FROM wf_task_deps d JOIN wf_tasks t2 ON t2.session_id = d.session_id AND t2.id = d.depends_on
      WHERE d.session_id = ?1 AND d.task_id = wf_tasks.id AND t2.status NOT IN ('done', 'skipped'))`;
  if (onlyDependentsOf === undefined) core.run(base, session.id, session.current_phase);
  else if (core.get('SELECT 1 AS x FROM wf_task_deps INDEXED BY wf_task_deps_reverse WHERE session_id = ? AND depends_on = ? LIMIT 1', session.id, onlyDependentsOf)) core.run(`${base} AND id IN (SELECT task_id FROM wf_task_deps WHERE session_id = ?1 AND depends_on = ?3)`, session.id, session.current_phase, onlyDependentsOf);
}

/** Claims whose lease ran out return to ready, each with an event naming the agent that held it. */
export function expireLeases(core: Core, sessionId: string): void {
  const now = core.now();
  // RETURNING would give the values after the update: read the holders first (same transaction).
  const expired = core.all<{ id: string; claimed_by: string; lease_until: number }>(
    "SELECT id, claimed_by, lease_until FROM wf_tasks INDEXED BY wf_tasks_by_status WHERE session_id = ? AND status = 'claimed' AND lease_until < ?",
    sessionId,
    now,
  );
  if (expired.length === 0) return;
  core.run(
    `UPDATE wf_tasks INDEXED BY wf_tasks_by_status SET status = 'ready', claimed_by = NULL, lease_until = NULL, version = version + 1
     WHERE session_id = ? AND status = 'claimed' AND lease_until < ?`,
    sessionId,
    now,
  );
  for (const t of expired) {
    appendEvent(core, LEASE_ACTOR, {
      sessionId,
      action: 'lease_expired',
      ok: true,
      taskId: t.id,
      result: { task_id: t.id, held_by: t.claimed_by, lease_until: new Date(t.lease_until).toISOString(), status: 'ready' },
    });
  }
}

export function loadTask(core: Core, session: SessionRow, taskId: string | undefined, phase?: number, taskNumber?: number): TaskRow {
  let row: TaskRow | undefined;
  if (taskId) row = core.get<TaskRow>('SELECT * FROM wf_tasks WHERE session_id = ? AND id = ?', session.id, taskId);
  else if (taskNumber !== undefined) {
    const p = phaseByNumber(core, session, phase);
    row = core.get<TaskRow>('SELECT * FROM wf_tasks WHERE session_id = ? AND phase_position = ? AND number = ?', session.id, p.position, taskNumber);
  } else throw new WorkflowError('missing_argument', 'task_id (or phase and task_number) is required', 'Pass task_id, e.g. "1.2"; get_phase lists the tasks.');
  if (!row) throw new WorkflowError('task_not_found', `Session ${session.id} has no task ${taskId ?? `${phase}.${taskNumber}`}`, 'Call get_phase to list the tasks of a phase.');
  return row;
}

/** Dependencies of a task that are not done yet. */
export function openDependencies(core: Core, sessionId: string, taskId: string): string[] {
  return core
    .all<{ id: string }>(
      `SELECT t.id FROM wf_task_deps d JOIN wf_tasks t ON t.session_id = d.session_id AND t.id = d.depends_on
       WHERE d.session_id = ? AND d.task_id = ? AND t.status NOT IN ('done', 'skipped') ORDER BY t.seq`,
      sessionId,
      taskId,
    )
    .map((r) => r.id);
}

export const leaseIso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function claimRow(core: Core, session: SessionRow, task: TaskRow, actor: Actor, leaseMs: number): Record<string, unknown> {
  const until = core.now() + leaseMs;
  const n = core.run(
    `UPDATE wf_tasks SET status = 'claimed', claimed_by = ?, lease_until = ?, claims = claims + 1, version = version + 1
     WHERE session_id = ? AND id = ? AND status = 'ready' AND version = ?`,
    actor.agent,
    until,
    session.id,
    task.id,
    task.version,
  );
  if (n !== 1) throw new WorkflowError('conflict', `Task ${task.id} changed while it was being claimed`, 'Retry the claim.');
  return { task_id: task.id, name: task.name, phase_position: task.phase_position, claimed_by: actor.agent, lease_until: leaseIso(until) };
}

function notReady(core: Core, session: SessionRow, task: TaskRow): WorkflowError {
  switch (task.status) {
    case 'claimed':
      return new WorkflowError('already_claimed', `Task ${task.id} is claimed by ${task.claimed_by} until ${leaseIso(task.lease_until)}`,
        'Pick another task (claim_next picks a ready one), or wait for the lease to end.', { holder: task.claimed_by, lease_until: leaseIso(task.lease_until) });
    case 'done':
    case 'skipped':
      return new WorkflowError('task_done', `Task ${task.id} is already ${task.status} (by ${task.completed_by})`, 'Pick another task: claim_next picks a ready one.');
    default: {
      if (task.phase_position > session.current_phase) {
        return new WorkflowError('phase_not_open', `Task ${task.id} belongs to a phase that is not open yet`, 'Complete the current phase first (complete_phase).');
      }
      const deps = openDependencies(core, session.id, task.id);
      return new WorkflowError('task_blocked', `Task ${task.id} waits for ${deps.join(', ')}`, 'Complete its dependencies first, or claim_next for a ready task.', { waiting_for: deps });
    }
  }
}

export function claimTask(core: Core, session: SessionRow, task: TaskRow, actor: Actor, leaseMs: number): Record<string, unknown> {
  if (task.status === 'claimed' && task.claimed_by === actor.agent) {
    // Claiming one's own task again renews the lease: the same answer as the first claim.
    const until = core.now() + leaseMs;
    core.run('UPDATE wf_tasks SET lease_until = ?, version = version + 1 WHERE session_id = ? AND id = ? AND version = ?', until, session.id, task.id, task.version);
    return { task_id: task.id, name: task.name, claimed_by: actor.agent, lease_until: leaseIso(until), renewed: true };
  }
  if (task.status !== 'ready') throw notReady(core, session, task);
  return claimRow(core, session, task, actor, leaseMs);
}

/** The first ready task (in definition order), claimed in the same transaction; null when none is ready. */
export function claimNext(core: Core, session: SessionRow, actor: Actor, leaseMs: number): Record<string, unknown> | null {
  const task = core.get<TaskRow>("SELECT * FROM wf_tasks WHERE session_id = ? AND status = 'ready' ORDER BY seq LIMIT 1", session.id);
  if (!task) return null;
  return claimRow(core, session, task, actor, leaseMs);
}

function requireHolder(task: TaskRow, actor: Actor): void {
  if (task.status === 'claimed' && task.claimed_by === actor.agent) return;
  const held = task.status === 'claimed' ? `claimed by ${task.claimed_by}` : `not claimed (status ${task.status})`;
  throw new WorkflowError('not_claimed_by_you', `Task ${task.id} is ${held}; you are ${actor.agent}`,
    task.status === 'ready' ? 'Claim it first (claim_task), then complete or release it.' : 'Only the agent holding the claim may complete or release it; pass the same agent_id you claimed with.',
    { holder: task.claimed_by, status: task.status });
}

export function completeTask(core: Core, session: SessionRow, task: TaskRow, actor: Actor, result: unknown, skipped: boolean): Record<string, unknown> {
  requireHolder(task, actor);
  const status = skipped ? 'skipped' : 'done';
  const n = core.run(
    `UPDATE wf_tasks SET status = ?, claimed_by = NULL, lease_until = NULL, result_json = ?, completed_at = ?, completed_by = ?, version = version + 1
     WHERE session_id = ? AND id = ? AND status = 'claimed' AND claimed_by = ? AND version = ?`,
    status,
    snapshot(result, core.snapshotBytes),
    core.now(),
    actor.agent,
    session.id,
    task.id,
    actor.agent,
    task.version,
  );
  if (n !== 1) throw new WorkflowError('conflict', `Task ${task.id} changed while it was being completed`, 'Retry.');
  refreshReadiness(core, session, task.id);
  return { task_id: task.id, name: task.name, task_status: status };
}

export function releaseTask(core: Core, session: SessionRow, task: TaskRow, actor: Actor): Record<string, unknown> {
  requireHolder(task, actor);
  core.run(
    `UPDATE wf_tasks SET status = 'ready', claimed_by = NULL, lease_until = NULL, version = version + 1
     WHERE session_id = ? AND id = ? AND claimed_by = ? AND version = ?`,
    session.id,
    task.id,
    actor.agent,
    task.version,
  );
  return { task_id: task.id, task_status: 'ready' };
}

/** Renews the caller's claims in the session (or one of them). */
export function heartbeat(core: Core, session: SessionRow, actor: Actor, leaseMs: number, taskId?: string): Record<string, unknown> {
  const until = core.now() + leaseMs;
  const renewed = taskId
    ? core.all<{ id: string }>(
        "UPDATE wf_tasks SET lease_until = ?, version = version + 1 WHERE session_id = ? AND id = ? AND status = 'claimed' AND claimed_by = ? RETURNING id",
        until, session.id, taskId, actor.agent)
    : core.all<{ id: string }>(
        "UPDATE wf_tasks SET lease_until = ?, version = version + 1 WHERE session_id = ? AND status = 'claimed' AND claimed_by = ? RETURNING id",
        until, session.id, actor.agent);
  if (taskId && renewed.length === 0) {
    const task = loadTask(core, session, taskId);
    requireHolder(task, actor);
  }
  return { renewed: renewed.map((r) => r.id), lease_until: leaseIso(until) };
}

/** Adds a task to a phase (the current one by default); its id is "<phase>.<next number>". */
export function addTask(
  core: Core,
  session: SessionRow,
  phaseNumber: number | undefined,
  name: string | undefined,
  purpose: string,
  dependsOn: string[],
  acceptance: string[],
): Record<string, unknown> {
  if (!name || !name.trim()) throw new WorkflowError('missing_argument', 'add_task needs a name', 'Pass name (and optionally description, depends_on, acceptance_criteria, phase).');
  const phase = phaseByNumber(core, session, phaseNumber);
  if (phase.status === 'completed') throw new WorkflowError('phase_completed', `Phase ${phase.number} is already complete`, 'Add the task to an open phase, or reopen this one with retry_phase.');
  for (const dep of dependsOn) {
    if (!core.get('SELECT 1 AS x FROM wf_tasks WHERE session_id = ? AND id = ?', session.id, dep)) {
      throw new WorkflowError('task_not_found', `depends_on names ${dep}, which is not a task of this session`, 'Use task ids from get_phase or get_state.');
    }
  }
  const next = core.get<{ n: number | null; s: number | null }>(
    'SELECT max(number) AS n, (SELECT max(seq) FROM wf_tasks WHERE session_id = ?1) AS s FROM wf_tasks WHERE session_id = ?1 AND phase_position = ?2',
    session.id,
    phase.position,
  )!;
  const number = (next.n ?? 0) + 1;
  const id = `${phase.number}.${number}`;
  core.run(
    `INSERT INTO wf_tasks (session_id, id, seq, phase_position, number, name, file, purpose, acceptance_json, status)
     VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, 'blocked')`,
    session.id, id, (next.s ?? 0) + 1, phase.position, number, name.trim(), purpose, JSON.stringify(acceptance),
  );
  for (const dep of dependsOn) core.run('INSERT INTO wf_task_deps (session_id, task_id, depends_on) VALUES (?, ?, ?)', session.id, id, dep);
  refreshReadiness(core, session);
  const status = core.get<{ status: string }>('SELECT status FROM wf_tasks WHERE session_id = ? AND id = ?', session.id, id)!.status;
  return { task_id: id, phase: phase.number, task_status: status };
}
