// The HTTP servers of one run: praxis-mcp (the compiled binary), the floors (bare Bun.serve, bare
// Hono on Bun) and the peers (official SDK v1 plain server, stateful and stateless, on Node and
// on Bun). Each serves the same `tools/call` of `current_date`.
import { readFileSync } from 'node:fs';
import { benchFile } from './build.ts';
import { type Proc, startProc, waitHttpOk } from './procs.ts';
import type { BenchProject } from './project.ts';

/** A running HTTP server and how to call it. */
export interface HttpServer {
  id: string;
  label: string;
  kind: 'praxis' | 'floor' | 'peer';
  proc: Proc;
  url: string;
  headers: Record<string, string>;
}

/** A request to load a server with: `{{ID}}` in `body` is replaced per request. */
export interface HttpCase {
  id: string;
  label: string;
  server: HttpServer;
  body: string;
}

/** The protocol revision today's clients (SDK v1 and v2) send over Streamable HTTP. */
export const PROTOCOL_VERSION = '2025-11-25';

/** Headers of every MCP POST. */
export const MCP_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': PROTOCOL_VERSION,
};

/** A `tools/call` body with the `{{ID}}` placeholder. */
export const toolCallBody = (name: string, args: Record<string, unknown> = {}) =>
  `{"jsonrpc":"2.0","id":{{ID}},"method":"tools/call","params":${JSON.stringify({ name, arguments: args })}}`;

/** Starts praxis-mcp in `transport` mode and waits for its state file and `/health`. */
export async function startPraxis(binary: string, project: BenchProject, port: number, transport = 'http'): Promise<HttpServer> {
  const proc = startProc('praxis-mcp', binary, [
    'serve', '--transport', transport, '--project', project.root,
    '--port', String(port), '--port-range', `${port}-${port + 9}`, '--log-level', 'warn',
  ], { env: { PRAXIS_MCP_TOKEN: undefined } });
  let state: { url: string; port: number; auth?: { token: string } | null } | undefined;
  const deadline = performance.now() + 15_000;
  while (!state) {
    try {
      state = JSON.parse(readFileSync(project.statePath, 'utf8'));
      if ((state as { pid?: number }).pid !== proc.pid) state = undefined;
    } catch {
      // not written yet
    }
    if (performance.now() > deadline || proc.child.exitCode !== null) throw new Error(`praxis-mcp did not start: ${proc.stderr()}`);
    if (!state) await new Promise((r) => setTimeout(r, 10));
  }
  await waitHttpOk(`http://127.0.0.1:${state.port}/health`, proc);
  const headers: Record<string, string> = { ...MCP_HEADERS };
  if (state.auth?.token) headers.authorization = `Bearer ${state.auth.token}`;
  return { id: 'praxis', label: 'praxis-mcp (binary)', kind: 'praxis', proc, url: state.url, headers };
}

async function post(url: string, headers: Record<string, string>, body: unknown): Promise<Response> {
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  await response.text();
  if (!response.ok) throw new Error(`POST ${url} answered ${response.status}`);
  return response;
}

/** Starts an SDK v1 peer; a stateful one gets a session (initialize, initialized) first. */
export async function startSdkV1(runtime: 'node' | 'bun', state: 'stateful' | 'stateless', port: number): Promise<HttpServer> {
  const cmd = runtime === 'node' ? 'node' : process.execPath;
  const proc = startProc(`sdk-v1 ${state} ${runtime}`, cmd, [benchFile('peers/sdk-v1-server.mjs'), 'http', String(port), state]);
  await waitHttpOk(`http://127.0.0.1:${port}/health`, proc);
  const url = `http://127.0.0.1:${port}/mcp`;
  const headers: Record<string, string> = { ...MCP_HEADERS };
  if (state === 'stateful') {
    const init = await post(url, headers, {
      jsonrpc: '2.0', id: 0, method: 'initialize',
      params: { protocolVersion: PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
    });
    headers['mcp-session-id'] = init.headers.get('mcp-session-id') ?? '';
    await post(url, headers, { jsonrpc: '2.0', method: 'notifications/initialized' });
  }
  return { id: `sdk-v1-${state}-${runtime}`, label: `SDK v1 ${state}, ${runtime === 'node' ? 'Node' : 'Bun'}`, kind: 'peer', proc, url, headers };
}

/** Starts a floor: a bare Bun.serve or a bare Hono app on Bun. */
export async function startFloor(which: 'bun-serve' | 'hono-bun', port: number): Promise<HttpServer> {
  const proc = startProc(which, process.execPath, [benchFile(`peers/${which}.ts`), String(port)]);
  await waitHttpOk(`http://127.0.0.1:${port}/health`, proc);
  const label = which === 'bun-serve' ? 'floor: bare Bun.serve' : 'floor: bare Hono on Bun';
  return { id: which, label, kind: 'floor', proc, url: `http://127.0.0.1:${port}/mcp`, headers: { ...MCP_HEADERS } };
}

/** Sends one request of a case and checks that it succeeds (a result, not an error); returns the body. */
export async function preflight(c: HttpCase): Promise<string> {
  const response = await fetch(c.server.url, { method: 'POST', headers: c.server.headers, body: c.body.replace('{{ID}}', '1') });
  const text = await response.text();
  if (response.status !== 200 || !text.includes('"result"') || text.includes('"isError":true')) {
    throw new Error(`${c.label}: the call failed (${response.status}): ${text.slice(0, 300)}`);
  }
  return text;
}
