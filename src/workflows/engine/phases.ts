import type { GateDef, GateResult } from '../types.ts';
import type { Core } from './core.ts';
import { WorkflowError } from './errors.ts';
import type { Actor } from './identity.ts';
import { type PhaseRow, type SessionRow, phasesOf, touchSession } from './rows.ts';
import { refreshReadiness } from './tasks.ts';

export const gateOf = (phase: PhaseRow): GateDef | null => (phase.gate_json ? (JSON.parse(phase.gate_json) as GateDef) : null);

/** What a repeated completion with the same evidence answers: the first answer, marked as a repeat. */
export function repeatAnswer(phase: PhaseRow): Record<string, unknown> {
  return { ...(JSON.parse(phase.answer_json ?? '{}') as Record<string, unknown>), already_completed: true };
}

/** Tasks of the phase not yet done or skipped. */
function unfinished(core: Core, session: SessionRow, phase: PhaseRow): { id: string; status: string; claimed_by: string | null }[] {
  return core.all(
    "SELECT id, status, claimed_by FROM wf_tasks WHERE session_id = ? AND phase_position = ? AND status NOT IN ('done', 'skipped') ORDER BY seq LIMIT 21",
    session.id,
    phase.position,
  );
}

/** A failed gate as an answer: each failing check with expected, actual and what to do. */
export function gateFailure(phase: PhaseRow, gate: GateResult): WorkflowError {
  const failing = gate.checks.filter((c) => !c.passed);
  const parts = [
    ...gate.evidenceErrors.map((e) => `evidence ${e.path || '/'}: ${e.message}`),
    ...failing.map((c) => `${c.check.kind}: expected ${c.expected}, got ${c.actual}`),
  ];
  return new WorkflowError(
    'gate_failed',
    `Phase ${phase.number} (${phase.name}) gate failed: ${parts.slice(0, 5).join('; ')}${parts.length > 5 ? `; and ${parts.length - 5} more` : ''}`,
    [...failing.map((c) => c.remediation), gate.evidenceErrors.length ? 'Submit evidence matching the schema shown by get_phase.' : ''].filter(Boolean).join(' '),
    {
      evidence_errors: gate.evidenceErrors,
      failed_checks: failing.map((c) => ({ kind: c.check.kind, expected: c.expected, actual: c.actual, remediation: c.remediation })),
      not_enforced: gate.notEnforced,
    },
  );
}

/**
 * Completes the session's current phase, inside the caller's transaction, with the gate already
 * evaluated (outside it: checks read files). Everything is re-read here, so a phase completed by
 * another agent in the meantime is answered as such.
 */
export function completePhaseTx(
  core: Core,
  session: SessionRow,
  phase: PhaseRow,
  evidenceHash: string,
  gate: GateResult | null,
  actor: Actor,
): Record<string, unknown> {
  if (phase.status === 'completed') {
    if (phase.evidence_hash === evidenceHash) return repeatAnswer(phase);
    throw new WorkflowError(
      'phase_already_completed',
      `Phase ${phase.number} (${phase.name}) was already completed by ${phase.completed_by} at ${new Date(phase.completed_at!).toISOString()} with other evidence; this submission is recorded in the history but changes nothing`,
      'Move on with get_phase (the next phase is open), or reopen this phase with retry_phase to submit new evidence.',
      { completed_by: phase.completed_by },
    );
  }
  if (phase.position !== session.current_phase) {
    throw new WorkflowError('phase_not_current', `Phase ${phase.number} is not the current phase`, 'Call get_phase to see the current phase; phases complete in order.');
  }
  const open = unfinished(core, session, phase);
  if (open.length > 0) {
    throw new WorkflowError(
      'tasks_incomplete',
      `Phase ${phase.number} has unfinished tasks: ${open.slice(0, 20).map((t) => `${t.id} (${t.status}${t.claimed_by ? ` by ${t.claimed_by}` : ''})`).join(', ')}${open.length > 20 ? ', ...' : ''}`,
      'Complete (complete_task) or skip each task of the phase first.',
      { unfinished: open.slice(0, 20).map((t) => t.id) },
    );
  }
  const advisory = gate?.advisory ?? false;
  if (gate && !gate.passed && !advisory) throw gateFailure(phase, gate);
  const last = session.current_phase + 1 >= session.phase_count;
  const answer: Record<string, unknown> = {
    phase: phase.number,
    phase_name: phase.name,
    phase_completed: true,
    gate: gate ? { passed: gate.passed, advisory, checks: gate.checks.map((c) => ({ kind: c.check.kind, passed: c.passed, expected: c.expected, actual: c.actual })), evidence_errors: gate.evidenceErrors, not_enforced: gate.notEnforced } : null,
    ...(advisory && !gate?.passed && { warning: 'advisory gate (strict: false): it failed, and the phase completes anyway' }),
    workflow_complete: last,
  };
  const n = core.run(
    `UPDATE wf_phases SET status = 'completed', evidence_hash = ?, answer_json = ?, completed_at = ?, completed_by = ?
     WHERE session_id = ? AND position = ? AND status = 'active'`,
    evidenceHash, JSON.stringify(answer), core.now(), actor.agent, session.id, phase.position,
  );
  if (n !== 1) throw new WorkflowError('conflict', `Phase ${phase.number} changed while it was being completed`, 'Retry.');
  if (last) touchSession(core, session, { status: 'completed', current_phase: session.phase_count });
  else {
    touchSession(core, session, { current_phase: session.current_phase + 1 });
    core.run("UPDATE wf_phases SET status = 'active' WHERE session_id = ? AND position = ?", session.id, session.current_phase);
    refreshReadiness(core, session);
    const next = phasesOf(core, session.id)[session.current_phase]!;
    answer.next_phase = { phase: next.number, name: next.name };
  }
  core.run('UPDATE wf_phases SET answer_json = ? WHERE session_id = ? AND position = ?', JSON.stringify(answer), session.id, phase.position);
  return answer;
}

/**
 * Reopens phase `target` and every later phase: they become pending again (the target active),
 * tasks of later phases go back to blocked, claims in them are dropped. `resetTarget` reopens the
 * target's tasks too. History is untouched: what was done stays in the events.
 */
export function reopen(core: Core, session: SessionRow, target: PhaseRow, resetTarget: boolean): Record<string, unknown> {
  const from = resetTarget ? target.position : target.position + 1;
  const reopened = core.all<{ id: string }>(
    `UPDATE wf_tasks SET status = 'blocked', claimed_by = NULL, lease_until = NULL, version = version + 1
     WHERE session_id = ? AND phase_position >= ? AND status != 'blocked' RETURNING id`,
    session.id,
    from,
  );
  core.run(
    "UPDATE wf_phases SET status = 'pending', evidence_hash = NULL, answer_json = NULL, completed_at = NULL, completed_by = NULL WHERE session_id = ? AND position > ?",
    session.id,
    target.position,
  );
  core.run(
    "UPDATE wf_phases SET status = 'active', evidence_hash = NULL, answer_json = NULL, completed_at = NULL, completed_by = NULL WHERE session_id = ? AND position = ?",
    session.id,
    target.position,
  );
  touchSession(core, session, { status: 'active', current_phase: target.position });
  refreshReadiness(core, session);
  return { reopened_phase: target.number, phase_name: target.name, reopened_tasks: reopened.map((r) => r.id).sort() };
}
