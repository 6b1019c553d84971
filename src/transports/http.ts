import type { McpHttpHandler } from '@modelcontextprotocol/server';
import { type Context, Hono } from 'hono';
import type { TransportName } from '../context.ts';
import type { FastPath } from './fast-call.ts';
import { bearerMatches, isAllowedOrigin, isLoopbackHostHeader } from './guards.ts';
import { isUnsupportedVersion, unsupportedVersionError } from './protocol-version.ts';
import { type HttpSessions, SESSION_HEADER, isValidSessionId } from './sessions.ts';
import { type HttpConnections, isReply } from './connections.ts';
import { ORIGIN_HEADER, connectionOfRequest, sessionConnection } from '../registry/tool.ts';

/** Options of `createHttpApp`. */
export interface HttpAppOptions {
  /** The SDK handler that serves MCP for one request. */
  mcp: McpHttpHandler;
  /** The MCP endpoint path, e.g. `/mcp`. */
  path: string;
  /** The bearer token the MCP endpoint requires; null disables auth (`--no-auth`). */
  token: string | null;
  /** The body of `GET /health` (no secrets). */
  health: () => Record<string, unknown>;
  /** Called with the number of JSON-RPC requests in each POST, and the transport they came from. */
  onRequests?: (count: number, via: TransportName) => void;
  /** In-flight tracking, so shutdown can drain. */
  inflight?: { enter(): void; leave(): void };
  /** Largest accepted request body in bytes (413 above). */
  maxBodyBytes?: number;
  /** Answers the requests it can without the SDK (see fast-call.ts); undefined passes to the SDK. */
  fastPath?: FastPath;
  /** Answers `GET` on the MCP endpoint: the 2025-era notification stream (event-stream.ts); absent, the SDK answers (405). */
  openStream?: (request: Request) => Response;
  /** Answers `GET /events` (behind the token): the workflow event stream for scripts (issue 14). */
  events?: (request: Request) => Promise<Response>;
  /** 2025-era sessions (sessions.ts): an id on each `initialize` reply, `DELETE` ends one; absent, the server issues none. */
  sessions?: HttpSessions;
  /** Requests from the server to clients with a connection and a stream (connections.ts): their replies are matched here. */
  clients?: HttpConnections;
}

/** Header with which in-process stdio forwarding marks its requests. */
export const VIA_HEADER = 'x-praxis-via';

