import { readFileSync, realpathSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Core } from './core.ts';
import { type PhaseRow, type SessionRow, type TaskRow, phasesOf } from './rows.ts';
import { gateOf } from './phases.ts';
import { leaseIso, openDependencies } from './tasks.ts';

/** Task counts of one phase, by status. */
function counts(core: Core, sessionId: string, position: number): Record<string, number> {
  const out: Record<string, number> = { done: 0, claimed: 0, ready: 0, blocked: 0, skipped: 0 };
  for (const r of core.all<{ status: string; n: number }>(
    'SELECT status, n FROM wf_task_counts WHERE session_id = ? AND phase_position = ?',
    sessionId,
    position,
  )) out[r.status] = r.n;
  return out;
}

/**
 * The short status every answer carries (for clients that show no resources): the phase x of y,
 * the current phase's tasks by status, and the claims the caller holds.
 */
export function digest(core: Core, session: SessionRow, agent: string): Record<string, unknown> {
  const position = Math.min(session.current_phase, session.phase_count - 1);
  const phase = core.get<{ number: number; name: string }>('SELECT number, name FROM wf_phases WHERE session_id = ? AND position = ?', session.id, position);
  const c = position >= 0 ? counts(core, session.id, position) : { done: 0, claimed: 0, ready: 0, blocked: 0, skipped: 0 };
  const mine = core
    .all<{ id: string }>("SELECT id FROM wf_tasks WHERE session_id = ? AND status = 'claimed' AND claimed_by = ? ORDER BY seq LIMIT 20", session.id, agent)
    .map((r) => r.id);
  const done = session.status === 'completed';
  const text =
    `${session.workflow_type} ${session.status}: ` +
    (done ? `all ${session.phase_count} phases complete` : `phase ${position + 1}/${session.phase_count}${phase ? ` (${phase.number} ${phase.name})` : ''}`) +
    ` · tasks ${c.done! + c.skipped!} done, ${c.claimed} claimed, ${c.ready} ready${c.blocked ? `, ${c.blocked} blocked` : ''}` +
    ` · you (${agent}) hold ${mine.length ? mine.join(', ') : 'nothing'}`;
  return {
    session_id: session.id,
    text,
    status: session.status,
    phase: done ? null : { position: position + 1, of: session.phase_count, number: phase?.number ?? null, name: phase?.name ?? null },
    tasks: c,
    your_claims: mine,
  };
}

export function sessionSummary(s: SessionRow): Record<string, unknown> {
  return {
    session_id: s.id,
    workflow_type: s.workflow_type,
    target_file: s.target,
    status: s.status,
    current_phase: s.current_phase + 1,
    phase_count: s.phase_count,
    created_at: new Date(s.created_at).toISOString(),
    updated_at: new Date(s.updated_at).toISOString(),
    created_by: s.created_by,
  };
}

export function gateSummary(phase: PhaseRow): Record<string, unknown> | null {
  const gate = gateOf(phase);
  if (!gate) return null;
  return {
    mode: gate.strict ? 'strict' : 'advisory',
    evidence_schema: gate.evidenceSchema,
    checks: gate.checks,
    ...(gate.approval === 'required' && { approval: 'required' }),
    ...(gate.notEnforced.length > 0 && { not_enforced: gate.notEnforced }),
  };
}

export function taskBrief(t: TaskRow): Record<string, unknown> {
  return {
    task_id: t.id,
    name: t.name,
    status: t.status,
    ...(t.claimed_by && { claimed_by: t.claimed_by, lease_until: leaseIso(t.lease_until) }),
    ...(t.completed_by && { completed_by: t.completed_by }),
  };
}

/** A session's state: each phase with its status and task counts, the claims, the current phase. */
export function stateView(core: Core, session: SessionRow): Record<string, unknown> {
  const phases = phasesOf(core, session.id).map((p) => ({
    phase: p.number,
    name: p.name,
    status: p.status,
    tasks: counts(core, session.id, p.position),
    ...(p.completed_by && { completed_by: p.completed_by, completed_at: new Date(p.completed_at!).toISOString() }),
    ...(p.gate_json && { gate: gateOf(p)!.strict ? 'strict' : 'advisory' }),
  }));
  const claims = core
    .all<TaskRow>("SELECT * FROM wf_tasks WHERE session_id = ? AND status = 'claimed' ORDER BY seq LIMIT 100", session.id)
    .map((t) => ({ task_id: t.id, claimed_by: t.claimed_by, lease_until: leaseIso(t.lease_until), expired: (t.lease_until ?? 0) < core.now() }));
  return { session: sessionSummary(session), phases, claims };
}

/** Reads a file of the workflow folder, confined to it (a link pointing outside is refused). */
export function readDefinitionFile(dir: string, file: string | null): string | null {
  if (!file) return null;
  try {
    const base = realpathSync(dir);
    const full = realpathSync(resolve(base, file));
    const rel = relative(base, full);
    if (rel.startsWith('..') || rel.startsWith(sep) || rel === '') return null;
    return readFileSync(join(base, rel), 'utf8');
  } catch {
    return null;
  }
}

export function phaseView(core: Core, session: SessionRow, phase: PhaseRow, includeTasks = true): Record<string, unknown> {
  const tasks = includeTasks
    ? core.all<TaskRow>('SELECT * FROM wf_tasks WHERE session_id = ? AND phase_position = ? ORDER BY seq LIMIT 200', session.id, phase.position).map(taskBrief)
    : undefined;
  return {
    phase: phase.number,
    name: phase.name,
    purpose: phase.purpose,
    phase_status: phase.status,
    position: phase.position + 1,
    of: session.phase_count,
    overview: readDefinitionFile(session.definition_dir, phase.overview_file),
    gate: gateSummary(phase),
    ...(tasks && { tasks }),
    task_counts: counts(core, session.id, phase.position),
  };
}

export function taskView(core: Core, session: SessionRow, task: TaskRow): Record<string, unknown> {
  const deps = core.all<{ depends_on: string }>('SELECT depends_on FROM wf_task_deps WHERE session_id = ? AND task_id = ?', session.id, task.id).map((r) => r.depends_on);
  const phase = core.get<{ number: number }>('SELECT number FROM wf_phases WHERE session_id = ? AND position = ?', session.id, task.phase_position)!;
  return {
    ...taskBrief(task),
    phase: phase.number,
    number: task.number,
    purpose: task.purpose,
    depends_on: deps,
    waiting_for: task.status === 'blocked' ? openDependencies(core, session.id, task.id) : [],
    acceptance_criteria: JSON.parse(task.acceptance_json),
    content: readDefinitionFile(session.definition_dir, task.file),
    ...(task.result_json && { result: JSON.parse(task.result_json) }),
  };
}
