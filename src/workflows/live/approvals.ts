// Human approval and overrides (issue 14). A gate with `approval: required` passes only with a
// person's approval: `praxis-mcp workflow approve|reject|override` write here directly (the CLI
// opens the database itself), and no pos_workflow action reaches these functions, so no agent can
// approve itself through a tool call. The table belongs to its own migration owner, so the
// engine's schema is untouched.
import type { Migration, Store } from '../../store/index.ts';
import type { Core } from '../engine/core.ts';
import { WorkflowError } from '../engine/errors.ts';
import type { Actor } from '../engine/identity.ts';
import { mutate } from '../engine/mutate.ts';
import { gateOf } from '../engine/phases.ts';
import { type PhaseRow, loadSession, phaseByNumber } from '../engine/rows.ts';

export const APPROVALS_OWNER = 'workflow-approvals';
export const APPROVAL_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'approvals and overrides of phase gates',
    up: `
  CREATE TABLE wf_approvals (
    session_id TEXT NOT NULL,
    phase INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('approval','override')),
    status TEXT NOT NULL CHECK (status IN ('pending','approved','rejected','granted')),
    requested_by TEXT,
    decided_by TEXT,
    note TEXT,
    at INTEGER NOT NULL,
    PRIMARY KEY (session_id, phase, kind)
  ) WITHOUT ROWID;`,
  },
];

/** The approval tables, created if missing. */
export const migrateApprovals = (store: Store) => store.migrate(APPROVALS_OWNER, APPROVAL_MIGRATIONS);

export interface ApprovalRow {
  session_id: string;
  phase: number;
  kind: 'approval' | 'override';
  status: 'pending' | 'approved' | 'rejected' | 'granted';
  requested_by: string | null;
  decided_by: string | null;
  note: string | null;
  at: number;
}

/** The approval (or override) record of a phase, if any. */
export function approvalOf(core: Core, sessionId: string, phase: number, kind: 'approval' | 'override'): ApprovalRow | undefined {
  return core.get<ApprovalRow>('SELECT * FROM wf_approvals WHERE session_id = ? AND phase = ? AND kind = ?', sessionId, phase, kind);
}

/** Every approval waiting for a person (for `watch` and the session resource). */
export function pendingApprovals(core: Core, sessionId?: string): ApprovalRow[] {
  return sessionId
    ? core.all<ApprovalRow>("SELECT * FROM wf_approvals WHERE session_id = ? AND status = 'pending' ORDER BY at", sessionId)
    : core.all<ApprovalRow>("SELECT * FROM wf_approvals WHERE status = 'pending' ORDER BY at");
}

/** Whether the phase's gate asks for a person's approval. */
export const needsApproval = (phase: PhaseRow) => gateOf(phase)?.approval === 'required';

/** Records that an agent's passing submission waits for a person (an event too); keeps a rejection until a new submission. */
export function requestApproval(core: Core, actor: Actor, sessionId: string, phase: number, requestId?: string) {
  return mutate(core, actor, { action: 'approval_requested', sessionId, requestId, phase }, () => {
    core.run(
      `INSERT INTO wf_approvals (session_id, phase, kind, status, requested_by, at) VALUES (?, ?, 'approval', 'pending', ?, ?)
       ON CONFLICT (session_id, phase, kind) DO UPDATE SET status = 'pending', requested_by = excluded.requested_by, decided_by = NULL, note = NULL, at = excluded.at
       WHERE status != 'approved'`,
      sessionId,
      phase,
      actor.agent,
      core.now(),
    );
    return { result: { session_id: sessionId, phase, approval: 'pending' }, phase };
  });
}

/** A person's decision on a phase: approve, reject (with a note), or override a failed gate (with a reason). */
export function decide(core: Core, person: Actor, sessionId: string, phaseNumber: number, decision: 'approve' | 'reject' | 'override', note?: string) {
  return mutate(core, person, { action: decision, sessionId, input: { phase: phaseNumber, note }, phase: phaseNumber }, () => {
    const s = loadSession(core, sessionId);
    const p = phaseByNumber(core, s, phaseNumber);
    if (p.status === 'completed') throw new WorkflowError('phase_completed', `Phase ${p.number} is already complete`, 'Nothing to decide; use rollback or retry_phase to reopen it.');
    if ((decision === 'reject' || decision === 'override') && !note?.trim()) {
      throw new WorkflowError('missing_argument', `${decision} needs a ${decision === 'reject' ? 'note' : 'reason'}`, `Pass --note "why".`);
    }
    if (decision === 'approve' && !needsApproval(p)) {
      throw new WorkflowError('no_approval_needed', `Phase ${p.number}'s gate does not ask for approval`, 'Only gates with approval: required wait for a person.');
    }
    const kind = decision === 'override' ? 'override' : 'approval';
    const status = decision === 'approve' ? 'approved' : decision === 'reject' ? 'rejected' : 'granted';
    core.run(
      `INSERT INTO wf_approvals (session_id, phase, kind, status, decided_by, note, at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (session_id, phase, kind) DO UPDATE SET status = excluded.status, decided_by = excluded.decided_by, note = excluded.note, at = excluded.at`,
      s.id,
      p.number,
      kind,
      status,
      person.agent,
      note ?? null,
      core.now(),
    );
    return {
      result: {
        session_id: s.id,
        phase: p.number,
        decision: status,
        ...(note && { note }),
        next: decision === 'reject' ? 'the agent is told the note on its next complete_phase' : 'the agent\'s next complete_phase completes the phase',
      },
      phase: p.number,
    };
  });
}
