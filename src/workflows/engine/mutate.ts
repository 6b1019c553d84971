import type { Core } from './core.ts';
import { WorkflowError, errorFields } from './errors.ts';
import { appendEvent } from './events.ts';
import type { Actor } from './identity.ts';

/** What a mutation did: its answer and what its event records. */
export interface Mutation {
  result: Record<string, unknown>;
  /** The session the event belongs to, when the request could not name it (start). */
  sessionId?: string;
  phase?: number | null;
  taskId?: string | null;
}

/** One mutation request. */
export interface MutationRequest {
  action: string;
  sessionId: string | null;
  requestId?: string;
  /** Recorded in the event (evidence included, size-capped). */
  input?: unknown;
  phase?: number | null;
  taskId?: string | null;
}

type StoredAnswer = { ok: true; result: Record<string, unknown> } | { ok: false; error: Record<string, unknown> };

/**
 * Runs one mutation in one short `BEGIN IMMEDIATE` transaction: the answer already given to the
 * same `request_id` is returned unchanged; otherwise `fn` runs inside a savepoint, so a mutation
 * that fails part-way leaves nothing behind, and its event (success or failure, with the input)
 * and the request's answer commit together with its effects, or not at all. `fn` is synchronous.
 */
export function mutate(core: Core, actor: Actor, req: MutationRequest, fn: () => Mutation): Record<string, unknown> {
  const answer = core.tx((): StoredAnswer => {
    if (req.requestId) {
      const stored = core.get<{ answer_json: string; action: string }>(
        'SELECT answer_json, action FROM wf_requests WHERE agent = ? AND request_id = ?',
        actor.agent,
        req.requestId,
      );
      if (stored) {
        const parsed = JSON.parse(stored.answer_json) as StoredAnswer;
        if (stored.action !== req.action) {
          return {
            ok: false,
            error: errorFields(
              new WorkflowError(
                'request_id_reused',
                `request_id "${req.requestId}" was already used by this agent for ${stored.action}`,
                'Use a new request_id for each distinct mutation; reuse one only to retry the same call.',
              ),
            ),
          };
        }
        return parsed;
      }
    }
    core.run('SAVEPOINT wf_mutation');
    let out: StoredAnswer;
    let done: Mutation | undefined;
    try {
      done = fn();
      core.run('RELEASE wf_mutation');
      out = { ok: true, result: done.result };
    } catch (error) {
      core.run('ROLLBACK TO wf_mutation');
      core.run('RELEASE wf_mutation');
      if (!(error instanceof WorkflowError)) throw error;
      out = { ok: false, error: errorFields(error) };
    }
    appendEvent(core, actor, {
      sessionId: done?.sessionId ?? req.sessionId,
      action: req.action,
      ok: out.ok,
      phase: done?.phase ?? req.phase ?? null,
      taskId: done?.taskId ?? req.taskId ?? null,
      requestId: req.requestId ?? null,
      input: req.input,
      result: out.ok ? out.result : out.error,
    });
    if (req.requestId) {
      core.run(
        'INSERT INTO wf_requests (agent, request_id, action, answer_json, at) VALUES (?, ?, ?, ?, ?)',
        actor.agent,
        req.requestId,
        req.action,
        JSON.stringify(out),
        core.now(),
      );
    }
    return out;
  });
  if (answer.ok) return answer.result;
  const { error, error_type, remediation, ...details } = answer.error as { error: string; error_type: string; remediation: string };
  throw new WorkflowError(error_type, error, remediation, details);
}
