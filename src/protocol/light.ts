// The plain 2025-era requests answered without the MCP SDK (issue 6). The SDK is loaded only when a
// request needs it: evaluating it costs about 25 ms and its schemas and handlers add about 6 MB to
// idle RSS, while a session that only initializes, lists and calls tools never needs it. This module
// imports nothing from the SDK at run time.
import type { CallToolResult } from '@modelcontextprotocol/server';
import type { AppContext } from '../context.ts';
import { convertPortable } from '../registry/portable-schema.ts';
import type { ToolCallInfo, ToolDefinition } from '../registry/tool.ts';

/**
 * The 2025-era protocol versions the SDK negotiates by `initialize`, newest first: the SDK's own
 * `SUPPORTED_PROTOCOL_VERSIONS` (a unit test keeps the two equal).
 */
export const LEGACY_PROTOCOL_VERSIONS: readonly string[] = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05', '2024-10-07'];
/** The 2026-era protocol versions the SDK serves (`server/discover`'s `supportedVersions`; an e2e test keeps them equal). */
export const MODERN_PROTOCOL_VERSIONS: readonly string[] = ['2026-07-28'];

/** What `initialize` tells a client about this server; the SDK server factory declares the same. */
export const SERVER_NAME = 'praxis-mcp';
export const INSTRUCTIONS =
  "praxis-mcp serves this project's tools. The same server is reachable over stdio (the IDE) and over " +
  'Streamable HTTP on loopback (sub-agents), so every agent sees the same state.';
/**
 * The capabilities the SDK server declares (create-server.ts): tools, whose list never changes while
 * the server runs (so no `listChanged`: issue 10, advertise only what is delivered), and the
 * standards as resources, whose list changes are sent on every transport.
 */
const CAPABILITIES = { tools: { listChanged: false }, resources: { listChanged: true, subscribe: true } };

/** A JSON-RPC request as it arrives, before anything has vouched for its shape. */
export interface PlainRequest {
  jsonrpc: '2.0';
  id: string | number;
  method: string;
  params?: Record<string, unknown>;
}

