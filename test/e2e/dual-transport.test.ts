// End-to-end: the compiled binary serves one registry over stdio and Streamable HTTP at once,
// to real v1 and v2 SDK clients (issue 2).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { statSync } from 'node:fs';
import { type ClientKind, type TestClient, connectHttp, connectStdio } from '../helpers/clients.ts';
import { type TempProject, readJson, runBinary, spawnBinary, tempProject, waitFor } from '../helpers/process.ts';

const KINDS: ClientKind[] = ['v1', 'v2'];

/** get_server_info without the fields that change from call to call. */
function stableInfo(result: any) {
  const info = structuredClone(result.structuredContent);
  delete info.server.uptime_seconds;
  delete info.requests;
  return info;
}

describe('dual mode: one server, two transports', () => {
  let project: TempProject;
  let stdioClients: Record<ClientKind, TestClient & { stderr(): string }>;
  let state: any;

  beforeAll(async () => {
    project = tempProject();
    // The v1 client owns the server process; the v2 stdio client gets its own server (stdio mode).
    const v1 = await connectStdio('v1', ['serve', '--transport', 'dual', '--port', '0', '--project', project.root]);
    state = await waitFor(() => readJson(project.statePath), 'the state file');
    const v2 = await connectStdio('v2', ['serve', '--transport', 'stdio', '--project', project.root]);
    stdioClients = { v1, v2 };
  });

  afterAll(async () => {
    await stdioClients?.v1.close();
    await stdioClients?.v2.close();
    project.cleanup();
  });

  test('the state file names a bound loopback URL and carries the contract fields', () => {
    expect(state).toMatchObject({
      version: '1.0.0',
      transport: 'dual',
      host: '127.0.0.1',
      path: '/mcp',
      project: { root: project.root },
    });
    expect(state.url).toBe(`http://127.0.0.1:${state.port}/mcp`);
    expect(typeof state.pid).toBe('number');
    expect(Number.isNaN(Date.parse(state.started_at))).toBe(false);
    expect(state.instance_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(state.auth.token.length).toBeGreaterThanOrEqual(22);
    expect(statSync(project.statePath).mode & 0o777).toBe(0o600);
  });

  test.each(KINDS)('%s client over stdio lists every tool, each with a description and an input schema', async (kind) => {
    const { tools } = await stdioClients[kind].listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['current_date', 'get_server_info', 'pos_workflow', 'search_standards']);
    for (const tool of tools) {
      expect(tool.description!.length).toBeGreaterThan(20);
      expect(tool.inputSchema).toMatchObject({ type: 'object' });
    }
  });

  test.each(KINDS)('%s client over HTTP gets byte-identical tools/list to stdio', async (kind) => {
    const http = await connectHttp(kind, state.url, state.auth.token);
    try {
      const overHttp = await http.listTools();
      const overStdio = await stdioClients.v1.listTools();
      expect(JSON.stringify(overHttp)).toBe(JSON.stringify(overStdio));
    } finally {
      await http.close();
    }
  });

  test.each(KINDS)('%s client over HTTP and the stdio client reach the same server state', async (kind) => {
    const http = await connectHttp(kind, state.url, state.auth.token);
    try {
      const viaHttp = await http.callTool({ name: 'get_server_info', arguments: {} });
      const viaStdio = await stdioClients.v1.callTool({ name: 'get_server_info', arguments: {} });
      expect(stableInfo(viaHttp)).toEqual(stableInfo(viaStdio));
      expect(viaHttp.structuredContent.server).toMatchObject({ instance_id: state.instance_id, pid: state.pid, url: state.url });
      // Counters are per transport and shared by the whole process.
      expect(viaStdio.structuredContent.requests.http).toBeGreaterThan(0);
      expect(viaStdio.structuredContent.requests.stdio).toBeGreaterThan(0);
    } finally {
      await http.close();
    }
  });

  test('current_date answers the same way on both transports', async () => {
    const http = await connectHttp('v2', state.url, state.auth.token);
    try {
      const a = await http.callTool({ name: 'current_date', arguments: {} });
      const b = await stdioClients.v2.callTool({ name: 'current_date', arguments: {} });
      expect(Object.keys(a.structuredContent).sort()).toEqual(Object.keys(b.structuredContent).sort());
      expect(a.structuredContent.timezone).toBe(b.structuredContent.timezone);
      expect(Math.abs(a.structuredContent.unix_ms - Date.now())).toBeLessThan(60_000);
      expect(a.content[0].type).toBe('text');
    } finally {
      await http.close();
    }
  });

  test('an unknown tool is a protocol-correct error, and the server keeps serving', async () => {
    const call = stdioClients.v2.callTool({ name: 'no_such_tool', arguments: {} });
    const outcome = await call.then((r: any) => r, (e: Error) => ({ thrown: e.message }));
    expect(JSON.stringify(outcome)).toMatch(/no_such_tool|not found/i);
    expect((await stdioClients.v2.listTools()).tools.length).toBe(4);
  });
});

