// The HTTP guards of the compiled binary (DESIGN.md, security model): Host and Origin against DNS
// rebinding (403), the bearer token (401), bounded bodies (413), malformed JSON (400, -32700), a
// token-free /health that reveals no secret, and a server that keeps serving after all of it.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { type Socket, connect } from 'node:net';
import { BINARY, type Spawned, type TempProject, readJson, spawnBinary, tempProject, waitFor } from '../helpers/process.ts';

let project: TempProject;
let server: Spawned;
let url: string;
let base: string;
let token: string;
let instanceId: string;

const FOUR_MIB = 4 * 1024 * 1024;

const initialize = (id: number | string = 1) =>
  JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'guards-test', version: '1.0.0' } },
  });

/** POSTs to the MCP endpoint with exactly the given headers on top of the JSON-RPC defaults. */
function post(headers: Record<string, string>, body: BodyInit = initialize()): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers },
    body,
  });
}

const auth = () => ({ Authorization: `Bearer ${token}` });

/** Reads a JSON-RPC message from a JSON or single-event SSE response. */
async function rpcBody(response: Response): Promise<any> {
  const text = await response.text();
  if ((response.headers.get('content-type') ?? '').includes('text/event-stream')) {
    const data = text.split('\n').find((line) => line.startsWith('data: '));
    return data ? JSON.parse(data.slice('data: '.length)) : undefined;
  }
  return JSON.parse(text);
}

beforeAll(async () => {
  project = tempProject({ prefix: 'praxis-guards-' });
  server = spawnBinary(['serve', '--transport', 'http', '--port', '0', '--project', project.root]);
  const state = await waitFor(() => readJson(project.statePath), `the state file of ${BINARY}`);
  url = state.url;
  base = new URL(url).origin;
  token = state.auth.token;
  instanceId = state.instance_id;
  expect(typeof token).toBe('string');
  expect(token.length).toBeGreaterThan(16);
});

afterAll(async () => {
  await server?.kill('SIGTERM');
  project?.cleanup();
});

describe('Host (DNS rebinding)', () => {
  test.each(['evil.com', 'evil.com:80', 'localhost.evil.com', '127.0.0.1.nip.io', '0.0.0.0', '192.168.1.1:4242'])(
    'Host %p gets 403 on the MCP endpoint, even with the right token',
    async (host) => {
      const response = await post({ ...auth(), Host: host });
      expect(response.status).toBe(403);
      expect((await response.json()).error.message).toContain('Host');
    },
  );

  test('a foreign Host gets 403 on /health too, and 403 comes before 401', async () => {
    expect((await fetch(`${base}/health`, { headers: { Host: 'evil.com' } })).status).toBe(403);
    expect((await post({ Host: 'evil.com' })).status).toBe(403);
  });

  test.each(['localhost', 'localhost:1', '127.0.0.1', '[::1]:4242'])('Host %p is accepted', async (host) => {
    const response = await post({ ...auth(), Host: host });
    expect(response.status).toBe(200);
  });
});

describe('Origin', () => {
  test.each(['http://evil.com', 'https://localhost.evil.com', 'null', 'file://localhost'])(
    'Origin %p gets 403, even with the right token',
    async (origin) => {
      const response = await post({ ...auth(), Origin: origin });
      expect(response.status).toBe(403);
      expect((await response.json()).error.message).toContain('Origin');
    },
  );

  test.each(['http://localhost:3000', 'http://127.0.0.1', 'https://[::1]:8443'])('loopback Origin %p passes', async (origin) => {
    const response = await post({ ...auth(), Origin: origin });
    expect(response.status).toBe(200);
    expect((await rpcBody(response)).result.serverInfo.name).toBe('praxis-mcp');
  });
});

describe('bearer token', () => {
  test.each([
    ['no Authorization header', {}],
    ['a wrong token', { Authorization: 'Bearer wrong-token' }],
    ['the token without the Bearer scheme', () => ({ Authorization: token })],
    ['the token with one character changed', () => ({ Authorization: `Bearer ${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}` })],
    ['Basic auth', { Authorization: 'Basic dXNlcjpwYXNz' }],
  ] as const)('%s gets 401 with WWW-Authenticate: Bearer', async (_name, headers) => {
    const response = await post(typeof headers === 'function' ? headers() : headers);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate') ?? '').toMatch(/^Bearer\b/);
    const body = await response.json();
    expect(JSON.stringify(body)).not.toContain(token);
  });

  test('the right token initializes, lists and calls tools', async () => {
    const init = await post(auth());
    expect(init.status).toBe(200);
    expect((await rpcBody(init)).result.protocolVersion).toBeString();
    const protocol = { ...auth(), 'mcp-protocol-version': '2025-06-18' };
    const list = await rpcBody(await post(protocol, JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} })));
    expect(list.result.tools.map((t: { name: string }) => t.name)).toContain('current_date');
    const call = await rpcBody(
      await post(protocol, JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'current_date', arguments: {} } })),
    );
    expect(call.result.isError).not.toBe(true);
    expect(call.result.content[0].type).toBe('text');
  });

  test('2025-era sessions: initialize gives an id; a malformed id is 400; DELETE ends a session (then 404) and without one is 405', async () => {
    const init = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'g', version: '1' } } });
    const opened = await post(auth(), init);
    const id = opened.headers.get('mcp-session-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await opened.body?.cancel();
    const ping = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'ping' });
    const bad = await post({ ...auth(), 'mcp-session-id': 'not valid' }, ping);
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toContain('Mcp-Session-Id');
    const ok = await post({ ...auth(), 'mcp-session-id': id! }, ping);
    expect(ok.status).toBe(200);
    await ok.body?.cancel();
    const noSession = await fetch(url, { method: 'DELETE', headers: auth() });
    expect(noSession.status).toBe(405);
    await noSession.body?.cancel();
    const ended = await fetch(url, { method: 'DELETE', headers: { ...auth(), 'mcp-session-id': id! } });
    expect(ended.status).toBe(200);
    expect((await post({ ...auth(), 'mcp-session-id': id! }, ping)).status).toBe(404);
  });

  test('GET and DELETE on the MCP endpoint need the token too', async () => {
    for (const method of ['GET', 'DELETE']) {
      const response = await fetch(url, { method, headers: { Accept: 'text/event-stream' } });
      expect(response.status).toBe(401);
      await response.body?.cancel();
    }
  });
});