/** 4 MiB: the SDK's own default bound. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

const jsonRpcError = (code: number, message: string) => ({ jsonrpc: '2.0', id: null, error: { code, message } });

function countRequests(body: unknown): number {
  const isRequest = (m: unknown) => typeof m === 'object' && m !== null && 'method' in m && 'id' in m;
  return Array.isArray(body) ? body.filter(isRequest).length : isRequest(body) ? 1 : 0;
}

/** Reads at most `limit` bytes of a body; undefined when it is larger. */
async function readBounded(request: Request, limit: number): Promise<string | undefined> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > limit) return undefined;
  if (!request.body) return '';
  // With a declared length the server has framed the body already: read it whole instead of
  // copying chunks (issue 6); the size check stays, for in-process requests whose header may lie.
  if (Number.isFinite(declared)) {
    const text = await request.text();
    return Buffer.byteLength(text) > limit ? undefined : text;
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

const isInitialize = (body: unknown) =>
  typeof body === 'object' && body !== null && (body as { method?: unknown }).method === 'initialize' && 'id' in body;

/** The same response with one more header (a response's own headers may be immutable). */
function withHeader(response: Response, name: string, value: string): Response {
  const headers = new Headers(response.headers);
  headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

const isListen = (body: unknown) =>
  typeof body === 'object' && body !== null && (body as { method?: unknown }).method === 'subscriptions/listen';

/** The same response, calling `done` once when its body has been read to the end, failed or been cancelled. */
function onBodyEnd(response: Response, done: () => void): Response {
  const reader = response.body!.getReader();
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    done();
  };
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const chunk = await reader.read();
        if (chunk.done) {
          finish();
          controller.close();
        } else controller.enqueue(chunk.value);
      } catch (error) {
        finish();
        controller.error(error);
      }
    },
    cancel(reason) {
      finish();
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/**
 * The HTTP face: guards (Host, Origin, token, body size) run before the SDK handler, which never
 * sees a request the guards refused. `GET /health` needs no token and reveals nothing secret.
 */
export function createHttpApp(options: HttpAppOptions): Hono {
  const { mcp, path, token, health, onRequests, inflight, fastPath, openStream, events, sessions, clients, maxBodyBytes = DEFAULT_MAX_BODY_BYTES } = options;
  const app = new Hono();

  // DNS rebinding protection (spec: Streamable HTTP, security warning) on every route.
  app.use('*', async (c, next) => {
    if (!isLoopbackHostHeader(c.req.header('host'))) {
      return c.json(jsonRpcError(-32000, 'Forbidden: the Host header must name a loopback host'), 403);
    }
    if (!isAllowedOrigin(c.req.header('origin'))) {
      return c.json(jsonRpcError(-32000, 'Forbidden: the Origin header must be a loopback origin'), 403);
    }
    await next();
  });

  app.get('/health', (c) => c.json(health()));
  app.all('/health', (c) => c.json({ error: 'Method not allowed: use GET /health' }, 405, { allow: 'GET' }));

  const unauthorized = (c: Context) => {
    if (token === null || bearerMatches(c.req.header('authorization'), token)) return undefined;
    c.header('WWW-Authenticate', 'Bearer realm="praxis-mcp", error="invalid_token"');
    return c.json(
      jsonRpcError(-32001, 'Unauthorized: send "Authorization: Bearer <token>" with the token from .praxis-os/.mcp_server_state.json'),
      401,
    );
  };
  if (events) app.get('/events', async (c) => unauthorized(c) ?? events(c.req.raw));

  app.all(path, async (c) => {
    const refused = unauthorized(c);
    if (refused) return refused;
    const version = c.req.header('mcp-protocol-version');
    if (isUnsupportedVersion(version)) {
      const body = c.req.method === 'POST' ? await readBounded(c.req.raw, maxBodyBytes) : undefined;
      return c.json(unsupportedVersionError(version, body), 400);
    }
    const session = c.req.header(SESSION_HEADER);
    if (sessions && session !== undefined) {
      if (!isValidSessionId(session)) return c.json(jsonRpcError(-32600, 'Bad Request: the Mcp-Session-Id header must be 1-128 visible ASCII characters'), 400);
      if (sessions.ended(session)) return c.json(jsonRpcError(-32001, 'Session not found: it was ended; send initialize for a new one'), 404);
      if (c.req.method === 'DELETE') {
        sessions.end(session);
        return c.body(null, 200);
      }
    }
    inflight?.enter();
    let handedOff = false;
    try {
      const request = c.req.raw;
      if (request.method === 'GET' && openStream) return openStream(request);
      if (request.method !== 'POST') return await mcp.fetch(request);
      const text = await readBounded(request, maxBodyBytes);
      if (text === undefined) {
        return c.json(jsonRpcError(-32600, `Request body too large: the limit is ${maxBodyBytes} bytes`), 413);
      }
      let parsedBody: unknown;
      try {
        parsedBody = JSON.parse(text);
      } catch {
        return c.json(jsonRpcError(-32700, 'Parse error: the request body is not valid JSON'), 400);
      }
      // A bridge forwarding its IDE's stdio in-process marks its requests, so counters stay per transport.
      onRequests?.(countRequests(parsedBody), request.headers.get(VIA_HEADER) === 'stdio' ? 'stdio' : 'http');
      // The reply to a request the server sent this client (elicitation): taken here, never by the SDK.
      const connection = connectionOfRequest(request);
      if (clients && connection && isReply(parsedBody) && clients.answer(connection, parsedBody)) return c.body(null, 202);
      // A successful initialize opens a session (2025 era): its id names the client's connection.
      const withSession = (response: Response) => {
        if (response.status !== 200 || !isInitialize(parsedBody)) return response;
        const issued = sessions?.issue();
        const named = connection ?? (issued && sessionConnection(issued));
        if (clients && named) clients.initialized(named, (parsedBody as { params?: unknown }).params, request.headers.get(ORIGIN_HEADER) === 'stdio');
        return issued ? withHeader(response, SESSION_HEADER, issued) : response;
      };
      const fast = fastPath?.(request, parsedBody);
      if (fast) {
        const answered = await fast;
        if (answered) return withSession(answered);
      }
      const response = withSession(await mcp.fetch(request, { parsedBody }));
      // An SSE reply resolves `fetch` at once and streams the result later: the call is in flight
      // until its body has been sent (or the client has gone), so shutdown waits for that. A
      // subscriptions/listen stream (2026-07-28) lasts as long as its client listens: not a call.
      if (inflight && response.body && !isListen(parsedBody)) {
        handedOff = true;
        return onBodyEnd(response, () => inflight.leave());
      }
      return response;
    } finally {
      if (!handedOff) inflight?.leave();
    }
  });

  app.notFound((c) => c.json({ error: `Not found: the MCP endpoint is ${path}, health is /health` }, 404));
  app.onError((error, c) => c.json(jsonRpcError(-32603, `Internal error: ${error.message}`), 500));
  return app;
}
