import type { Core } from './core.ts';
import { snapshot } from './core.ts';
import type { Actor } from './identity.ts';

/** One row of the append-only history. */
export interface EventRow {
  seq: number;
  session_id: string | null;
  at: number;
  action: string;
  ok: number;
  phase: number | null;
  task_id: string | null;
  agent: string;
  client: string;
  transport: string;
  request_id: string | null;
  input_json: string | null;
  result_json: string | null;
}

/** What an event records besides the actor and the time. */
export interface EventFields {
  sessionId: string | null;
  action: string;
  ok: boolean;
  phase?: number | null;
  taskId?: string | null;
  requestId?: string | null;
  input?: unknown;
  result?: unknown;
}

/** Appends one event (inside the caller's transaction). Events are never updated or deleted. */
export function appendEvent(core: Core, actor: Actor, e: EventFields): void {
  core.run(
    `INSERT INTO wf_events (session_id, at, action, ok, phase, task_id, agent, client, transport, request_id, input_json, result_json)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    e.sessionId,
    core.now(),
    e.action,
    e.ok ? 1 : 0,
    e.phase ?? null,
    e.taskId ?? null,
    actor.agent,
    actor.client,
    actor.transport,
    e.requestId ?? null,
    snapshot(e.input, core.snapshotBytes),
    snapshot(e.result, core.snapshotBytes),
  );
}

/** An event as answers show it. */
export function presentEvent(row: EventRow): Record<string, unknown> {
  return {
    seq: row.seq,
    at: new Date(row.at).toISOString(),
    action: row.action,
    ok: row.ok === 1,
    ...(row.phase !== null && { phase: row.phase }),
    ...(row.task_id !== null && { task_id: row.task_id }),
    actor: { agent: row.agent, client: row.client, transport: row.transport },
    ...(row.request_id !== null && { request_id: row.request_id }),
    ...(row.input_json !== null && { input: JSON.parse(row.input_json) }),
    ...(row.result_json !== null && { result: JSON.parse(row.result_json) }),
  };
}

/** A page of a session's events after `afterSeq`, oldest first; `onlyErrors` keeps the failed ones. */
export function pageEvents(core: Core, sessionId: string, afterSeq: number, limit: number, onlyErrors: boolean) {
  const rows = onlyErrors
    ? core.all<EventRow>('SELECT * FROM wf_events WHERE session_id = ? AND ok = 0 AND seq > ? ORDER BY seq LIMIT ?', sessionId, afterSeq, limit + 1)
    : core.all<EventRow>('SELECT * FROM wf_events WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?', sessionId, afterSeq, limit + 1);
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const total = onlyErrors
    ? core.get<{ n: number }>('SELECT count(*) AS n FROM wf_events WHERE session_id = ? AND ok = 0', sessionId)!.n
    : core.get<{ n: number }>('SELECT count(*) AS n FROM wf_events WHERE session_id = ?', sessionId)!.n;
  return {
    events: page.map(presentEvent),
    total,
    next_after_seq: more ? page[page.length - 1]!.seq : null,
  };
}
