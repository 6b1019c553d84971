// Over stdio, plain 2025-era sessions are served by the light protocol and the SDK loads only when a
// message needs it (issue 6). That must be invisible: a server with it and one without it
// (PRAXIS_MCP_SDK_ONLY=1) send the same bytes for every message, before and after the SDK takes over.
import { afterEach, expect, test } from 'bun:test';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, type Spawned, type TempProject, spawnBinary, tempProject, waitFor } from '../helpers/process.ts';

const started: { child: Spawned; project: TempProject }[] = [];
afterEach(async () => {
  for (const { child, project } of started.splice(0)) {
    child.proc.stdin!.end();
    await child.kill('SIGTERM');
    project.cleanup();
  }
});

function serve(sdkOnly: boolean) {
  const project = tempProject({ prefix: sdkOnly ? 'praxis-stdio-sdk-' : 'praxis-stdio-light-' });
  cpSync(join(ROOT, 'example', '.praxis-os', 'standards'), join(project.praxisDir, 'standards'), { recursive: true });
  const child = spawnBinary(['serve', '--transport', 'stdio', '--project', project.root, '--log-level', 'debug'], {
    env: { PRAXIS_MCP_SDK_ONLY: sdkOnly ? '1' : undefined },
  });
  started.push({ child, project });
  const lines = () => child.stdout().split('\n').filter(Boolean);
  const send = (...messages: unknown[]) =>
    child.proc.stdin!.write(messages.map((m) => `${typeof m === 'string' ? m : JSON.stringify(m)}\n`).join(''));
  /** The reply to request `id`: the line of the response that carries it. */
  const reply = (id: unknown) =>
    lines().find((l) => {
      const m = JSON.parse(l);
      return m.id === id && !('method' in m);
    });
  const sdkLoaded = () => child.stderr().includes('loaded the MCP SDK');
  return { child, project, lines, send, reply, sdkLoaded };
}

const initialize = (id: number, protocolVersion = '2025-06-18') => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: { protocolVersion, capabilities: { roots: { listChanged: true } }, clientInfo: { name: 'parity', version: '1.0.0' } },
});
const initialized = { jsonrpc: '2.0', method: 'notifications/initialized' };
const call = (id: number, name: string, args: unknown) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

/** Sends the same messages to both servers and waits for the replies to `ids`. */
async function both(ids: number[], ...messages: unknown[]) {
  const [light, sdk] = pair;
  light!.send(...messages);
  sdk!.send(...messages);
  await waitFor(() => ids.every((id) => light!.reply(id) && sdk!.reply(id)), `replies ${ids.join(', ')}`, 10_000);
  for (const id of ids) expect(light!.reply(id)).toBe(sdk!.reply(id));
}
let pair: ReturnType<typeof serve>[] = [];

test('a light session answers byte for byte as the SDK, without loading it, until a message needs it', async () => {
  pair = [serve(false), serve(true)];
  const [light, sdk] = pair;
  await both([1], initialize(1), initialized);
  // A search waits for the first index build, so from here on search answers are deterministic.
  await both([2], call(2, 'search_standards', { query: 'testing' }));
  expect(light!.reply(2)).toContain('engineering/testing.md');
  await both(
    [10, 11, 12],
    { jsonrpc: '2.0', id: 10, method: 'tools/list' },
    { jsonrpc: '2.0', id: 11, method: 'ping' },
    call(12, 'search_standards', { query: 'error handling', n_results: 2 }),
  );
  expect(light!.sdkLoaded()).toBe(false);
  expect(sdk!.sdkLoaded()).toBe(true);
  // Each of these needs the SDK: an unknown tool, arguments that fail the schema, a cursor.
  await both(
    [13, 14, 15],
    call(13, 'no_such_tool', {}),
    call(14, 'search_standards', { query: 'x', n_results: 0 }),
    { jsonrpc: '2.0', id: 15, method: 'tools/list', params: { cursor: 'abc' } },
  );
  expect(light!.sdkLoaded()).toBe(true);

  // After the handover the SDK knows the session: the client's initialize is not answered twice,
  // and requests that need an initialized server work.
  await both([16, 17, 18], { jsonrpc: '2.0', id: 16, method: 'resources/list' }, { jsonrpc: '2.0', id: 17, method: 'ping' }, call(18, 'search_standards', { query: 'git' }));
  expect(light!.lines().filter((l) => l.includes('"protocolVersion"'))).toHaveLength(1);
  // Bad lines (issue 10): not JSON gets -32700, JSON that is not JSON-RPC -32600, both with id null;
  // a blank line is skipped.
  await both([19], '{not json', '', '{"hello":1}', { jsonrpc: '2.0', id: 19, method: 'ping' });
  const unanswerable = (s: ReturnType<typeof serve>) => s.lines().filter((l) => JSON.parse(l).id === null);
  expect(unanswerable(light!).map((l) => JSON.parse(l).error.code)).toEqual([-32700, -32600]);
  expect(unanswerable(light!)).toEqual(unanswerable(sdk!));
  expect(light!.lines()).toHaveLength(sdk!.lines().length);
  // Params the spec refuses get -32602 with a readable message, not -32603 with zod's issue list.
  await both(
    [20, 21, 22, 23, 24],
    { jsonrpc: '2.0', id: 20, method: 'resources/read', params: {} },
    { jsonrpc: '2.0', id: 21, method: 'resources/read', params: { uri: 5 } },
    { jsonrpc: '2.0', id: 22, method: 'resources/list', params: { cursor: 'x' } },
    { jsonrpc: '2.0', id: 23, method: 'resources/templates/list', params: { cursor: 'x' } },
    { jsonrpc: '2.0', id: 24, method: 'tools/call', params: { arguments: {} } },
  );
  for (const id of [15, 20, 21, 22, 23, 24]) expect(JSON.parse(light!.reply(id)!).error).toMatchObject({ code: -32602, message: expect.stringMatching(/^Invalid params for /) });
}, 30_000);

