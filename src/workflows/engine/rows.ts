import type { Core } from './core.ts';
import { WorkflowError } from './errors.ts';

export interface SessionRow {
  id: string;
  workflow_type: string;
  target: string;
  definition_hash: string;
  definition_dir: string;
  status: 'active' | 'paused' | 'completed' | 'deleted' | 'archived';
  current_phase: number;
  phase_count: number;
  options_json: string;
  git_base: string | null;
  created_at: number;
  updated_at: number;
  created_by: string;
  version: number;
  status_before_archive: string | null;
}

export interface PhaseRow {
  session_id: string;
  position: number;
  number: number;
  name: string;
  purpose: string;
  overview_file: string | null;
  gate_json: string | null;
  status: 'pending' | 'active' | 'completed';
  evidence_hash: string | null;
  answer_json: string | null;
  completed_at: number | null;
  completed_by: string | null;
}

export interface TaskRow {
  session_id: string;
  id: string;
  seq: number;
  phase_position: number;
  number: number;
  name: string;
  file: string | null;
  purpose: string;
  acceptance_json: string;
  status: 'ready' | 'claimed' | 'done' | 'blocked' | 'skipped';
  claimed_by: string | null;
  lease_until: number | null;
  claims: number;
  result_json: string | null;
  completed_at: number | null;
  completed_by: string | null;
  version: number;
}

const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The session, or a clear error: unknown, deleted (it never comes back), archived. */
export function loadSession(core: Core, id: string | undefined, allow: { deleted?: boolean; archived?: boolean } = {}): SessionRow {
  if (!id) throw new WorkflowError('missing_argument', 'session_id is required for this action', 'Pass session_id (list_sessions shows them).');
  const row = SESSION_ID.test(id) ? core.get<SessionRow>('SELECT * FROM wf_sessions WHERE id = ?', id) : undefined;
  if (!row) {
    throw new WorkflowError('session_not_found', `No session ${id}`, 'Call pos_workflow action=list_sessions to see the sessions, or action=start to begin one.');
  }
  if (row.status === 'deleted' && !allow.deleted) {
    throw new WorkflowError('session_deleted', `Session ${id} was deleted; it stays deleted`, 'Start a new session with action=start; the old history stays readable with get_events.');
  }
  if (row.status === 'archived' && !allow.archived) {
    throw new WorkflowError('session_archived', `Session ${id} was archived after the retention period`, 'Start a new session with action=start; the archived history stays readable with get_events.');
  }
  return row;
}

/** The session, which must accept work: not paused, not completed. */
export function loadActiveSession(core: Core, id: string | undefined): SessionRow {
  const row = loadSession(core, id);
  if (row.status === 'paused') throw new WorkflowError('session_paused', `Session ${id} is paused`, 'Resume it with action=resume first.');
  if (row.status === 'completed') throw new WorkflowError('session_completed', `Session ${id} is complete`, 'Reopen a phase with action=retry_phase or action=rollback, or start a new session.');
  return row;
}

export function phasesOf(core: Core, sessionId: string): PhaseRow[] {
  return core.all<PhaseRow>('SELECT * FROM wf_phases WHERE session_id = ? ORDER BY position', sessionId);
}

/** The phase by its number (as the definition numbers it), or the current one when absent. */
export function phaseByNumber(core: Core, session: SessionRow, number: number | undefined): PhaseRow {
  const row =
    number === undefined
      ? core.get<PhaseRow>('SELECT * FROM wf_phases WHERE session_id = ? AND position = ?', session.id, Math.min(session.current_phase, session.phase_count - 1))
      : core.get<PhaseRow>('SELECT * FROM wf_phases WHERE session_id = ? AND number = ?', session.id, number);
  if (!row) {
    const numbers = phasesOf(core, session.id).map((p) => p.number);
    throw new WorkflowError('phase_not_found', `Session ${session.id} has no phase ${number}`, `Its phases are ${numbers.join(', ')}.`, { phases: numbers });
  }
  return row;
}

/** Bumps the session's version and time (compare-and-swap on the version read). */
export function touchSession(core: Core, session: SessionRow, set: Partial<Pick<SessionRow, 'status' | 'current_phase'>> = {}): void {
  const status = set.status ?? session.status;
  const current = set.current_phase ?? session.current_phase;
  const n = core.run(
    'UPDATE wf_sessions SET status = ?, current_phase = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?',
    status,
    current,
    core.now(),
    session.id,
    session.version,
  );
  if (n !== 1) throw new WorkflowError('conflict', `Session ${session.id} changed while this action ran`, 'Retry the action.');
  session.version++;
  session.status = status;
  session.current_phase = current;
}
