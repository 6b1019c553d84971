// Requests from the server to a client over HTTP (2025 era), for elicitation (issue 14). A client
// that initialized over HTTP with a connection (a bridge's `x-praxis-connection`, or the
// `Mcp-Session-Id` the server issued) and holds a notification stream (`GET /mcp`) can be sent a
// request on that stream (only IDEs behind bridges are asked to approve); its answer comes back as a POST carrying the same connection, and is
// matched here by its id. Its subscriptions are kept here too, so that its stream carries only the
// resource updates it asked for. The SDK's stateless HTTP transport cannot do this: each POST meets a new
// server instance, which knows nothing of a request another one sent.

import { isPlainObject } from '../protocol/light.ts';

/** What a client said of itself in its `initialize`. */
interface ClientFacts {
  name?: string;
  /** An IDE's stdio behind a bridge (`x-praxis-origin: stdio`), not an HTTP client of its own. */
  ide: boolean;
  /** Its `capabilities.elicitation`, when it declared one. */
  elicitation?: Record<string, unknown>;
}

type JsonRpcReply = { id?: unknown; result?: unknown; error?: { code?: number; message?: string } };

/** Bound on the clients (and the clients' subscriptions) remembered; the oldest are forgotten first. */
const MAX_CLIENTS = 1024;
/** Bound on one client's subscribed URIs. */
const MAX_SUBSCRIPTIONS = 1024;

export interface HttpConnections {
  /** A client initialized over `connection` with these `initialize` params; `ide` when it is an IDE behind a bridge. */
  initialized(connection: string, params: unknown, ide: boolean): void;
  /** A notification stream of `connection` opened; returns what to call when it ends. */
  streamOpened(connection: string, send: (message: Record<string, unknown>) => boolean): () => void;
  /** The IDEs behind bridges that hold a stream now and declared form elicitation, oldest first (an HTTP sub-agent is never asked to approve its own work). */
  canElicit(): { connection: string; client?: string }[];
  /** Sends a request on the connection's stream; resolves with its result, rejects with its error or when the stream ends first. */
  request(connection: string, method: string, params: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** A POSTed JSON-RPC reply of `connection`: true when it answered a request sent here (then nothing else should see it). */
  answer(connection: string, message: unknown): boolean;
  /** The client of `connection` subscribed to `uri` (or unsubscribed: `on` false). */
  subscribe(connection: string, uri: string, on: boolean): void;
  /** How many known connections are subscribed to `uri`. */
  subscribers(uri: string): number;
  /** Whether a notification is for the client of `connection`: `resources/updated` only for a URI it subscribed to. */
  wants(connection: string, notification: { method: string; params?: Record<string, unknown> }): boolean;
  /** The client ended its session: forget it. */
  forget(connection: string): void;
}


/** Whether a JSON-RPC message is a reply (a result or an error, no method). */
export const isReply = (m: unknown): m is JsonRpcReply => isPlainObject(m) && !('method' in m) && 'id' in m && ('result' in m || 'error' in m);

export function createHttpConnections(): HttpConnections {
  const clients = new Map<string, ClientFacts>();
  const streams = new Map<string, (message: Record<string, unknown>) => boolean>();
  const pending = new Map<string, { connection: string; resolve(r: Record<string, unknown>): void; reject(e: Error): void }>();
  const subscriptions = new Map<string, Set<string>>();
  let next = 0;

  const dropPendingOf = (connection: string) => {
    for (const [id, p] of pending) {
      if (p.connection !== connection) continue;
      pending.delete(id);
      p.reject(new Error('the client\'s stream ended before it answered'));
    }
  };

  return {
    initialized(connection, params, ide) {
      const p = isPlainObject(params) ? params : {};
      const info = isPlainObject(p.clientInfo) ? p.clientInfo : {};
      const caps = isPlainObject(p.capabilities) ? p.capabilities : {};
      clients.delete(connection);
      clients.set(connection, {
        ide,
        ...(typeof info.name === 'string' && { name: info.name.slice(0, 200) }),
        ...(isPlainObject(caps.elicitation) && { elicitation: caps.elicitation }),
      });
      if (clients.size > MAX_CLIENTS) clients.delete(clients.keys().next().value!);
    },
    streamOpened(connection, send) {
      streams.set(connection, send);
      return () => {
        if (streams.get(connection) !== send) return;
        streams.delete(connection);
        dropPendingOf(connection);
      };
    },
    canElicit() {
      const out: { connection: string; client?: string }[] = [];
      for (const [connection, facts] of clients) {
        const e = facts.elicitation;
        // Form mode: an empty object (2025-06-18) or one naming `form` (2025-11-25).
        if (facts.ide && e && streams.has(connection) && (Object.keys(e).length === 0 || e.form !== undefined)) out.push({ connection, client: facts.name });
      }
      return out;
    },
    request(connection, method, params) {
      const send = streams.get(connection);
      if (!send) return Promise.reject(new Error('the client holds no stream'));
      const id = `praxis-${++next}`;
      return new Promise((resolve, reject) => {
        pending.set(id, { connection, resolve, reject });
        if (!send({ jsonrpc: '2.0', id, method, params })) {
          pending.delete(id);
          reject(new Error('the client\'s stream is closed'));
        }
      });
    },
    subscribe(connection, uri, on) {
      let uris = subscriptions.get(connection);
      if (!on) return void uris?.delete(uri);
      if (!uris) {
        subscriptions.set(connection, (uris = new Set()));
        if (subscriptions.size > MAX_CLIENTS) subscriptions.delete(subscriptions.keys().next().value!);
      }
      if (uris.size < MAX_SUBSCRIPTIONS) uris.add(uri);
    },
    subscribers(uri) {
      let n = 0;
      for (const uris of subscriptions.values()) if (uris.has(uri)) n++;
      return n;
    },
    wants(connection, n) {
      if (n.method !== 'notifications/resources/updated') return true;
      return subscriptions.get(connection)?.has(String(n.params?.uri)) ?? false;
    },
    forget(connection) {
      clients.delete(connection);
      subscriptions.delete(connection);
      dropPendingOf(connection);
    },
    answer(connection, message) {
      if (!isReply(message) || typeof message.id !== 'string') return false;
      const p = pending.get(message.id);
      if (!p || p.connection !== connection) return false;
      pending.delete(message.id);
      if (message.error) p.reject(new Error(`the client answered with an error: ${message.error.message ?? message.error.code}`));
      else p.resolve(isPlainObject(message.result) ? message.result : {});
      return true;
    },
  };
}