test('a line that is not JSON gets -32700 with id null without loading the SDK', async () => {
  const s = serve(false);
  s.send(initialize(1, '2025-11-25'), initialized, '{not json', { jsonrpc: '2.0', id: 2, method: 'ping' });
  await waitFor(() => s.reply(2), 'the ping after the bad line');
  expect(s.lines().map((l) => JSON.parse(l)).find((m) => m.id === null)).toEqual({
    jsonrpc: '2.0',
    id: null,
    error: { code: -32700, message: 'Parse error: the line is not valid JSON' },
  });
  expect(s.sdkLoaded()).toBe(false);
});

test('a session that only initializes, lists and calls tools (and sends a line that is not JSON) never loads the SDK', async () => {
  const s = serve(false);
  // A line that is not JSON is answered (-32700) without loading the SDK to do so.
  s.send(initialize(1, '2025-11-25'), initialized, '{not json', { jsonrpc: '2.0', id: 2, method: 'tools/list' }, call(3, 'current_date', {}), call(4, 'get_server_info', {}));
  await waitFor(() => s.reply(4), 'get_server_info');
  expect(JSON.parse(s.reply(1)!).result.protocolVersion).toBe('2025-11-25');
  expect(JSON.parse(s.reply(3)!).result.structuredContent.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  // get_server_info counts the stdio requests the light protocol served, this one included.
  expect(JSON.parse(s.reply(4)!).result.structuredContent.requests.stdio).toBe(4);
  expect(s.sdkLoaded()).toBe(false);
});

test('an initialize the light protocol does not take (an unknown version) goes to the SDK, which negotiates', async () => {
  pair = [serve(false), serve(true)];
  await both([1, 2], initialize(1, '1999-01-01'), initialized, { jsonrpc: '2.0', id: 2, method: 'ping' });
  expect(JSON.parse(pair[0]!.reply(1)!).result.protocolVersion).toBe('2025-11-25');
  expect(pair[0]!.sdkLoaded()).toBe(true);
}, 15_000);

test('a light session is told when documents come and go, in the SDK\'s words', async () => {
  pair = [serve(false), serve(true)];
  await both([1], initialize(1), initialized);
  for (const s of pair) {
    await waitFor(() => s.child.stderr().includes('standards: indexed'), 'the first index build');
    writeFileSync(join(s.project.praxisDir, 'standards', 'new-doc.md'), '# A new document\ncontent');
  }
  const notices = (s: ReturnType<typeof serve>) => s.lines().filter((l) => l.includes('notifications/resources/list_changed'));
  await waitFor(() => notices(pair[0]!).length === 1 && notices(pair[1]!).length === 1, 'list_changed from both');
  expect(notices(pair[0]!)).toEqual(notices(pair[1]!));
  expect(pair[0]!.sdkLoaded()).toBe(false);
}, 15_000);

test('a message over the 10 MiB limit is dropped with a warning, and the connection goes on', async () => {
  const s = serve(false);
  s.send(initialize(1));
  await waitFor(() => s.reply(1), 'initialize');
  const huge = `{"jsonrpc":"2.0","id":2,"method":"ping","params":{"pad":"${'x'.repeat(11 * 1024 * 1024)}"}}`;
  s.send(huge, { jsonrpc: '2.0', id: 3, method: 'ping' });
  await waitFor(() => s.reply(3), 'the ping after the oversized line', 10_000);
  expect(s.reply(2)).toBeUndefined();
  expect(s.child.stderr()).toContain('dropped a message of over');
}, 20_000);
