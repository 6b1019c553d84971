import type { EngineDb } from './db.ts';
import { ACTIONS, type ActionArgs, type CallInfo } from './actions.ts';
import { Core, type DefinitionProvider, type EngineOptions, canonicalJson, sha256 } from './core.ts';
import { WorkflowError, errorFields } from './errors.ts';
import { pageEvents } from './events.ts';
import { gitHead } from './git-base.ts';
import { type Actor, actorOf } from './identity.ts';
import { type Mutation, type MutationRequest, mutate } from './mutate.ts';
import { completePhaseTx, gateOf, reopen } from './phases.ts';
import { type SessionRow, loadActiveSession, loadSession, phaseByNumber, touchSession } from './rows.ts';
import { archiveStale, createSession, normalizeTarget, openSessionsOn, requireDefinition } from './sessions.ts';
import { addTask, claimNext, claimTask, completeTask, expireLeases, heartbeat, loadTask, releaseTask } from './tasks.ts';
import { digest, phaseView, sessionSummary, stateView, taskView } from './views.ts';

const MIN_LEASE_S = 5;
const MAX_LEASE_S = 86_400;
const MAX_PAGE = 500;

type Result = Record<string, unknown>;

/** The original's envelope: `status` and `action` first, then the answer (which can never shadow them), then the digest. */
function envelope(status: 'success' | 'error', action: string, body: Result, digest: Result): Result {
  const out: Result = { status, action };
  for (const [k, v] of Object.entries(body)) if (k !== 'status' && k !== 'action' && k !== 'digest') out[k] = v;
  out.digest = digest;
  return out;
}

/**
 * The workflow engine (issue 13): sessions, phases, tasks with leased claims and an append-only
 * history in the project database. Every mutation is one short `BEGIN IMMEDIATE` transaction (see
 * mutate.ts); reads run outside transactions. Answers use the original's envelope plus a digest.
 */
export class WorkflowEngine {
  readonly core: Core;

  constructor(edb: EngineDb, defs: DefinitionProvider, options: EngineOptions) {
    this.core = new Core(edb, defs, options);
  }

  /** Runs one action and answers with the envelope: never throws for a user error. */
  async handle(args: ActionArgs, call: CallInfo): Promise<Result> {
    const actor = actorOf(args.agent_id, call.client, call.transport);
    const action = args.action;
    try {
      if (!(ACTIONS as readonly string[]).includes(action)) {
        throw new WorkflowError('unknown_action', `Unknown action ${String(action)}`, `Use one of: ${ACTIONS.join(', ')}.`, { valid_actions: ACTIONS });
      }
      const result = await this.dispatch(args, actor);
      return envelope('success', action, result, this.digestFor(args.session_id ?? (result.session_id as string | undefined), actor));
    } catch (error) {
      const fields =
        error instanceof WorkflowError
          ? errorFields(error)
          : { error: `internal error: ${error instanceof Error ? error.message : String(error)}`, error_type: 'internal_error', remediation: 'Retry; if it persists, report it with the server log.' };
      return envelope('error', action, fields, this.digestFor(args.session_id, actor));
    }
  }

  private digestFor(sessionId: string | undefined, actor: Actor): Result {
    if (sessionId) {
      try {
        return digest(this.core, loadSession(this.core, sessionId, { deleted: true, archived: true }), actor.agent);
      } catch {}
    }
    const n = this.core.get<{ n: number }>("SELECT count(*) AS n FROM wf_sessions WHERE status IN ('active', 'paused')")!.n;
    return { text: `${n} open workflow session${n === 1 ? '' : 's'} · you are ${actor.agent}` };
  }

  /** Warnings for a session whose definition files changed (or vanished) since it started. */
  private drift(session: SessionRow): string[] {
    const def = this.core.defs.definitions().definitions.get(session.workflow_type);
    if (!def) return [`the workflow ${session.workflow_type} is no longer defined; this session runs on the phases it pinned`];
    if (def.hash !== session.definition_hash) {
      return [`the files of ${session.workflow_type} changed since this session started (pinned ${session.definition_hash.slice(0, 12)}, now ${def.hash.slice(0, 12)}); the session keeps its pinned phases and gates`];
    }
    return [];
  }

  private withDrift(session: SessionRow, result: Result): Result {
    const warnings = this.drift(session);
    return warnings.length ? { ...result, warnings } : result;
  }

  private leaseMs(args: ActionArgs): number {
    if (args.lease_seconds === undefined) return this.core.leaseMs;
    return Math.min(MAX_LEASE_S, Math.max(MIN_LEASE_S, Math.floor(args.lease_seconds))) * 1000;
  }

