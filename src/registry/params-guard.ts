// JSON-RPC -32602 (Invalid params) where the spec asks for it and the SDK does not give it (issue 10):
// - the SDK checks a request's params against the spec's schema before its own handlers run, but
//   reports a failure as a plain Error, which goes out as -32603 (Internal error) with zod's issue
//   list as the message (`resources/read` without `uri`); `tools/call` without `name` gets -32602
//   but with the same raw list;
// - this server lists everything on one page and never hands out a cursor, so any cursor a client
//   sends is invalid; the SDK ignores it and answers the first page again.
import { type McpServer, ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';

/** The list methods of the spec, which take a pagination cursor. */
const PAGINATED = new Set(['tools/list', 'resources/list', 'resources/templates/list', 'prompts/list']);

type Handler = (request: { method: string; params?: Record<string, unknown> }, ctx: unknown) => unknown;

/** The -32602 message for a cursor on a list method, or undefined. */
export function cursorProblem(method: string, params: unknown): string | undefined {
  if (!PAGINATED.has(method) || typeof params !== 'object' || params === null || !('cursor' in params)) return undefined;
  return `Invalid params for ${method}: invalid cursor (this server lists everything on one page and hands out no cursors)`;
}

/**
 * The readable -32602 message for the error the SDK throws when a request fails its params schema,
 * or undefined when the error is anything else. That error is a plain `Error` (no JSON-RPC code)
 * whose message is zod's issue list as JSON, or a -32602 whose message ends in that list; the issues
 * become `path: message`, the SDK's own format for the params of custom methods.
 */
export function paramsProblem(method: string, error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  // The same issue list comes, already as -32602, as "Invalid tools/call request: [...]".
  const text = error.constructor === Error && code === undefined ? error.message : code === -32602 ? /^Invalid \S+ request: (\[[\s\S]*\])$/.exec(error.message)?.[1] : undefined;
  if (text === undefined) return undefined;
  let issues: unknown;
  try {
    issues = JSON.parse(text);
  } catch {
    return undefined;
  }
  const isIssue = (i: unknown): i is { path: unknown[]; message: string } =>
    typeof i === 'object' && i !== null && Array.isArray((i as { path?: unknown }).path) && typeof (i as { message?: unknown }).message === 'string';
  if (!Array.isArray(issues) || issues.length === 0 || !issues.every(isIssue)) return undefined;
  const described = issues.map((issue) => {
    // The path starts at the request: drop its leading "params".
    const path = (issue.path[0] === 'params' ? issue.path.slice(1) : issue.path).map(String).join('.');
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  return `Invalid params for ${method}: ${described.join(', ')}`;
}

/**
 * Wraps every request handler of an SDK server so that the cases above answer -32602 with a
 * readable message. Call it once the server's tools and resources are registered. The SDK keeps
 * its handlers in a private map; if that ever changes this throws, rather than silently not guarding.
 */
export function guardRequestParams(server: McpServer): void {
  const handlers = (server.server as unknown as { _requestHandlers?: unknown })._requestHandlers;
  if (!(handlers instanceof Map) || !handlers.has('tools/call')) {
    throw new Error('guardRequestParams: the MCP SDK no longer keeps its request handlers where this expects them');
  }
  for (const [method, handler] of handlers as Map<string, Handler>) {
    handlers.set(method, async (request: Parameters<Handler>[0], ctx: unknown) => {
      const cursor = cursorProblem(method, request.params);
      if (cursor) throw new ProtocolError(ProtocolErrorCode.InvalidParams, cursor);
      try {
        return await handler(request, ctx);
      } catch (error) {
        const problem = paramsProblem(method, error);
        throw problem ? new ProtocolError(ProtocolErrorCode.InvalidParams, problem) : error;
      }
    });
  }
}
