import type { LightProtocol } from '../protocol/light.ts';
import { LEGACY_PROTOCOL_VERSIONS, asPlainRequest } from '../protocol/light.ts';
import { callInfoOfRequest } from '../registry/tool.ts';

/** Answers one request without the SDK, or returns undefined to let the SDK answer it. */
export type FastPath = (request: Request, body: unknown) => Promise<Response | undefined> | undefined;

// The headers of the SDK's stateless 2025-era SSE reply (WebStandardStreamableHTTPServerTransport).
const SSE_HEADERS = {
  'Content-Type': 'text/event-stream',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
};

/**
 * `application/json`, with at most a UTF-8 charset. Narrower than the SDK's check on purpose: any
 * other spelling goes to the SDK, which then judges it itself.
 */
const isPlainJsonContentType = (value: string | null) =>
  value !== null && /^application\/json\s*(;\s*charset="?utf-8"?\s*)?$/i.test(value);

/**
 * The HTTP fast path (issue 6). For a stateless 2025-era request the SDK builds a transport,
 * classifies, parses the message against several schemas and dispatches: most of a call's cost,
 * and the SDK's whole memory for a client that never needs more. A request whose every part is
 * plain (a single JSON-RPC request the light protocol answers, a 2025-era protocol header or none,
 * the Accept and Content-Type the spec asks for) is answered here with the bytes the SDK would
 * send: the same status, headers, SSE framing and JSON (a parity test compares them). Anything
 * else, including every error the SDK reports itself, goes to the SDK untouched.
 */
export function createFastPath(light: LightProtocol): FastPath {
  const versions = new Set(LEGACY_PROTOCOL_VERSIONS);
  return (request, body) => {
    const message = asPlainRequest(body);
    if (!message) return undefined;
    const headers = request.headers;
    const accept = headers.get('accept') ?? '';
    if (!accept.includes('application/json') || !accept.includes('text/event-stream')) return undefined;
    if (!isPlainJsonContentType(headers.get('content-type'))) return undefined;
    const version = headers.get('mcp-protocol-version');
    if (version !== null && !versions.has(version)) return undefined;
    const answer = light.answer(message, message.method === 'tools/call' ? callInfoOfRequest(request) : undefined);
    if (answer === undefined) return undefined;
    return Promise.resolve(answer).then(
      (reply) => new Response(`event: message\ndata: ${JSON.stringify(reply)}\n\n`, { status: 200, headers: SSE_HEADERS }),
    );
  };
}
