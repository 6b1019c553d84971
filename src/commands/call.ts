import type { CallToolResult, JSONRPCMessage } from '@modelcontextprotocol/server';
import { defineCommand } from 'citty';
import { randomBytes } from 'node:crypto';
import { type App, startApp } from '../app.ts';
import { discoverServer } from '../discovery.ts';
import { PraxisError } from '../errors.ts';
import { createLogger } from '../log.ts';
import { DEFAULT_PORT_RANGE } from '../net/port-range.ts';
import { type RpcTarget, postRpc } from '../transports/rpc-over-http.ts';
import { buildToolArguments, checkToolCall, listedTools, parseCallArgv } from './call-args.ts';
import { withOwnArgv } from './check-argv.ts';
import { projectArg } from './serve.ts';

/**
 * Sends one request and returns its result, or throws the JSON-RPC error (-32602, invalid params:
 * E_USAGE); gives up after `timeoutMs` (issue 11).
 */
async function request(target: RpcTarget, method: string, params: Record<string, unknown>, timeoutMs: number): Promise<unknown> {
  let reply: (JSONRPCMessage & { result?: unknown; error?: { code?: number; message: string } }) | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new PraxisError('E_UNRESPONSIVE', `The server at ${target.url} did not answer ${method} within ${timeoutMs / 1000} s; giving up. See \`praxis-mcp status\`.`)),
      timeoutMs,
    );
  });
  const status = await Promise.race([postRpc(target, { jsonrpc: '2.0', id: 1, method, params }, (m) => void (reply = m as typeof reply)), timeout]).finally(
    () => clearTimeout(timer),
  );
  if (!reply) throw new PraxisError('E_TOOL_FAILED', `The server answered HTTP ${status} to ${method} without a reply`);
  if (reply.error) throw new PraxisError(reply.error.code === -32602 ? 'E_USAGE' : 'E_TOOL_FAILED', `${method} failed: ${reply.error.message}`);
  return reply.result;
}

// The SDK reports arguments that fail the tool's input schema as a tool result with isError and
// this text (the MCP spec's "tool execution error" for invalid input); for `call` that is bad usage.
const INPUT_VALIDATION = /^Input validation error\b/;

/** The text a person reads for a tool result: text items as text, anything else as JSON. */
export function renderToolResult(result: CallToolResult): string {
  return (result.content ?? [])
    .map((item) => (item.type === 'text' ? item.text : JSON.stringify(item, null, 2)))
    .join('\n');
}

/** `praxis-mcp call TOOL`: one tool call on the live server, or on an in-process one when none runs. */
export const callCommand = withOwnArgv(defineCommand({
  meta: { name: 'call', description: 'Call a tool on the project\'s server (starting one in-process for the call if none runs)' },
  args: {
    tool: { type: 'positional', description: 'Tool name, e.g. search_standards', required: true },
    ...projectArg,
    args: { type: 'string', description: 'Tool arguments as a JSON object; key=value words and --key value flags work too', valueHint: 'JSON' },
    json: { type: 'boolean', description: 'Print the raw result as JSON', default: false },
  },
  async run({ rawArgs }) {
    // citty's parse would read `--query --json` as two flags; ours gives the tool its words (issue 10).
    const call = parseCallArgv(rawArgs);
    const tool = call.tool;
    if (tool === undefined) throw new PraxisError('E_USAGE', 'Missing TOOL: name the tool to call.');
    // How long to wait for each answer (issue 11: a server that freezes mid-call must not hang `call`).
    const timeoutSeconds = process.env.PRAXIS_MCP_CALL_TIMEOUT ?? '30';
    const timeoutMs = Number(timeoutSeconds) * 1000;
    if (!(timeoutMs > 0)) throw new PraxisError('E_USAGE', `Invalid PRAXIS_MCP_CALL_TIMEOUT "${timeoutSeconds}": give a number of seconds`);
    const found = await discoverServer(call.project);
    if (found.liveness.kind === 'unresponsive') {
      throw new PraxisError('E_UNRESPONSIVE', `The server for ${found.project.root} does not answer: ${found.liveness.why}. See \`praxis-mcp status\`.`);
    }
    if (found.liveness.kind === 'untrusted') process.stderr.write(`praxis-mcp: ${found.liveness.why}; calling an in-process server instead\n`);
    let app: App | undefined;
    let target: RpcTarget;
    if (found.liveness.kind === 'live' && found.liveness.state.url) {
      target = { url: found.liveness.state.url, token: found.liveness.state.auth?.token ?? null };
    } else {
      app = await startApp({
        transport: 'http', stdio: false, announce: false, project: found.project, host: '127.0.0.1', port: 0,
        portRange: DEFAULT_PORT_RANGE, path: '/mcp', token: randomBytes(24).toString('base64url'), log: createLogger('warn'),
      });
      target = { url: app.url!, token: app.token, fetch: app.fetch! };
    }
    try {
      // The tool list first, as every MCP client does: it names the closest tool on a typo and
      // gives the schema that turns `n_results=3` into a number.
      const tools = listedTools(await request(target, 'tools/list', {}, timeoutMs));
      const schema = tools.find((t) => t.name === tool)?.inputSchema;
      const toolArgs = buildToolArguments(call.toolWords, schema);
      checkToolCall(tool, toolArgs, tools);
      const result = (await request(target, 'tools/call', { name: tool, arguments: toolArgs }, timeoutMs)) as CallToolResult;
      const text = renderToolResult(result);
      if (result.isError && INPUT_VALIDATION.test(text)) throw new PraxisError('E_USAGE', text);
      process.stdout.write(`${call.json ? JSON.stringify(result, null, 2) : text}\n`);
      if (result.isError) throw new PraxisError('E_TOOL_FAILED', `${tool} reported an error`);
    } finally {
      await app?.close('one-shot call done');
    }
  },
}), parseCallArgv);