describe('request bodies', () => {
  const padded = (size: number) => {
    const head = '{"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":"';
    const tail = '"}}';
    return head + 'x'.repeat(size - head.length - tail.length) + tail;
  };

  test('a body over 4 MiB gets 413 (declared Content-Length)', async () => {
    const response = await post(auth(), padded(FOUR_MIB + 1));
    expect(response.status).toBe(413);
    expect((await response.json()).error.message).toContain(String(FOUR_MIB));
  });

  test('a body over 4 MiB gets 413 when streamed without Content-Length', async () => {
    const chunk = new Uint8Array(256 * 1024).fill(0x20);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > FOUR_MIB + chunk.length) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    let status: number | string;
    try {
      status = (await post(auth(), stream)).status;
    } catch (error) {
      // The server may answer and close before the client finishes sending; the status is what matters.
      status = `fetch failed: ${(error as Error).message}`;
    }
    expect(status).toBe(413);
  });

  test('a body of just under 4 MiB is accepted', async () => {
    const response = await post({ ...auth(), 'mcp-protocol-version': '2025-06-18' }, padded(FOUR_MIB - 1024));
    expect(response.status).toBe(200);
    expect((await rpcBody(response)).id).toBe(1);
  });

  test.each([
    ['truncated JSON', '{"jsonrpc":"2.0","id":1,"method":"ping"'],
    ['not JSON', 'hello'],
    ['empty body', ''],
    ['a trailing comma', '{"jsonrpc":"2.0","id":1,"method":"ping",}'],
  ])('%s gets 400 with JSON-RPC error -32700', async (_name, body) => {
    const response = await post(auth(), body);
    expect(response.status).toBe(400);
    const reply = await response.json();
    expect(reply.jsonrpc).toBe('2.0');
    expect(reply.id).toBeNull();
    expect(reply.error.code).toBe(-32700);
  });

  test.each([
    ['an empty object', '{}'],
    ['null', 'null'],
    ['a number', '1'],
    ['an empty batch', '[]'],
    ['a batch of non-messages', '[1,2]'],
    ['a message without a method', '{"jsonrpc":"2.0","id":1}'],
  ])('valid JSON that is not JSON-RPC (%s) gets 400 with JSON-RPC error -32600', async (_name, body) => {
    const response = await post({ ...auth(), 'mcp-protocol-version': '2025-06-18' }, body);
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe(-32600);
  });
});

describe('/health', () => {
  test('answers without a token: status, pid, version, transport, instance_id, and no token', async () => {
    const response = await fetch(`${base}/health`);
    expect(response.status).toBe(200);
    const text = await response.text();
    const health = JSON.parse(text);
    expect(health).toMatchObject({ status: 'ok', pid: server.pid, transport: 'http', instance_id: instanceId });
    expect(health.version).toBeString();
    expect(text).not.toContain(token);
  });

  test('other methods get 405 with Allow: GET', async () => {
    const response = await fetch(`${base}/health`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });
});

test('after all of the above the same process still serves', async () => {
  expect(server.proc.exitCode).toBeNull();
  const init = await post(auth(), initialize('still-alive'));
  expect(init.status).toBe(200);
  expect((await rpcBody(init)).id).toBe('still-alive');
  const health = await (await fetch(`${base}/health`)).json();
  expect(health.pid).toBe(server.pid);
  expect(health.instance_id).toBe(instanceId);
  expect(server.stderr()).not.toMatch(/panic|uncaught|segmentation/i);
});

// Bun's graceful server stop waits for every open connection, so a client that never finishes its
// body used to keep a SIGTERMed server alive forever; the drain of in-flight calls is bounded (5 s).
test('a client that never finishes its body cannot hold shutdown hostage', async () => {
  const other = tempProject({ prefix: 'praxis-guards-stall-' });
  const stalled = spawnBinary(['serve', '--transport', 'http', '--no-auth', '--port', '0', '--project', other.root]);
  let socket: Socket | undefined;
  try {
    const { port } = await waitFor(() => readJson(other.statePath), 'the state file');
    socket = connect(port, '127.0.0.1');
    await new Promise((resolve, reject) => socket!.once('connect', resolve).once('error', reject));
    socket.write(
      `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
        `Accept: application/json, text/event-stream\r\nContent-Length: 1000\r\n\r\n{"jsonrpc":`,
    );
    // Its headers were sent before this request: by the time /health answers, it is in flight.
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    const started = Date.now();
    // A hung server would fail the test with SIGKILL instead of timing it out.
    const killer = setTimeout(() => stalled.proc.kill('SIGKILL'), 12_000);
    const code = await stalled.kill('SIGTERM');
    clearTimeout(killer);
    expect(code).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(readJson(other.statePath)).toBeUndefined();
  } finally {
    socket?.destroy();
    await stalled.kill('SIGKILL');
    other.cleanup();
  }
}, 20_000);
