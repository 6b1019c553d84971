// Live workflow state for clients and people (issue 14): notices every commit to the workflow
// tables (this process's and other processes', by PRAGMA data_version), tells clients which
// resources changed, feeds `GET /events`, and releases the claims of a connection that ended.
// It polls only while a workflow is in use here, someone is subscribed, or an event stream is
// open: an idle server pays nothing.
import type { AppContext } from '../../context.ts';
import { RESOURCES_LIST_CHANGED } from '../../notifications/hub.ts';
import type { OpenEngine } from '../engine/open.ts';
import { type EventRow, presentEvent } from '../engine/events.ts';
import type { Actor } from '../engine/identity.ts';
import { mutate } from '../engine/mutate.ts';

/** URIs of the workflow resources. */
export const WORKFLOWS_URI = 'praxis://workflows';
export const SESSIONS_URI = 'praxis://workflows/sessions';
export const sessionUri = (id: string) => `${SESSIONS_URI}/${id}`;

/** How often the database is asked whether anything committed (the 250 ms promise of issue 14, with room). */
export const POLL_MS = 100;
/** A workflow counts as in use this long after the last call. */
const IN_USE_MS = 10 * 60_000;
// Actions after which the list of sessions differs.
const LIST_ACTIONS = new Set(['start', 'delete_session', 'archive']);

/** Who releases a claim whose connection ended. */
const RELEASER: Actor = { agent: 'praxis-mcp', client: 'praxis-mcp', transport: 'server' };

export interface WorkflowLive {
  /** Something used workflows (a tool call, a resource read): poll for a while, and look now. */
  touch(): void;
  /** A client subscribed to `uri` (any transport); returns the unsubscribe. */
  subscribe(uri: string): () => void;
  /** Listens to every new event (GET /events); returns the unsubscribe. */
  onEvent(listener: (event: Record<string, unknown>) => void): () => void;
  /** Remembers a claim taken over `connection`, released when `connectionEnded(connection)`. */
  trackClaim(connection: string, sessionId: string, taskId: string, agent: string): void;
  /** The connection ended: its claims still held by the same agent return to ready (one event each). */
  connectionEnded(connection: string, reason: string): Promise<number>;
  /** Stops polling. */
  close(): void;
}

/** The live state over an opened engine; `publish` reaches every client (the app's notification hub). */
export function createWorkflowLive(opened: OpenEngine, ctx: Pick<AppContext, 'notifications' | 'log'>, pollMs = POLL_MS): WorkflowLive {
  const { engine, store } = opened;
  const core = engine.core;
  const subscriptions = new Map<string, number>();
  const listeners = new Set<(event: Record<string, unknown>) => void>();
  const claims = new Map<string, Map<string, { sessionId: string; taskId: string; agent: string }>>();
  let lastSeq = core.get<{ m: number | null }>('SELECT max(seq) AS m FROM wf_events')!.m ?? 0;
  let version = store.dataVersion();
  let inUseUntil = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  let closed = false;
  let checkQueued = false;

  const wanted = () => !closed && (Date.now() < inUseUntil || subscriptions.size > 0 || listeners.size > 0);
  const schedule = () => {
    if (timer || !wanted()) return;
    timer = setInterval(() => {
      if (!wanted()) {
        clearInterval(timer);
        timer = undefined;
        return;
      }
      const v = store.dataVersion();
      if (v !== version) {
        version = v;
        check();
      }
    }, pollMs);
    timer.unref?.();
  };

  /** Reads the events after the last seen one and tells whoever cares. */
  function check(): void {
    if (closed) return;
    const rows = core.all<EventRow>('SELECT * FROM wf_events WHERE seq > ? ORDER BY seq LIMIT 1000', lastSeq);
    if (rows.length === 0) return;
    lastSeq = rows[rows.length - 1]!.seq;
    const touched = new Set<string>();
    let listChanged = false;
    for (const row of rows) {
      if (row.session_id) touched.add(row.session_id);
      if (row.ok === 1 && LIST_ACTIONS.has(row.action)) listChanged = true;
      if (listeners.size > 0) {
        const event = { session_id: row.session_id, ...presentEvent(row) };
        for (const l of listeners) l(event);
      }
    }
    if (listChanged) ctx.notifications.publish(RESOURCES_LIST_CHANGED);
    const updated = (uri: string) => ctx.notifications.publish({ method: 'notifications/resources/updated', params: { uri } });
    if (touched.size > 0) updated(SESSIONS_URI);
    for (const id of touched) updated(sessionUri(id));
    if (rows.length === 1000) setImmediate(check);
  }

  const live: WorkflowLive = {
    touch() {
      inUseUntil = Date.now() + IN_USE_MS;
      schedule();
      // This process's own commits do not change its data_version: look now (after the group
      // commit), once for all the calls that arrived together.
      if (!checkQueued) {
        checkQueued = true;
        setImmediate(() => {
          checkQueued = false;
          check();
        });
      }
    },
    subscribe(uri) {
      subscriptions.set(uri, (subscriptions.get(uri) ?? 0) + 1);
      schedule();
      let done = false;
      return () => {
        if (done) return;
        done = true;
        const n = (subscriptions.get(uri) ?? 1) - 1;
        if (n <= 0) subscriptions.delete(uri);
        else subscriptions.set(uri, n);
      };
    },
    onEvent(listener) {
      listeners.add(listener);
      schedule();
      return () => void listeners.delete(listener);
    },
    trackClaim(connection, sessionId, taskId, agent) {
      let held = claims.get(connection);
      if (!held) claims.set(connection, (held = new Map()));
      held.set(`${sessionId}\n${taskId}`, { sessionId, taskId, agent });
    },
    async connectionEnded(connection, reason) {
      const held = claims.get(connection);
      claims.delete(connection);
      if (!held || closed) return 0;
      let released = 0;
      for (const { sessionId, taskId, agent } of held.values()) {
        // Completed, released or lost since: nothing to release, and no event saying so.
        if (!core.get("SELECT 1 AS x FROM wf_tasks WHERE session_id = ? AND id = ? AND status = 'claimed' AND claimed_by = ?", sessionId, taskId, agent)) continue;
        const answer = await mutate(core, RELEASER, { action: 'claim_released', sessionId, taskId, input: { reason, connection } }, () => {
          const n = core.run(
            `UPDATE wf_tasks SET status = 'ready', claimed_by = NULL, lease_until = NULL, version = version + 1
             WHERE session_id = ? AND id = ? AND status = 'claimed' AND claimed_by = ?`,
            sessionId,
            taskId,
            agent,
          );
          return { result: { task_id: taskId, held_by: agent, released: n === 1, status: n === 1 ? 'ready' : 'unchanged', reason } };
        }).catch((e) => {
          ctx.log.warn(`workflows: could not release ${taskId} of ${agent}: ${(e as Error).message}`);
          return undefined;
        });
        if (answer?.released) released++;
      }
      if (released > 0) ctx.log.info(`workflows: released ${released} claim(s) of a connection that ended (${reason})`);
      check();
      return released;
    },
    close() {
      closed = true;
      clearInterval(timer);
      timer = undefined;
      listeners.clear();
    },
  };
  return live;
}
