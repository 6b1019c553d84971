// Requests from the server to a client over HTTP (2025 era), for elicitation (issue 14). A client
// that initialized over HTTP with a connection (a bridge's `x-praxis-connection`, or the
// `Mcp-Session-Id` the server issued) and holds a notification stream (`GET /mcp`) can be sent a
// request on that stream (only IDEs behind bridges are asked to approve); its answer comes back as a POST carrying the same connection, and is
// matched here by its id. The SDK's stateless HTTP transport cannot do this: each POST meets a new
// server instance, which knows nothing of a request another one sent.

/** What a client said of itself in its `initialize`. */
interface ClientFacts {
  name?: string;
  /** An IDE's stdio behind a bridge (`x-praxis-origin: stdio`), not an HTTP client of its own. */
  ide: boolean;
  /** Its `capabilities.elicitation`, when it declared one. */
  elicitation?: Record<string, unknown>;
}

type JsonRpcReply = { id?: unknown; result?: unknown; error?: { code?: number; message?: string } };

/** Bound on the clients remembered (the oldest initialize is forgotten first). */
const MAX_CLIENTS = 1024;

export interface ConnectionRequests {
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
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a JSON-RPC message is a reply (a result or an error, no method). */
export const isReply = (m: unknown): m is JsonRpcReply => isObject(m) && !('method' in m) && 'id' in m && ('result' in m || 'error' in m);

export function createConnectionRequests(): ConnectionRequests {
  const clients = new Map<string, ClientFacts>();
  const streams = new Map<string, (message: Record<string, unknown>) => boolean>();
  const pending = new Map<string, { connection: string; resolve(r: Record<string, unknown>): void; reject(e: Error): void }>();
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
      const p = isObject(params) ? params : {};
      const info = isObject(p.clientInfo) ? p.clientInfo : {};
      const caps = isObject(p.capabilities) ? p.capabilities : {};
      clients.delete(connection);
      clients.set(connection, {
        ide,
        ...(typeof info.name === 'string' && { name: info.name.slice(0, 200) }),
        ...(isObject(caps.elicitation) && { elicitation: caps.elicitation }),
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
    answer(connection, message) {
      if (!isReply(message) || typeof message.id !== 'string') return false;
      const p = pending.get(message.id);
      if (!p || p.connection !== connection) return false;
      pending.delete(message.id);
      if (message.error) p.reject(new Error(`the client answered with an error: ${message.error.message ?? message.error.code}`));
      else p.resolve(isObject(message.result) ? message.result : {});
      return true;
    },
  };
}
