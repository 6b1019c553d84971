import { randomUUID } from 'node:crypto';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { PhaseDef, WorkflowDefinition } from '../types.ts';
import type { Core } from './core.ts';
import { WorkflowError } from './errors.ts';
import { appendEvent } from './events.ts';
import type { Actor } from './identity.ts';
import type { SessionRow } from './rows.ts';
import { refreshReadiness } from './tasks.ts';

const RETENTION_ACTOR: Actor = { agent: 'praxis-mcp', client: 'praxis-mcp', transport: 'retention' };

/** The target as a project-relative path (resolved against the project root, never the working directory). */
export function normalizeTarget(root: string, target: string | undefined): string {
  if (!target || !target.trim()) {
    throw new WorkflowError('missing_argument', 'start needs target_file', 'Pass target_file: the file or folder the session works on, relative to the project root.');
  }
  const abs = resolve(root, target.trim());
  const rel = relative(root, abs);
  if (rel === '') return '.';
  if (rel.startsWith('..') || isAbsolute(rel)) {
    throw new WorkflowError('path_outside_project', `target_file ${target} is outside the project (${root})`, 'Name a path inside the project, relative to its root.');
  }
  return rel.split(sep).join('/');
}

/** The definition, or an error listing the known workflow types (never an invented workflow). */
export function requireDefinition(core: Core, type: string | undefined): WorkflowDefinition {
  const set = core.defs.definitions();
  const known = [...set.definitions.keys()].sort();
  if (!type) throw new WorkflowError('missing_argument', 'workflow_type is required', `Known workflow types: ${known.join(', ') || 'none'}.`, { known_workflows: known });
  const def = set.definitions.get(type);
  if (!def) {
    const broken = set.errors.find((e) => e.dir.split(/[\\/]/).pop() === type);
    throw new WorkflowError(
      'unknown_workflow',
      broken ? `Workflow ${type} failed to load: ${broken.message}` : `No workflow named ${type}`,
      `Known workflow types: ${known.join(', ') || 'none (add one under .praxis-os/workflows/)'}.`,
      { known_workflows: known },
    );
  }
  return def;
}

/** Archives sessions untouched for the retention period (their rows and events stay). */
export function archiveStale(core: Core): string[] {
  const cutoff = core.now() - core.retentionMs;
  const stale = core.all<{ id: string; status: string }>(
    "UPDATE wf_sessions SET status_before_archive = status, status = 'archived', version = version + 1 WHERE status IN ('active', 'paused', 'completed', 'deleted') AND updated_at < ? RETURNING id, status_before_archive AS status",
    cutoff,
  );
  // Stored answers to request ids are for retries, not the record (the events are): old ones go.
  core.run('DELETE FROM wf_requests WHERE at < ?', cutoff);
  for (const s of stale) {
    appendEvent(core, RETENTION_ACTOR, { sessionId: s.id, action: 'archive', ok: true, result: { archived: true, was: s.status, retention_days: core.retentionMs / 86_400_000 } });
  }
  return stale.map((s) => s.id);
}

/** Sessions of the same workflow on the same target that are still open. */
export function openSessionsOn(core: Core, type: string, target: string): { id: string; created_by: string; status: string }[] {
  return core.all("SELECT id, created_by, status FROM wf_sessions WHERE workflow_type = ? AND target = ? AND status IN ('active', 'paused') ORDER BY created_at", type, target);
}

/** Creates the session's rows: the pinned definition hash, its phases (first one active), its tasks and dependencies. */
export function createSession(
  core: Core,
  def: WorkflowDefinition,
  phases: PhaseDef[],
  target: string,
  options: Record<string, unknown>,
  gitBase: string | null,
  actor: Actor,
): SessionRow {
  const id = randomUUID();
  const now = core.now();
  core.run(
    `INSERT INTO wf_sessions (id, workflow_type, target, definition_hash, definition_dir, status, current_phase, phase_count, options_json, git_base, created_at, updated_at, created_by)
     VALUES (?, ?, ?, ?, ?, 'active', 0, ?, ?, ?, ?, ?, ?)`,
    id, def.type, target, def.hash, def.dir, phases.length, JSON.stringify(options), gitBase, now, now, actor.agent,
  );
  let seq = 0;
  const ids = new Set(phases.flatMap((p) => p.tasks.map((t) => t.id)));
  phases.forEach((p, position) => {
    core.run(
      `INSERT INTO wf_phases (session_id, position, number, name, purpose, overview_file, gate_json, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      id, position, p.number, p.name, p.purpose, p.overviewFile, p.gate ? JSON.stringify(p.gate) : null, position === 0 ? 'active' : 'pending',
    );
    for (const t of p.tasks) {
      core.run(
        `INSERT INTO wf_tasks (session_id, id, seq, phase_position, number, name, file, purpose, acceptance_json, status)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'blocked')`,
        id, t.id, ++seq, position, t.number, t.name, t.file, t.purpose, JSON.stringify(t.acceptanceCriteria),
      );
      for (const dep of t.dependsOn) {
        if (ids.has(dep)) core.run('INSERT OR IGNORE INTO wf_task_deps (session_id, task_id, depends_on) VALUES (?, ?, ?)', id, t.id, dep);
      }
    }
  });
  const session = core.get<SessionRow>('SELECT * FROM wf_sessions WHERE id = ?', id)!;
  refreshReadiness(core, session);
  return session;
}
