import type { CallToolResult } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import type { AppContext, TransportName } from '../context.ts';

/** Where one call came from: the transport, and the client's name when known (workflow identity, issue 13). */
export interface ToolCallInfo {
  transport: TransportName;
  /** The MCP client's `clientInfo.name`, else what the HTTP request says of itself. */
  client?: string;
  /** The connection the call came over, when it has an end the server sees: "stdio" (this process's stdin), or a bridge's (or HTTP client's) `x-praxis-connection` (claims end with it, issue 14). */
  connection?: string;
}

/** Request headers that name the caller: a bridge forwarding an IDE's stdio sets both. */
export const CLIENT_HEADER = 'x-praxis-client';
export const ORIGIN_HEADER = 'x-praxis-origin';
/** A connection id a bridge (or any HTTP client) sends on its calls and on its notification stream: claims end when the stream does. */
export const CONNECTION_HEADER = 'x-praxis-connection';

const decodeHeader = (v: string | null) => {
  if (v === null) return undefined;
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
};

/**
 * The connection an HTTP request belongs to, whose notification stream's end releases its claims
 * (issue 14): a bridge's `x-praxis-connection`, else the client's 2025-era `Mcp-Session-Id`.
 */
export function connectionOfRequest(request: Request): string | undefined {
  const h = request.headers;
  const own = h.get(CONNECTION_HEADER);
  if (own) return own.slice(0, 100);
  const session = h.get('mcp-session-id');
  return session ? sessionConnection(session.slice(0, 128)) : undefined;
}

/** The connection name of a 2025-era HTTP session. */
export const sessionConnection = (sessionId: string) => `session:${sessionId}`;

/** The call info of an HTTP request: a bridge's (or an in-process stdio forward's) headers, else the user agent. */
export function callInfoOfRequest(request: Request | undefined, clientName?: string): ToolCallInfo {
  if (!request) return { transport: 'stdio', client: clientName, connection: 'stdio' };
  const h = request.headers;
  const origin = h.get(ORIGIN_HEADER) ?? h.get('x-praxis-via');
  const connection = connectionOfRequest(request) ?? (h.get('x-praxis-via') === 'stdio' ? 'stdio' : undefined);
  return {
    transport: origin === 'stdio' ? 'stdio' : 'http',
    ...(connection && { connection }),
    client: clientName ?? decodeHeader(h.get(CLIENT_HEADER)) ?? h.get('user-agent')?.split(/[\s/]/)[0] ?? undefined,
  };
}

/** A transport-agnostic tool: what it is, what it takes, and what it does with the shared context. */
export interface ToolDefinition<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  title?: string;
  description: string;
  inputSchema: I;
  outputSchema?: O;
  annotations?: { readOnlyHint?: boolean; idempotentHint?: boolean; openWorldHint?: boolean };
  handler(args: z.infer<I>, ctx: AppContext, call?: ToolCallInfo): Promise<CallToolResult> | CallToolResult;
}

/** Declares a tool with its argument types inferred from the input schema. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(tool: ToolDefinition<I, O>): ToolDefinition<I, O> {
  return tool;
}

/** A tool result carrying a text rendering for the model and the same data as structured content. */
export function jsonResult(data: Record<string, unknown>, text = JSON.stringify(data, null, 2)): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: data };
}
