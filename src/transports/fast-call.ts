import type { CallToolResult } from '@modelcontextprotocol/server';
import type { AppContext } from '../context.ts';
import type { ToolDefinition } from '../registry/tool.ts';

/** Answers one request without the SDK, or returns undefined to let the SDK answer it. */
export type FastPath = (request: Request, body: unknown) => Promise<Response | undefined> | undefined;

// The headers of the SDK's stateless 2025-era SSE reply (WebStandardStreamableHTTPServerTransport).
const SSE_HEADERS = {
  'Content-Type': 'text/event-stream',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
};

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const onlyKeys = (o: Record<string, unknown>, allowed: ReadonlySet<string>) => Object.keys(o).every((k) => allowed.has(k));
const MESSAGE_KEYS = new Set(['jsonrpc', 'id', 'method', 'params']);
const PARAM_KEYS = new Set(['name', 'arguments']);

/**
 * What the SDK's 2025-era codec does to a tool result before it goes on the wire
 * (`projectCallToolResult`); our tools' output schemas are all objects (zod objects), so only a
 * non-object value is wrapped.
 */
function projectLegacy(result: CallToolResult): CallToolResult {
  const sc = result.structuredContent as unknown;
  if (sc === undefined) return result;
  const nonObject = !isPlainObject(sc);
  let out = result;
  if (nonObject && !(result.content?.some((c) => c.type === 'text') ?? false)) {
    out = { ...out, content: [...(out.content ?? []), { type: 'text', text: JSON.stringify(sc) }] };
  }
  return nonObject ? { ...out, structuredContent: { result: sc } } : out;
}

/**
 * A fast path for the hottest request, a 2025-era stateless `tools/call` (issue 6). The SDK builds
 * a transport, classifies, parses the message against several schemas and dispatches for every
 * HTTP request; that is most of a call's cost. For a request whose every part is plain (a single
 * JSON-RPC request, no `_meta`, a known tool, arguments that pass its schema, a 2025-era protocol
 * header or none), this answers with the bytes the SDK would send: the same status, headers, SSE
 * framing, JSON key order and error results (a parity test compares them). Anything else, including
 * every error the SDK reports itself, goes to the SDK untouched.
 */
export function createFastToolCall(
  ctx: AppContext,
  tools: readonly ToolDefinition[],
  legacyVersions: readonly string[],
  isJsonContentType: (value: string | null) => boolean,
): FastPath {
  const byName = new Map(tools.map((t) => [t.name, t]));
  const versions = new Set(legacyVersions);
  return (request, body) => {
    if (!isPlainObject(body) || body.jsonrpc !== '2.0' || body.method !== 'tools/call' || !onlyKeys(body, MESSAGE_KEYS)) return undefined;
    const { id, params } = body;
    if (!(typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id)))) return undefined;
    if (!isPlainObject(params) || !onlyKeys(params, PARAM_KEYS) || typeof params.name !== 'string') return undefined;
    if (params.arguments !== undefined && !isPlainObject(params.arguments)) return undefined;
    const tool = byName.get(params.name);
    if (!tool) return undefined;
    const headers = request.headers;
    const accept = headers.get('accept') ?? '';
    if (!accept.includes('application/json') || !accept.includes('text/event-stream')) return undefined;
    if (!isJsonContentType(headers.get('content-type'))) return undefined;
    const version = headers.get('mcp-protocol-version');
    if (version !== null && !versions.has(version)) return undefined;
    const args = tool.inputSchema.safeParse(params.arguments ?? {});
    if (!args.success) return undefined;
    return run(tool, args.data, id);
  };

  async function run(tool: ToolDefinition, args: unknown, id: string | number): Promise<Response> {
    let result: CallToolResult;
    try {
      result = await tool.handler(args as never, ctx);
      if (tool.outputSchema && !result.isError) {
        if (result.structuredContent === undefined) {
          throw new Error(`Output validation error: Tool ${tool.name} has an output schema but no structured content was provided`);
        }
        const checked = tool.outputSchema.safeParse(result.structuredContent);
        if (!checked.success) throw new Error(`Output validation error: Invalid structured content for tool ${tool.name}: ${checked.error.message}`);
      }
      result = projectLegacy(result);
    } catch (error) {
      // The SDK's `createToolError`: a failing tool is a result with isError, not a protocol error.
      result = { content: [{ type: 'text', text: error instanceof Error ? error.message : String(error) }], isError: true };
    }
    const frame = `event: message\ndata: ${JSON.stringify({ result, jsonrpc: '2.0', id })}\n\n`;
    return new Response(frame, { status: 200, headers: SSE_HEADERS });
  }
}
