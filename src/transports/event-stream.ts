import type { NotificationHub, ServerNotification } from '../notifications/hub.ts';

/** Options of `notificationStream`. */
export interface NotificationStreamOptions {
  /** SSE comment frames at this interval keep idle connections (and proxies) open; 0 disables. */
  keepAliveMs?: number;
  /** At most this many streams at once; more get 503 (each holds a connection and a subscriber). */
  maxStreams?: number;
  /** Called once when a stream ends (the client went away, or the hub closed). */
  onEnd?: (request: Request) => void;
  /** Called when a stream opens, with a way to send the client a JSON-RPC message on it (false once closed); what it returns is called when the stream ends. */
  onOpen?: (request: Request, send: (message: Record<string, unknown>) => boolean) => (() => void) | undefined;
  /** Whether a notification is for this stream's client (default: every one is). */
  wants?: (request: Request, notification: ServerNotification) => boolean;
}

/** Default keep-alive interval: the SDK's own for its SSE streams. */
export const KEEP_ALIVE_MS = 15_000;
/** Default bound on open GET streams. */
export const MAX_STREAMS = 256;

// The headers of the SDK's SSE replies (WebStandardStreamableHTTPServerTransport).
const SSE_HEADERS = {
  'Content-Type': 'text/event-stream',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
};

const json = (status: number, message: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code: -32000, message } }), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });

/**
 * The 2025-era way for a Streamable HTTP server to reach a client unasked: `GET` on the MCP
 * endpoint opens an SSE stream (spec 2025-11-25, "Listening for Messages from the Server"), and
 * every notification the hub publishes that `wants` lets through is sent on it as an
 * `event: message`. A stream whose request names a connection (a session id, a bridge's header)
 * is that client's: `onOpen` may send it requests, and its end ends the connection (`onEnd`).
 * Returns the response for one GET.
 */
export function createNotificationStreams(hub: NotificationHub, options: NotificationStreamOptions = {}) {
  const { keepAliveMs = KEEP_ALIVE_MS, maxStreams = MAX_STREAMS, onEnd, onOpen, wants } = options;
  let open = 0;
  const encoder = new TextEncoder();

  return (request: Request): Response => {
    if (!(request.headers.get('accept') ?? '').includes('text/event-stream')) {
      return json(406, 'Not Acceptable: a GET on the MCP endpoint opens an SSE stream; send "Accept: text/event-stream"');
    }
    if (open >= maxStreams) return json(503, `Service Unavailable: ${maxStreams} notification streams are open already`, { 'Retry-After': '5' });
    open++;
    let finish = () => {};
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        let done = false;
        let timer: ReturnType<typeof setInterval> | undefined;
        let unsubscribe = () => {};
        let closed: (() => void) | undefined;
        finish = () => {
          if (done) return;
          done = true;
          open--;
          clearInterval(timer);
          unsubscribe();
          closed?.();
          onEnd?.(request);
        };
        const send = (text: string) => {
          if (done) return;
          try {
            controller.enqueue(encoder.encode(text));
          } catch {
            finish(); // the client has gone
          }
        };
        // The server shuts down, or the client aborted (an in-process client has no socket to close).
        const end = () => {
          finish();
          try {
            controller.close();
          } catch {
            // already closed or cancelled
          }
        };
        unsubscribe = hub.subscribe({
          notify: (n) => {
            if (!wants || wants(request, n)) send(`event: message\ndata: ${JSON.stringify({ jsonrpc: '2.0', ...n })}\n\n`);
          },
          close: end,
        });
        if (keepAliveMs > 0) timer = setInterval(() => send(': keep-alive\n\n'), keepAliveMs);
        // A comment first, so the client's fetch resolves (headers and a first byte) at once.
        send(': praxis-mcp notifications\n\n');
        if (!done) closed = onOpen?.(request, (message) => {
          send(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
          return !done;
        });
        if (request.signal.aborted) end();
        else request.signal.addEventListener('abort', end, { once: true });
      },
      cancel() {
        finish();
      },
    });
    return new Response(body, { status: 200, headers: SSE_HEADERS });
  };
}