describe('start order, stdout and shutdown', () => {
  const INIT = (id: number) =>
    `${JSON.stringify({ jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } })}\n`;

  test('the HTTP port answers the moment the state file appears', async () => {
    const project = tempProject();
    const server = spawnBinary(['serve', '--transport', 'http', '--port', '0', '--project', project.root]);
    try {
      const state = await waitFor(() => readJson(project.statePath), 'the state file', 10_000, 1);
      const health = await fetch(`http://127.0.0.1:${state.port}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok', pid: server.pid, instance_id: state.instance_id, transport: 'http' });
      expect(statSync(project.statePath).mode & 0o777).toBe(0o600);
    } finally {
      expect(await server.kill('SIGTERM')).toBe(0);
      project.cleanup();
    }
  });

  test('in dual mode HTTP is answering before stdio answers its first message', async () => {
    const project = tempProject();
    // A port of our own choosing, so the test knows it before any state file exists.
    const port = 47_500 + Math.floor(Math.random() * 400);
    const server = spawnBinary(['serve', '--transport', 'dual', '--port', String(port), '--port-range', `${port}-${port}`, '--project', project.root]);
    try {
      server.proc.stdin!.write(INIT(1));
      await waitFor(() => server.stdout().includes('"id":1'), 'the initialize reply');
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
    } finally {
      server.proc.stdin!.end();
      expect(await server.exited).toBe(0);
      project.cleanup();
    }
  });

  test('every stdout line is a JSON-RPC frame; logs go to stderr', async () => {
    const project = tempProject();
    const input =
      INIT(1) +
      `${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n` +
      `${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' })}\n` +
      `${JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'get_server_info', arguments: {} } })}\n` +
      `${JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'current_date', arguments: {} } })}\n`;
    const server = spawnBinary(['serve', '--transport', 'dual', '--port', '0', '--log-level', 'debug', '--project', project.root]);
    try {
      server.proc.stdin!.write(input);
      await waitFor(() => server.stdout().includes('"id":4'), 'all replies');
      server.proc.stdin!.end();
      expect(await server.exited).toBe(0);
      const lines = server.stdout().split('\n').filter((l) => l !== '');
      expect(lines.length).toBe(4);
      for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
      expect(server.stderr()).toContain('praxis-mcp');
    } finally {
      project.cleanup();
    }
  });

  test.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)('%s removes the state file and exits 0', async (signal) => {
    const project = tempProject();
    const server = spawnBinary(['serve', '--transport', 'dual', '--port', '0', '--project', project.root]);
    try {
      await waitFor(() => readJson(project.statePath), 'the state file');
      expect(await server.kill(signal)).toBe(0);
      expect(readJson(project.statePath)).toBeUndefined();
    } finally {
      project.cleanup();
    }
  });

  test.each(['dual', 'stdio'])('in %s mode the end of stdin removes the state file and exits 0', async (transport) => {
    const project = tempProject();
    const server = spawnBinary(['serve', '--transport', transport, '--port', '0', '--project', project.root]);
    try {
      await waitFor(() => readJson(project.statePath), 'the state file');
      server.proc.stdin!.end();
      expect(await server.exited).toBe(0);
      expect(readJson(project.statePath)).toBeUndefined();
    } finally {
      project.cleanup();
    }
  });

  test('a state file rewritten by another server is left alone at shutdown', async () => {
    const project = tempProject();
    const server = spawnBinary(['serve', '--transport', 'http', '--port', '0', '--project', project.root]);
    try {
      const state = await waitFor(() => readJson(project.statePath), 'the state file');
      const foreign = { ...state, instance_id: 'another-server', pid: 1 };
      await Bun.write(project.statePath, JSON.stringify(foreign));
      expect(await server.kill('SIGTERM')).toBe(0);
      expect(readJson(project.statePath)).toMatchObject({ instance_id: 'another-server' });
    } finally {
      project.cleanup();
    }
  });
});

describe('command line', () => {
  test.each([
    [['serve'], 2, /Missing --transport/],
    [['serve', '--transport', 'carrier-pigeon'], 2, /Invalid --transport/],
    [['serve', '--transport', 'http', '--host', '0.0.0.0'], 1, /Refusing to bind 0\.0\.0\.0/],
    [['serve', '--transport', 'http', '--port-range', '10-5'], 2, /start is above the end/],
  ])('%p exits %d with a clear message', async (args, code, message) => {
    const project = tempProject();
    try {
      const result = await runBinary([...args, '--project', project.root]);
      expect(result.code).toBe(code);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
    } finally {
      project.cleanup();
    }
  });

  test('no project found names where it looked and what to do', async () => {
    const dir = tempProject({ praxis: false });
    try {
      const result = await runBinary(['serve', '--transport', 'stdio'], {
        cwd: dir.root,
        env: { PRAXIS_MCP_PROJECT: undefined, AGENT_OS_BASE_PATH: undefined },
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(dir.root);
      expect(result.stderr).toContain('praxis-mcp init');
      expect(result.stderr).toContain('--project');
    } finally {
      dir.cleanup();
    }
  });

  test('`--transport dual` without a subcommand serves, as configs for the original expect', async () => {
    const project = tempProject();
    const server = spawnBinary(['--transport', 'dual', '--port', '0', '--project', project.root]);
    try {
      const state = await waitFor(() => readJson(project.statePath), 'the state file');
      expect(state.transport).toBe('dual');
      server.proc.stdin!.end();
      expect(await server.exited).toBe(0);
    } finally {
      project.cleanup();
    }
  });

  test('--version prints the package version; --help explains the options', async () => {
    const pkg = await Bun.file(new URL('../../package.json', import.meta.url)).json();
    expect((await runBinary(['--version'])).stdout.trim()).toBe(pkg.version);
    const help = await runBinary(['serve', '--help']);
    expect(help.code).toBe(0);
    for (const flag of ['--transport', '--project', '--host', '--port', '--port-range', '--path', '--log-level']) {
      expect(help.stdout).toContain(flag);
    }
  });
});
