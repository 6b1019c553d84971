import type { JSONRPCMessage } from '@modelcontextprotocol/server';

/** Where JSON-RPC messages go: a live server's URL, or an in-process fetch handler. */
export interface RpcTarget {
  url: string;
  token: string | null;
  /** In-process handler; when absent the network `fetch` is used. */
  fetch?: (request: Request) => Response | Promise<Response>;
  /** Extra request headers (e.g. which transport the message came from). */
  headers?: Record<string, string>;
}

/** Splits an SSE stream into the JSON payloads of its `data:` lines, as events arrive. */
export async function* sseMessages(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n?/g, '\n');
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).replace(/^ /, ''))
        .join('\n');
      if (data.trim() !== '') yield data;
    }
  }
}

/** Whether an error means the connection broke (the server may have died mid-request). */
export function isConnectionReset(error: unknown): boolean {
  const text = `${(error as { code?: unknown })?.code ?? ''} ${(error as Error)?.message ?? ''}`;
  return /ECONNRESET|socket connection was closed|socket hang up|EPIPE/i.test(text);
}

/** Whether an error means nothing was listening (the request never reached a server). */
export function isConnectionRefused(error: unknown): boolean {
  const text = `${(error as { code?: unknown })?.code ?? ''} ${(error as Error)?.message ?? ''}`;
  return /ECONNREFUSED|ConnectionRefused|Unable to connect|connection refused/i.test(text);
}

/** Per-request options of `postRpc`. */
export interface PostOptions {
  /** Protocol headers for this message (`MCP-Protocol-Version` and the like, see era-headers.ts). */
  headers?: Record<string, string>;
  /** Aborts the request, or the reading of its reply. */
  signal?: AbortSignal;
}

/**
 * POSTs one JSON-RPC message (or a raw body, forwarded as it came) to an MCP endpoint and calls
 * `onMessage` with every JSON-RPC message of the reply (a JSON body or an SSE stream), in order.
 * Resolves with the HTTP status.
 */
export async function postRpc(
  target: RpcTarget,
  message: JSONRPCMessage | JSONRPCMessage[] | string,
  onMessage: (message: JSONRPCMessage) => void,
  options: PostOptions = {},
): Promise<number> {
  const headers = headersFor(target, { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...options.headers });
  const body = typeof message === 'string' ? message : JSON.stringify(message);
  const request = new Request(target.url, { method: 'POST', headers, body, signal: options.signal });
  const response = await send(target, request, options.signal);
  await readRpcReply(response, onMessage, options.signal);
  return response.status;
}

/**
 * Sends a request to the network or the in-process handler. The network `fetch` ends on abort by
 * itself; an in-process handler may not look at the signal, so the wait for it is cut short here.
 */
function send(target: RpcTarget, request: Request, signal?: AbortSignal): Promise<Response> {
  if (!target.fetch) return fetch(request);
  const answer = Promise.resolve(target.fetch(request));
  if (!signal) return answer;
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason ?? new DOMException('aborted', 'AbortError'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    answer.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The body of a response, cut off (with an error) when `signal` aborts, whoever produced it. */
const abortableBody = (body: ReadableStream<Uint8Array>, signal?: AbortSignal) =>
  signal ? body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>(), { signal }) : body;

/** The headers of a request to `target`: its own, the bearer token, and `extra`. */
function headersFor(target: RpcTarget, extra: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = { ...target.headers, ...extra };
  if (target.token) headers.authorization = `Bearer ${target.token}`;
  // An in-process request never crosses a socket, so nothing adds the Host header the guards check.
  if (target.fetch) headers.host = new URL(target.url).host;
  return headers;
}

/**
 * Opens the 2025-era notification stream of an MCP endpoint (`GET`, SSE) and calls `onMessage`
 * with every JSON-RPC message on it until it ends. Resolves with the HTTP status when the stream
 * ends (or at once when the server refuses it).
 */
export async function listenRpc(
  target: RpcTarget,
  onMessage: (message: JSONRPCMessage) => void,
  options: PostOptions & { onOpen?: () => void } = {},
): Promise<number> {
  const headers = headersFor(target, { accept: 'text/event-stream', ...options.headers });
  const request = new Request(target.url, { method: 'GET', headers, signal: options.signal });
  const response = await send(target, request, options.signal);
  if (!response.ok || !(response.headers.get('content-type') ?? '').includes('text/event-stream') || !response.body) {
    await response.body?.cancel().catch(() => {});
    return response.status;
  }
  options.onOpen?.();
  for await (const data of sseMessages(abortableBody(response.body, options.signal))) onMessage(JSON.parse(data) as JSONRPCMessage);
  return response.status;
}

/** Calls `onMessage` with every JSON-RPC message of an MCP reply: a JSON body or an SSE stream. */
export async function readRpcReply(response: Response, onMessage: (message: JSONRPCMessage) => void, signal?: AbortSignal): Promise<void> {
  const type = response.headers.get('content-type') ?? '';
  if (type.includes('text/event-stream') && response.body) {
    for await (const data of sseMessages(abortableBody(response.body, signal))) onMessage(JSON.parse(data) as JSONRPCMessage);
  } else {
    const text = await response.text();
    if (text.trim() !== '') {
      const parsed = JSON.parse(text) as JSONRPCMessage | JSONRPCMessage[];
      for (const m of Array.isArray(parsed) ? parsed : [parsed]) onMessage(m);
    }
  }
}