/** A JSON-RPC result response, keys in the order the SDK writes them. */
export interface ResultResponse {
  result: unknown;
  jsonrpc: '2.0';
  id: string | number;
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const onlyKeys = (o: Record<string, unknown>, allowed: ReadonlySet<string>) => Object.keys(o).every((k) => allowed.has(k));
const MESSAGE_KEYS = new Set(['jsonrpc', 'id', 'method', 'params']);
const CALL_KEYS = new Set(['name', 'arguments']);
const INITIALIZE_KEYS = new Set(['protocolVersion', 'capabilities', 'clientInfo']);
const NO_KEYS = new Set<string>();

/**
 * A single JSON-RPC request with nothing unusual about it: a string or safe-integer id, no keys
 * beyond the four of the spec, params absent or an object without `_meta` (progress tokens, the
 * 2026-07-28 envelope and the like are the SDK's to handle).
 */
export function asPlainRequest(message: unknown): PlainRequest | undefined {
  if (!isPlainObject(message) || message.jsonrpc !== '2.0' || typeof message.method !== 'string' || !onlyKeys(message, MESSAGE_KEYS)) return undefined;
  const { id, params } = message;
  if (!(typeof id === 'string' || (typeof id === 'number' && Number.isSafeInteger(id)))) return undefined;
  if (params !== undefined && (!isPlainObject(params) || '_meta' in params)) return undefined;
  return message as unknown as PlainRequest;
}

/** `{ params }` is absent or `{}`. */
const noParams = (request: PlainRequest) => request.params === undefined || onlyKeys(request.params, NO_KEYS);

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

/** The JSON Schema of a zod schema as the SDK lists it (`standardSchemaToJsonSchema` over `withPortableJsonSchema`). */
function listedSchema(schema: ToolDefinition['inputSchema'], io: 'input' | 'output'): Record<string, unknown> | undefined {
  let json: Record<string, unknown>;
  try {
    json = convertPortable(schema, io);
  } catch {
    return undefined;
  }
  // Every tool schema here is a zod object, so `type` is always "object"; the SDK puts it first.
  return io === 'output' && json.type !== undefined ? json : { type: 'object', ...json };
}

/** Answers plain 2025-era requests the way the SDK would; `undefined` means "the SDK's to answer". */
export interface LightProtocol {
  /**
   * The reply to a plain request (see `asPlainRequest`), or undefined. `initialize` is answered
   * only for a 2025-era version the SDK supports and a plainly shaped client; the rest of the
   * methods answered are `ping`, `tools/list` and `tools/call` of a known tool with valid arguments.
   */
  answer(request: PlainRequest, call?: ToolCallInfo): Promise<ResultResponse> | ResultResponse | undefined;
}

/** The light protocol serving `tools` with the shared `ctx`. */
export function createLightProtocol(ctx: AppContext, tools: readonly ToolDefinition[]): LightProtocol {
  const byName = new Map(tools.map((t) => [t.name, t]));
  const versions = new Set(LEGACY_PROTOCOL_VERSIONS);
  let toolList: { tools: Record<string, unknown>[] } | null | undefined;
  const reply = (id: string | number, result: unknown): ResultResponse => ({ result, jsonrpc: '2.0', id });

  /** The `tools/list` result, built once; null if a schema cannot be converted here (the SDK answers then). */
  function listTools() {
    if (toolList !== undefined) return toolList;
    const listed: Record<string, unknown>[] = [];
    for (const tool of tools) {
      const inputSchema = listedSchema(tool.inputSchema, 'input');
      const outputSchema = tool.outputSchema && listedSchema(tool.outputSchema, 'output');
      if (!inputSchema || (tool.outputSchema && !outputSchema)) return (toolList = null);
      // The SDK's key order; keys it leaves undefined (icons, execution, _meta) vanish in JSON.
      listed.push({ name: tool.name, title: tool.title, description: tool.description, inputSchema, annotations: tool.annotations, ...(outputSchema && { outputSchema }) });
    }
    return (toolList = { tools: listed });
  }

  function initialize(request: PlainRequest) {
    const params = request.params;
    if (!params || !onlyKeys(params, INITIALIZE_KEYS)) return undefined;
    const { protocolVersion, capabilities, clientInfo } = params;
    if (typeof protocolVersion !== 'string' || !versions.has(protocolVersion)) return undefined;
    if (!isPlainObject(capabilities) || !Object.values(capabilities).every(isPlainObject)) return undefined;
    // A client that can be asked questions gets the SDK, which can ask it (workflow approval, issue 14).
    if (capabilities.elicitation !== undefined) return undefined;
    if (!isPlainObject(clientInfo) || typeof clientInfo.name !== 'string' || typeof clientInfo.version !== 'string') return undefined;
    return reply(request.id, {
      protocolVersion,
      capabilities: CAPABILITIES,
      serverInfo: { name: SERVER_NAME, version: ctx.version },
      instructions: INSTRUCTIONS,
    });
  }

  function callTool(request: PlainRequest, call: ToolCallInfo | undefined) {
    const params = request.params;
    if (!params || !onlyKeys(params, CALL_KEYS) || typeof params.name !== 'string') return undefined;
    if (params.arguments !== undefined && !isPlainObject(params.arguments)) return undefined;
    const tool = byName.get(params.name);
    if (!tool) return undefined;
    const args = tool.inputSchema.safeParse(params.arguments ?? {});
    if (!args.success) return undefined;
    return run(tool, args.data, request.id, call);
  }

  async function run(tool: ToolDefinition, args: unknown, id: string | number, call: ToolCallInfo | undefined): Promise<ResultResponse> {
    let result: CallToolResult;
    try {
      result = await tool.handler(args as never, ctx, call);
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
    return reply(id, result);
  }

  return {
    answer(request, call) {
      switch (request.method) {
        case 'tools/call':
          return callTool(request, call);
        case 'ping':
          return noParams(request) ? reply(request.id, {}) : undefined;
        case 'tools/list': {
          const list = noParams(request) ? listTools() : undefined;
          return list ? reply(request.id, list) : undefined;
        }
        case 'initialize':
          return initialize(request);
        default:
          return undefined;
      }
    },
  };
}
