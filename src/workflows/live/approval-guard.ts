// The approval gate in front of complete_phase (issue 14), installed on every engine that
// openWorkflowEngine opens (server and CLI alike), so no path completes a phase whose gate says
// `approval: required` without a person's approval.
import type { ActionArgs, CallInfo } from '../engine/actions.ts';
import type { DefinitionProvider } from '../engine/core.ts';
import type { WorkflowEngine } from '../engine/engine.ts';
import { actorOf } from '../engine/identity.ts';
import { gateOf } from '../engine/phases.ts';
import { type PhaseRow, type SessionRow, loadSession, phaseByNumber } from '../engine/rows.ts';
import { approvalOf, needsApproval, requestApproval } from './approvals.ts';

/** A definition provider whose next gate evaluation can be waived (a person's override). */
export interface WaivableProvider extends DefinitionProvider {
  /** Set just before the engine evaluates a gate, cleared right after: the evaluation happens synchronously inside `handle`'s first step. */
  waive: string | undefined;
}

/** Wraps a provider: a waived evaluation keeps its failures but counts as advisory, so the phase completes with them shown. */
export function waivable(inner: DefinitionProvider): WaivableProvider {
  const provider: WaivableProvider = {
    waive: undefined,
    definitions: () => inner.definitions(),
    phasesFor: (d, o) => inner.phasesFor(d, o),
    async evaluateGate(gate, evidence, context) {
      const reason = provider.waive;
      const result = await inner.evaluateGate(gate, evidence, context);
      return reason !== undefined && !result.passed ? { ...result, advisory: true, notEnforced: [...result.notEnforced, `waived by a person: ${reason}`] } : result;
    },
  };
  return provider;
}

type Result = Record<string, unknown>;

/** Replaces `engine.handle` with one that holds complete_phase at a gate that waits for a person. */
export function installApprovalGuard(engine: WorkflowEngine, defs: WaivableProvider): void {
  const handle = engine.handle.bind(engine);
  const core = engine.core;
  const envelope = (args: ActionArgs, call: CallInfo, fields: Result): Result => {
    const actor = actorOf(args.agent_id, call.client, call.transport);
    // digestFor is the engine's own (private): the same digest every answer carries.
    return { status: 'error', action: args.action, ...fields, digest: (engine as unknown as { digestFor(s?: string, a?: unknown): Result }).digestFor(args.session_id, actor) };
  };
  const runWaived = (args: ActionArgs, call: CallInfo, reason: string | undefined) => {
    defs.waive = reason;
    try {
      return handle(args, call); // evaluates the gate before its first await
    } finally {
      defs.waive = undefined;
    }
  };

  engine.handle = async (args: ActionArgs, call: CallInfo): Promise<Result> => {
    if (args.action !== 'complete_phase') return handle(args, call);
    let s: SessionRow;
    let p: PhaseRow;
    try {
      s = loadSession(core, args.session_id);
      p = phaseByNumber(core, s, args.phase);
    } catch {
      return handle(args, call); // the engine answers (and records) the error
    }
    if (p.status === 'completed') return handle(args, call);
    const override = approvalOf(core, s.id, p.number, 'override');
    const waived = override?.status === 'granted' ? (override.note ?? 'overridden') : undefined;
    if (!needsApproval(p)) return runWaived(args, call, waived);
    const approval = approvalOf(core, s.id, p.number, 'approval');
    if (approval?.status === 'approved') return runWaived(args, call, waived);
    // Not approved yet: the tasks must be done and the gate must pass first (the engine answers and records either refusal).
    const open = core.get<{ n: number }>(
      "SELECT coalesce(sum(n), 0) AS n FROM wf_task_counts WHERE session_id = ? AND phase_position = ? AND status NOT IN ('done', 'skipped')",
      s.id,
      p.position,
    )!.n;
    if (open > 0) return handle(args, call);
    const gate = gateOf(p)!;
    const vars: Record<string, string> = { target_file: s.target };
    for (const [k, v] of Object.entries(JSON.parse(s.options_json) as Record<string, unknown>)) if (typeof v === 'string') vars[k] = v;
    defs.waive = waived;
    let result;
    try {
      result = await defs.evaluateGate(gate, args.evidence ?? {}, { root: core.root, sessionStartedAt: new Date(s.created_at), gitBaseCommit: s.git_base, vars });
    } finally {
      defs.waive = undefined;
    }
    if (!result.passed && !result.advisory) return handle(args, call);
    const actor = actorOf(args.agent_id, call.client, call.transport);
    const rejected = approval?.status === 'rejected' ? approval : undefined;
    await requestApproval(core, actor, s.id, p.number, args.request_id);
    const how = `a person runs: praxis-mcp workflow approve ${s.id} ${p.number} [--note ...]`;
    return envelope(args, call, rejected
      ? {
          error: `Phase ${p.number} was rejected by ${rejected.decided_by}: ${rejected.note}`,
          error_type: 'approval_rejected',
          remediation: `Address the note, then call complete_phase again; this submission now waits for approval (${how}).`,
          phase: p.number,
          approval: { status: 'pending', rejected_note: rejected.note },
        }
      : {
          error: `Phase ${p.number}'s gate passed and waits for a person's approval`,
          error_type: 'approval_required',
          remediation: `Wait: ${how}. Then call complete_phase again (subscribe to praxis://workflows/sessions/${s.id} or poll get_state). No tool call can approve.`,
          phase: p.number,
          approval: { status: 'pending' },
        });
  };
}
