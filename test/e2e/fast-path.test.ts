// The HTTP fast path for plain 2025-era requests (src/transports/fast-call.ts) must be invisible: for
// every request, a server with it and a server without it (PRAXIS_MCP_SDK_ONLY=1) answer with the
// same status, the same headers a client reads, and the same body bytes (issue 6).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, type Spawned, type TempProject, readJson, spawnBinary, tempProject, waitFor } from '../helpers/process.ts';

interface Served {
  project: TempProject;
  server: Spawned;
  url: string;
  token: string;
}

async function start(sdkOnly: boolean): Promise<Served> {
  const project = tempProject({ prefix: sdkOnly ? 'praxis-sdk-only-' : 'praxis-fast-' });
  cpSync(join(ROOT, 'example', '.praxis-os', 'standards'), join(project.praxisDir, 'standards'), { recursive: true });
  const server = spawnBinary(['serve', '--transport', 'http', '--port', '0', '--project', project.root], {
    env: { PRAXIS_MCP_SDK_ONLY: sdkOnly ? '1' : undefined },
  });
  const state = await waitFor(() => readJson(project.statePath), 'the state file');
  return { project, server, url: state.url, token: state.auth.token };
}

let fast: Served;
let sdk: Served;
beforeAll(async () => {
  [fast, sdk] = await Promise.all([start(false), start(true)]);
  // Once the first index build is done, search answers are deterministic: compare them byte for byte.
  await waitFor(async () => (await searchable(fast)) && (await searchable(sdk)), 'both indexes built', 20_000, 50);
}, 30_000);
afterAll(async () => {
  for (const s of [fast, sdk]) {
    await s?.server.kill('SIGTERM');
    s?.project.cleanup();
  }
});

const ACCEPT = 'application/json, text/event-stream';