  /** A mutation on one open session: leases expire first, in the same transaction. */
  private onSession(actor: Actor, args: ActionArgs, input: unknown, fn: (s: SessionRow) => Mutation, allowPaused = false): Promise<Result> {
    const req: MutationRequest = { action: args.action, sessionId: args.session_id ?? null, requestId: args.request_id, input, phase: args.phase ?? null, taskId: args.task_id ?? null };
    return mutate(this.core, actor, req, () => {
      const s = allowPaused ? loadSession(this.core, args.session_id) : loadActiveSession(this.core, args.session_id);
      expireLeases(this.core, s.id);
      const out = fn(s);
      return { ...out, result: { session_id: s.id, ...out.result } };
    });
  }

  private async dispatch(args: ActionArgs, actor: Actor): Promise<Result> {
    const core = this.core;
    switch (args.action) {
      case 'list_workflows':
        return this.listWorkflows(args.category);
      case 'start':
        return this.start(args, actor);
      case 'get_phase': {
        const s = loadSession(core, args.session_id);
        return this.withDrift(s, { session_id: s.id, ...phaseView(core, s, phaseByNumber(core, s, args.phase)) });
      }
      case 'get_task': {
        const s = loadSession(core, args.session_id);
        return { session_id: s.id, task: taskView(core, s, loadTask(core, s, args.task_id, args.phase, args.task_number)) };
      }
      case 'complete_phase':
        return this.completePhase(args, actor);
      case 'get_state': {
        const s = loadSession(core, args.session_id, { deleted: true, archived: true });
        return this.withDrift(s, stateView(core, s));
      }
      case 'get_session': {
        const s = loadSession(core, args.session_id, { deleted: true, archived: true });
        return this.withDrift(s, {
          session: { ...sessionSummary(s), definition_hash: s.definition_hash, options: JSON.parse(s.options_json), git_base: s.git_base },
          phases: core.all<{ number: number; name: string; status: string }>('SELECT number, name, status FROM wf_phases WHERE session_id = ? ORDER BY position', s.id),
        });
      }
      case 'list_sessions':
        return this.listSessions(args);
      case 'delete_session':
        return mutate(core, actor, { action: 'delete_session', sessionId: args.session_id ?? null, requestId: args.request_id }, () => {
          const s = loadSession(core, args.session_id);
          core.run("UPDATE wf_tasks SET status = CASE WHEN status = 'claimed' THEN 'ready' ELSE status END, claimed_by = NULL, lease_until = NULL WHERE session_id = ? AND status = 'claimed'", s.id);
          touchSession(core, s, { status: 'deleted' });
          return { result: { session_id: s.id, deleted: true, note: 'the session stays deleted; its history stays readable with get_events' } };
        });
      case 'pause':
        return this.onSession(actor, args, undefined, (s) => {
          if (s.status === 'paused') return { result: { session_status: 'paused', note: 'the session was already paused' } };
          if (s.status === 'completed') throw new WorkflowError('session_completed', `Session ${s.id} is complete`, 'Nothing to pause.');
          touchSession(core, s, { status: 'paused' });
          return { result: { session_status: 'paused', note: 'claims, completions and gates are refused until resume' } };
        }, true);
      case 'resume':
        return this.onSession(actor, args, undefined, (s) => {
          if (s.status !== 'paused') return { result: { session_status: s.status, note: 'the session was not paused' } };
          touchSession(core, s, { status: 'active' });
          return { result: { session_status: 'active' } };
        }, true);
      case 'retry_phase':
        return mutate(core, actor, { action: 'retry_phase', sessionId: args.session_id ?? null, requestId: args.request_id, input: { phase: args.phase, reset_evidence: args.reset_evidence }, phase: args.phase }, () => {
          const s = loadSession(core, args.session_id);
          if (s.status === 'paused') throw new WorkflowError('session_paused', `Session ${s.id} is paused`, 'Resume it with action=resume first.');
          const p = args.phase === undefined ? phaseByNumber(core, s, undefined) : phaseByNumber(core, s, args.phase);
          if (p.position > s.current_phase) throw new WorkflowError('phase_not_open', `Phase ${p.number} has not been reached yet`, 'retry_phase reopens the current phase or a completed one.');
          return { result: { session_id: s.id, ...reopen(core, s, p, args.reset_evidence === true) }, phase: p.number };
        });
      case 'rollback':
        return mutate(core, actor, { action: 'rollback', sessionId: args.session_id ?? null, requestId: args.request_id, input: { to_phase: args.to_phase }, phase: args.to_phase }, () => {
          const s = loadSession(core, args.session_id);
          if (s.status === 'paused') throw new WorkflowError('session_paused', `Session ${s.id} is paused`, 'Resume it with action=resume first.');
          if (args.to_phase === undefined) throw new WorkflowError('missing_argument', 'rollback needs to_phase', 'Pass to_phase: the phase number to return to.');
          const p = phaseByNumber(core, s, args.to_phase);
          if (p.position > s.current_phase) throw new WorkflowError('phase_not_open', `Phase ${p.number} has not been reached yet`, 'rollback returns to the current phase or an earlier one.');
          return { result: { session_id: s.id, ...reopen(core, s, p, false) }, phase: p.number };
        });
      case 'get_errors':
      case 'get_events': {
        const s = loadSession(core, args.session_id, { deleted: true, archived: true });
        const limit = Math.min(MAX_PAGE, Math.max(1, Math.floor(args.limit ?? 100)));
        return { session_id: s.id, ...pageEvents(core, s.id, Math.max(0, Math.floor(args.after_seq ?? 0)), limit, args.action === 'get_errors') };
      }
      case 'claim_task':
        return this.onSession(actor, args, { task_id: args.task_id, lease_seconds: args.lease_seconds }, (s) => {
          const t = loadTask(core, s, args.task_id, args.phase, args.task_number);
          return { result: claimTask(core, s, t, actor, this.leaseMs(args)), taskId: t.id };
        });
      case 'claim_next':
        return this.onSession(actor, args, args.lease_seconds === undefined ? undefined : { lease_seconds: args.lease_seconds }, (s) => {
          const claimed = claimNext(core, s, actor, this.leaseMs(args));
          if (!claimed) {
            return { result: { claimed: null, note: 'no task is ready: the rest are claimed, blocked by dependencies, or in phases not open yet' } };
          }
          return { result: { claimed }, taskId: claimed.task_id as string };
        });
      case 'heartbeat':
        return this.onSession(actor, args, { task_id: args.task_id, lease_seconds: args.lease_seconds }, (s) => ({ result: heartbeat(core, s, actor, this.leaseMs(args), args.task_id) }));
      case 'release_task':
        return this.onSession(actor, args, { task_id: args.task_id }, (s) => {
          const t = loadTask(core, s, args.task_id, args.phase, args.task_number);
          return { result: releaseTask(core, s, t, actor), taskId: t.id };
        });
      case 'complete_task': {
        if (args.status !== undefined && args.status !== 'done' && args.status !== 'skipped') {
          throw new WorkflowError('invalid_argument', `complete_task status must be done or skipped, not ${args.status}`, 'Omit status (done) or pass status=skipped.');
        }
        return this.onSession(actor, args, { task_id: args.task_id, status: args.status, result: args.result }, (s) => {
          const t = loadTask(core, s, args.task_id, args.phase, args.task_number);
          return { result: completeTask(core, s, t, actor, args.result, args.status === 'skipped'), taskId: t.id };
        });
      }
      case 'add_task':
        return this.onSession(actor, args, { name: args.name, phase: args.phase, depends_on: args.depends_on, description: args.description }, (s) => {
          const r = addTask(core, s, args.phase, args.name, args.description ?? '', args.depends_on ?? [], args.acceptance_criteria ?? []);
          return { result: r, taskId: r.task_id as string };
        });
      case 'attach':
        return this.onSession(actor, args, undefined, (s) => ({ result: { attached: true, ...stateView(core, s), warnings: this.drift(s) } }), true);
    }
  }

