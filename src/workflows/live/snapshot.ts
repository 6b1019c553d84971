// What people and resources see of workflows (issue 14): the same data as get_state, plus the
// latest events, pending approvals and the last failed checks. Read-only, outside transactions.
import type { WorkflowEngine } from '../engine/engine.ts';
import { type EventRow, presentEvent } from '../engine/events.ts';
import { pendingApprovals } from './approvals.ts';

type Answer = Record<string, any>;
const READER = { client: 'praxis-mcp-live', transport: 'cli' };

/** The open sessions (what `praxis://workflows/sessions` shows). */
export async function sessionsSnapshot(engine: WorkflowEngine): Promise<Answer> {
  const a = await engine.handle({ action: 'list_sessions' } as never, READER);
  return { sessions: a.sessions ?? [], count: a.count ?? 0 };
}

/** The definitions (what `praxis://workflows` shows). */
export async function definitionsSnapshot(engine: WorkflowEngine): Promise<Answer> {
  const a = await engine.handle({ action: 'list_workflows' } as never, READER);
  const { status: _s, action: _a, digest: _d, ...rest } = a;
  return rest;
}

/** One session: get_state, its last `recent` events, pending approvals and the failed checks of its last failed gate; undefined if unknown. */
export async function sessionSnapshot(engine: WorkflowEngine, id: string, recent = 10): Promise<Answer | undefined> {
  const st = await engine.handle({ action: 'get_state', session_id: id } as never, READER);
  if (st.status !== 'success') return undefined;
  const core = engine.core;
  const rows = core.all<EventRow>('SELECT * FROM wf_events WHERE session_id = ? ORDER BY seq DESC LIMIT ?', id, recent).reverse();
  // The latest attempt to complete a phase, if it was refused (a later success or approval request supersedes it).
  const last = core.get<EventRow>("SELECT * FROM wf_events WHERE session_id = ? AND action IN ('complete_phase', 'approval_requested') ORDER BY seq DESC LIMIT 1", id);
  const lastFailed = last && last.ok === 0 ? last : undefined;
  const failed = lastFailed?.result_json ? (JSON.parse(lastFailed.result_json) as Answer) : undefined;
  const { status: _s, action: _a, ...state } = st;
  return {
    ...state,
    recent_events: rows.map(presentEvent),
    pending_approvals: pendingApprovals(core, id).map((a) => ({ phase: a.phase, requested_by: a.requested_by, since: new Date(a.at).toISOString() })),
    ...(failed && { last_failed_gate: { seq: lastFailed!.seq, phase: lastFailed!.phase, error: failed.error, failed_checks: failed.failed_checks ?? [], evidence_errors: failed.evidence_errors ?? [] } }),
  };
}