async function post(s: Served, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(s.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: ACCEPT, authorization: `Bearer ${s.token}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    // What a client reads; framing (Content-Length or chunked) is HTTP's business, not the client's.
    // A session id is new on every initialize reply: its presence and form are compared, not its value.
    headers: ['content-type', 'cache-control', 'mcp-session-id', 'x-accel-buffering'].map((h) =>
      h === 'mcp-session-id' ? response.headers.get(h)?.replace(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, '<uuid>') ?? null : response.headers.get(h),
    ),
    text,
  };
}

const call = (id: unknown, name: string, args?: unknown, extra: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name, ...(args === undefined ? {} : { arguments: args }), ...extra },
});

const init = (id: unknown, protocolVersion: string) => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: { protocolVersion, capabilities: { sampling: {} }, clientInfo: { name: 'parity', version: '1.0.0' } },
});

const searchable = async (s: Served) => (await post(s, call(0, 'search_standards', { query: 'testing' }))).text.includes('engineering/testing.md');

describe('byte parity with the SDK', () => {
  test.each<[string, unknown, Record<string, string>?]>([
    ['a search, integer id', call(1, 'search_standards', { query: 'error handling', n_results: 3 })],
    ['a search, string id', call('req-7', 'search_standards', { query: 'code review' })],
    ['filters', call(2, 'search_standards', { query: 'tests', filter_tags: ['testing'], filter_phase: 3 })],
    ['an empty query', call(3, 'search_standards', { query: '' })],
    ['no match', call(4, 'search_standards', { query: 'zzqqxxv' })],
    ['protocol header 2025-06-18', call(5, 'search_standards', { query: 'git' }), { 'mcp-protocol-version': '2025-06-18' }],
    ['protocol header 2024-11-05', call(6, 'search_standards', { query: 'git' }), { 'mcp-protocol-version': '2024-11-05' }],
    ['initialize 2025-06-18', init(50, '2025-06-18')],
    ['initialize 2025-11-25, string id', init('i', '2025-11-25')],
    ['initialize 2024-11-05 with a protocol header', init(51, '2024-11-05'), { 'mcp-protocol-version': '2024-11-05' }],
    ['tools/list', { jsonrpc: '2.0', id: 52, method: 'tools/list' }],
    ['tools/list, empty params', { jsonrpc: '2.0', id: 53, method: 'tools/list', params: {} }],
    ['ping', { jsonrpc: '2.0', id: 54, method: 'ping' }],
    // The rest are the SDK's to answer (the fast path steps aside); the answers must still match.
    ['initialize with an unknown version', init(60, '1999-01-01')],
    ['initialize without clientInfo', { jsonrpc: '2.0', id: 61, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {} } }],
    ['tools/list with a cursor', { jsonrpc: '2.0', id: 62, method: 'tools/list', params: { cursor: 'x' } }],
    ['resources/list', { jsonrpc: '2.0', id: 63, method: 'resources/list' }],
    ['a JSON content type with a charset', call(64, 'search_standards', { query: 'git' }), { 'content-type': 'application/json; charset=utf-8' }],
    ['an unknown tool', call(10, 'no_such_tool', {})],
    ['arguments that fail the schema', call(11, 'search_standards', { query: 'x', n_results: 0 })],
    ['arguments that are not an object', call(12, 'search_standards', [1, 2])],
    ['a fractional id', call(1.5, 'search_standards', { query: 'git' })],
    ['params with _meta', call(13, 'search_standards', { query: 'git' }, { _meta: { progressToken: 1 } })],
    ['an unsupported protocol header', call(14, 'search_standards', { query: 'git' }), { 'mcp-protocol-version': '1999-01-01' }],
    ['a batch', [call(15, 'search_standards', { query: 'git' })]],
    ['a JSON-RPC message with an extra key', { ...call(16, 'search_standards', { query: 'git' }), extra: true }],
    ['accept without SSE', call(17, 'search_standards', { query: 'git' }), { accept: 'application/json' }],
    ['a notification', { jsonrpc: '2.0', method: 'notifications/initialized' }],
    // JSON-RPC errors (issue 10): -32602 for bad params and any cursor, one 400 for an unsupported protocol header.
    ['resources/read without a uri', { jsonrpc: '2.0', id: 70, method: 'resources/read', params: {} }],
    ['resources/read with a uri that is not a string', { jsonrpc: '2.0', id: 71, method: 'resources/read', params: { uri: 5 } }],
    ['resources/list with a cursor', { jsonrpc: '2.0', id: 72, method: 'resources/list', params: { cursor: 'x' } }],
    ['resources/templates/list with a cursor', { jsonrpc: '2.0', id: 73, method: 'resources/templates/list', params: { cursor: 'x' } }],
    ['tools/call without a name', { jsonrpc: '2.0', id: 74, method: 'tools/call', params: { arguments: {} } }],
    ['initialize with an unsupported protocol header', init(75, '2025-06-18'), { 'mcp-protocol-version': '1999-01-01' }],
    ['a notification with an unsupported protocol header', { jsonrpc: '2.0', method: 'notifications/initialized' }, { 'mcp-protocol-version': '1999-01-01' }],
    ['not JSON with an unsupported protocol header', '{not json', { 'mcp-protocol-version': '1999-01-01' }],
    ['not JSON', '{not json'],
    ['JSON that is not JSON-RPC', '{"hello":1}'],
    // `headers = {}` keeps the callback's length at 2, so bun does not take it for a done-callback.
  ])('%s', async (_name, body, headers = {}) => {
    const [a, b] = await Promise.all([post(fast, body, headers), post(sdk, body, headers)]);
    expect(a.status).toBe(b.status);
    expect(a.headers).toEqual(b.headers);
    expect(a.text).toBe(b.text);
  });

  test('current_date: the same frame, apart from the moment it was taken', async () => {
    const [a, b] = await Promise.all([post(fast, call(20, 'current_date', {})), post(sdk, call(20, 'current_date', {}))]);
    const moment = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+Z)?|"unix_ms":\d+|\d{2}:\d{2}:\d{2}/g;
    expect(a.status).toBe(200);
    expect(a.headers).toEqual(b.headers);
    expect(a.text.replace(moment, 'T')).toBe(b.text.replace(moment, 'T'));
  });

  test('the fast path really answers plain calls (its replies carry a Content-Length; the SDK streams)', async () => {
    const plain = call(40, 'search_standards', { query: 'git' });
    const length = async (s: Served, body: unknown) =>
      (await fetch(s.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: ACCEPT, authorization: `Bearer ${s.token}` }, body: JSON.stringify(body) })).headers.get('content-length');
    expect(await length(fast, plain)).not.toBeNull();
    expect(await length(sdk, plain)).toBeNull();
    // A call the fast path steps aside for (here: params with _meta) streams from the SDK again.
    expect(await length(fast, call(41, 'search_standards', { query: 'git' }, { _meta: { progressToken: 1 } }))).toBeNull();
  });

  test('both count the calls as HTTP requests', async () => {
    const info = async (s: Served) => {
      const r = await post(s, call(30, 'get_server_info', {}));
      return JSON.parse(r.text.slice(r.text.indexOf('data: ') + 6)).result.structuredContent.requests.http as number;
    };
    const before = await info(fast);
    await post(fast, call(31, 'current_date', {}));
    expect(await info(fast)).toBe(before + 2);
  });
});