  private listWorkflows(category: string | undefined): Result {
    const set = this.core.defs.definitions();
    const workflows = [...set.definitions.values()]
      .filter((d) => !category || d.type.includes(category) || d.description.toLowerCase().includes(category.toLowerCase()))
      .sort((a, b) => a.type.localeCompare(b.type))
      .map((d) => ({
        workflow_type: d.type,
        version: d.version,
        description: d.description,
        phases: d.dynamic ? `${d.phases.length} defined + the phases of the spec's tasks.md (option ${d.dynamic.sourcePathKey})` : d.phases.length,
        gates: d.phases.map((p) => (p.gate ? (p.gate.strict ? 'strict' : 'advisory') : 'none')),
        ...(d.ignoredFields.length > 0 && { ignored_fields: d.ignoredFields }),
        ...(d.notEnforced.length > 0 && { not_enforced: d.notEnforced }),
      }));
    return { workflows, count: workflows.length, ...(set.errors.length > 0 && { load_errors: set.errors }) };
  }

  private listSessions(args: ActionArgs): Result {
    const status = args.status;
    const rows = status
      ? this.core.all<SessionRow>('SELECT * FROM wf_sessions WHERE status = ? ORDER BY updated_at DESC LIMIT 200', status)
      : this.core.all<SessionRow>("SELECT * FROM wf_sessions WHERE status NOT IN ('deleted', 'archived') ORDER BY updated_at DESC LIMIT 200");
    return { sessions: rows.map(sessionSummary), count: rows.length, ...(!status && { note: 'deleted and archived sessions are listed with status=deleted or status=archived' }) };
  }

