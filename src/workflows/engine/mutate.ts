import { setImmediate } from 'node:timers';
import { isBusy } from '../../store/index.ts';
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

interface Pending {
  actor: Actor;
  req: MutationRequest;
  fn: () => Mutation;
  resolve(result: Record<string, unknown>): void;
  reject(error: unknown): void;
  outcome?: { answer: StoredAnswer } | { fatal: unknown };
}

/** At most this many mutations share one transaction: it stays short. */
const MAX_BATCH = 32;

/**
 * Runs one mutation atomically and answers with its result (or throws its WorkflowError).
 *
 * Each mutation runs inside its own savepoint of a `BEGIN IMMEDIATE` transaction: the answer
 * already given to the same `request_id` is returned unchanged; otherwise `fn` runs, and if it
 * fails part-way nothing of it remains; its event (success or failure, with the input) and the
 * request's answer are written with its effects, in the same savepoint. `fn` is synchronous: no
 * await inside a transaction.
 *
 * Group commit: mutations that arrive while the event loop is busy (16 agents calling at once)
 * share one transaction, each in its own savepoint, and their answers are released only after
 * the COMMIT. A crash loses the whole group and no answer of it was sent; nothing is ever half
 * applied. One writer process pays one commit for the group instead of one per call.
 */
export function mutate(core: Core, actor: Actor, req: MutationRequest, fn: () => Mutation): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const queue = queues.get(core) ?? [];
    if (!queues.has(core)) {
      queues.set(core, queue);
      setImmediate(() => flush(core));
    }
    queue.push({ actor, req, fn, resolve, reject });
  });
}

const queues = new WeakMap<Core, Pending[]>();

/**
 * How long one try waits for another process's write lock (the connection's busy_timeout, set in
 * open.ts). node:sqlite waits synchronously, so a process frozen inside a write transaction
 * (SIGSTOP) would stop this event loop, every agent's call with it, for the whole wait; between
 * tries the wait is asynchronous (as the standards index does, issue 11).
 */
export const BUSY_TRY_MS = 50;
/** A batch still locked out after this long fails, as it did after the old 5 s busy timeout. */
const BUSY_GIVE_UP_MS = 5_000;


function flush(core: Core): void {
  const queue = queues.get(core) ?? [];
  queues.delete(core);
  for (let at = 0; at < queue.length; at += MAX_BATCH) commitBatch(core, queue.slice(at, at + MAX_BATCH), Date.now() + BUSY_GIVE_UP_MS, 20);
}

/** Runs one batch in one transaction and answers its calls; a locked database is tried again later. */
function commitBatch(core: Core, batch: Pending[], deadline: number, pause: number): void {
  let began = false;
  try {
    core.tx(() => {
      began = true;
      for (const item of batch) item.outcome = runOne(core, item);
    });
  } catch (error) {
    // Locked out at BEGIN IMMEDIATE: nothing of the batch ran, so it can simply run later.
    if (!began && isBusy(error) && Date.now() < deadline) {
      setTimeout(() => commitBatch(core, batch, deadline, Math.min(pause * 2, 500)), pause);
      return;
    }
    for (const item of batch) item.reject(error);
    return;
  }
  for (const item of batch) {
    const outcome = item.outcome!;
    if ('fatal' in outcome) item.reject(outcome.fatal);
    else if (outcome.answer.ok) item.resolve(outcome.answer.result);
    else {
      const { error, error_type, remediation, ...details } = outcome.answer.error as { error: string; error_type: string; remediation: string };
      item.reject(new WorkflowError(error_type, error, remediation, details));
    }
  }
}

function runOne(core: Core, { actor, req, fn }: Pending): { answer: StoredAnswer } | { fatal: unknown } {
  if (req.requestId) {
    const stored = core.get<{ answer_json: string; action: string }>(
      'SELECT answer_json, action FROM wf_requests WHERE agent = ? AND request_id = ?',
      actor.agent,
      req.requestId,
    );
    if (stored) {
      if (stored.action !== req.action) {
        return {
          answer: {
            ok: false,
            error: errorFields(
              new WorkflowError(
                'request_id_reused',
                `request_id "${req.requestId}" was already used by this agent for ${stored.action}`,
                'Use a new request_id for each distinct mutation; reuse one only to retry the same call.',
              ),
            ),
          },
        };
      }
      return { answer: JSON.parse(stored.answer_json) as StoredAnswer };
    }
  }
  core.run('SAVEPOINT wf_mutation');
  try {
    let out: StoredAnswer;
    let done: Mutation | undefined;
    try {
      done = fn();
      out = { ok: true, result: done.result };
    } catch (error) {
      if (!(error instanceof WorkflowError)) throw error;
      // A refused mutation leaves nothing but its event: undo whatever it wrote before failing.
      core.run('ROLLBACK TO wf_mutation');
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
    core.run('RELEASE wf_mutation');
    return { answer: out };
  } catch (fatal) {
    // Not a refusal but a failure (a database error): this mutation leaves nothing at all.
    try {
      core.run('ROLLBACK TO wf_mutation');
      core.run('RELEASE wf_mutation');
    } catch {}
    return { fatal };
  }
}