  private async start(args: ActionArgs, actor: Actor): Promise<Result> {
    const core = this.core;
    const options = args.options ?? {};
    const req: MutationRequest = { action: 'start', sessionId: null, requestId: args.request_id, input: { workflow_type: args.workflow_type, target_file: args.target_file, options } };
    let prepared: { def: ReturnType<typeof requireDefinition>; phases: ReturnType<DefinitionProvider['phasesFor']>; target: string; git: string | null };
    try {
      const def = requireDefinition(core, args.workflow_type);
      const target = normalizeTarget(core.root, args.target_file);
      const phases = core.defs.phasesFor(def, options);
      if (phases.length === 0) throw new WorkflowError('invalid_workflow', `Workflow ${def.type} has no phases for this start`, 'Check the workflow folder (and for a dynamic workflow, the spec\'s tasks.md).');
      prepared = { def, phases, target, git: gitHead(core.root) };
    } catch (error) {
      if (error instanceof WorkflowError) return mutate(core, actor, req, () => { throw error; });
      throw error;
    }
    const { def, phases, target, git } = prepared;
    const result = await mutate(core, actor, req, () => {
      const archived = archiveStale(core);
      const open = openSessionsOn(core, def.type, target);
      if (open.length > 0 && options.force_new !== true) {
        throw new WorkflowError(
          'session_exists',
          `${open.length} open ${def.type} session(s) on ${target} already: ${open.map((o) => `${o.id} (${o.status}, started by ${o.created_by})`).join(', ')}`,
          'To work in one of them, call action=attach with its session_id; to start a separate one anyway, pass options {"force_new": true}.',
          { existing_sessions: open.map((o) => o.id) },
        );
      }
      const s = createSession(core, def, phases, target, options, git, actor);
      return {
        sessionId: s.id,
        result: {
          session_id: s.id,
          workflow_type: def.type,
          target_file: target,
          definition_hash: def.hash,
          phase_count: phases.length,
          phases: phases.map((p) => ({ phase: p.number, name: p.name, tasks: p.tasks.length, gate: p.gate ? (p.gate.strict ? 'strict' : 'advisory') : 'none' })),
          ...(def.notEnforced.length > 0 && { not_enforced: def.notEnforced }),
          ...(archived.length > 0 && { archived_sessions: archived }),
          ...(open.length > 0 && { other_open_sessions: open.map((o) => o.id) }),
        },
      };
    });
    const s = loadSession(core, result.session_id as string);
    return { ...result, current_phase: phaseView(core, s, phaseByNumber(core, s, undefined)) };
  }

  private async completePhase(args: ActionArgs, actor: Actor): Promise<Result> {
    const core = this.core;
    const evidence = args.evidence ?? {};
    const hash = sha256(canonicalJson(evidence));
    const req: MutationRequest = { action: 'complete_phase', sessionId: args.session_id ?? null, requestId: args.request_id, input: { phase: args.phase, evidence }, phase: args.phase };
    let gateResult = null;
    let position: number;
    try {
      const s = loadSession(core, args.session_id);
      const p = phaseByNumber(core, s, args.phase);
      position = p.position;
      const gate = gateOf(p);
      // The checks read files: they run before the transaction, never inside it.
      if (gate && p.status !== 'completed') {
        const vars: Record<string, string> = { target_file: s.target };
        for (const [k, v] of Object.entries(JSON.parse(s.options_json) as Record<string, unknown>)) if (typeof v === 'string') vars[k] = v;
        gateResult = await core.defs.evaluateGate(gate, evidence, { root: core.root, sessionStartedAt: new Date(s.created_at), gitBaseCommit: s.git_base, vars });
      }
    } catch (error) {
      if (error instanceof WorkflowError) return mutate(core, actor, req, () => { throw error; });
      throw error;
    }
    return mutate(core, actor, req, () => {
      const s = loadSession(core, args.session_id);
      if (s.status === 'paused') throw new WorkflowError('session_paused', `Session ${s.id} is paused`, 'Resume it with action=resume first.');
      const p = core.get<import('./rows.ts').PhaseRow>('SELECT * FROM wf_phases WHERE session_id = ? AND position = ?', s.id, position)!;
      if (p.status !== 'completed' && gateOf(p) && !gateResult) {
        throw new WorkflowError('conflict', `Phase ${p.number} was reopened while its gate ran`, 'Call complete_phase again.');
      }
      expireLeases(core, s.id);
      return { result: { session_id: s.id, ...completePhaseTx(core, s, p, hash, gateResult, actor) }, phase: p.number };
    });
  }
}
