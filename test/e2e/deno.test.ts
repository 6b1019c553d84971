// The same source under Deno (issue 2): `deno run -A src/main.ts serve --transport http` resolves
// its npm packages from node_modules through deno.json, serves the tools the compiled Bun binary
// serves, and shuts down cleanly. No network: the registry points at a closed port, so any attempt
// to download would fail; Deno's cache goes to a temp dir.
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, projectDbPath } from '../../src/store/index.ts';
import { type TestClient, connectHttp } from '../helpers/clients.ts';
import { ROOT, type Spawned, type TempProject, readJson, spawnBinary, tempProject, waitFor } from '../helpers/process.ts';

const DENO = join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'deno.cmd' : 'deno');
// Deno compiles the TypeScript on first run; later runs hit the (temp) cache.
const START_TIMEOUT_MS = 30_000;

let denoDir: string;
let denoProject: TempProject;
let bunProject: TempProject;
let deno: Spawned;
let bun: Spawned;
let denoState: any;
let bunState: any;
const clients: TestClient[] = [];

beforeAll(async () => {
  denoDir = mkdtempSync(join(tmpdir(), 'praxis-deno-dir-'));
  denoProject = tempProject({ prefix: 'praxis-deno-' });
  bunProject = tempProject({ prefix: 'praxis-deno-bun-' });
  const args = ['serve', '--transport', 'http', '--port', '0'];
  deno = spawnBinary([...args, '--project', denoProject.root], {
    command: [DENO, 'run', '-A', join(ROOT, 'src', 'main.ts')],
    // Started from the project, as an IDE would: deno.json is found next to the source, not the cwd.
    cwd: denoProject.root,
    env: {
      DENO_DIR: denoDir,
      DENO_NO_UPDATE_CHECK: '1',
      DENO_NO_PROMPT: '1',
      NO_COLOR: '1',
      NPM_CONFIG_REGISTRY: 'http://127.0.0.1:9/',
    },
  });
  bun = spawnBinary([...args, '--project', bunProject.root]);
  [denoState, bunState] = await Promise.all([
    waitFor(
      () => readJson(denoProject.statePath) ?? (deno.proc.exitCode !== null && Promise.reject(new Error(`deno exited: ${deno.stderr()}`))),
      'the state file of the Deno server',
      START_TIMEOUT_MS,
      50,
    ),
    waitFor(() => readJson(bunProject.statePath), 'the state file of the Bun binary'),
  ]);
}, START_TIMEOUT_MS + 5_000);

afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  await Promise.allSettled([deno?.kill('SIGTERM'), bun?.kill('SIGTERM')]);
  denoProject?.cleanup();
  bunProject?.cleanup();
  if (denoDir) rmSync(denoDir, { recursive: true, force: true });
});

async function connect(state: any): Promise<TestClient> {
  const client = await connectHttp('v2', state.url, state.auth?.token);
  clients.push(client);
  return client;
}

test('the Deno server announces itself like the binary does', async () => {
  expect(denoState).toMatchObject({ transport: 'http', host: '127.0.0.1', path: '/mcp', pid: deno.pid });
  expect(denoState.port).toBeGreaterThan(0);
  expect(denoState.url).toBe(`http://127.0.0.1:${denoState.port}/mcp`);
  expect(Object.keys(denoState).sort()).toEqual(Object.keys(bunState).sort());
  const health = await (await fetch(new URL('/health', denoState.url))).json();
  expect(health).toMatchObject({ status: 'ok', pid: deno.pid, transport: 'http', instance_id: denoState.instance_id });
  expect(health.version).toBe(bunState.server_version);
});

test('tools/list under Deno equals the compiled Bun binary, byte for byte', async () => {
  const [fromDeno, fromBun] = await Promise.all([connect(denoState), connect(bunState)]);
  const [denoTools, bunTools] = await Promise.all([fromDeno.listTools(), fromBun.listTools()]);
  expect(denoTools.tools.map((t) => t.name)).toContain('current_date');
  expect(JSON.stringify(denoTools.tools)).toBe(JSON.stringify(bunTools.tools));
});

test('tools/call current_date under Deno answers like the binary', async () => {
  const client = await connect(denoState);
  const before = Date.now();
  const result = await client.callTool({ name: 'current_date', arguments: {} });
  expect(result.isError).not.toBe(true);
  expect(result.content[0].type).toBe('text');
  const unixMs = result.structuredContent.unix_ms;
  expect(unixMs).toBeGreaterThanOrEqual(before - 1000);
  expect(unixMs).toBeLessThanOrEqual(Date.now() + 1000);
  const fromBun = await (await connect(bunState)).callTool({ name: 'current_date', arguments: {} });
  expect(Object.keys(result.structuredContent).sort()).toEqual(Object.keys(fromBun.structuredContent).sort());
  expect(result.content.map((c: { type: string }) => c.type)).toEqual(fromBun.content.map((c: { type: string }) => c.type));
});

test('search_standards under Deno uses the project database (WAL, FTS5) and answers like the binary', async () => {
  const doc = '# Shutdown\n\n## Graceful shutdown\n\nDrain in-flight requests on SIGTERM, then exit.\n\n## Logging\n\nWrite logs to stderr.\n';
  for (const p of [denoProject, bunProject]) writeFileSync(join(p.praxisDir, 'standards', 'ops.md'), doc);
  const [fromDeno, fromBun] = await Promise.all([connect(denoState), connect(bunState)]);
  // "gracefull" is misspelled on purpose: the spelling fixer runs under both runtimes.
  const search = (c: TestClient) => c.callTool({ name: 'search_standards', arguments: { query: 'gracefull shutdown on sigterm', n_results: 2 } });
  const [viaDeno, viaBun] = await Promise.all(
    [fromDeno, fromBun].map((c) => waitFor(async () => {
      const r = await search(c);
      return r.structuredContent.results.length > 0 && r;
    }, 'search results', 20_000, 50)),
  );
  expect(viaDeno.structuredContent.results[0]).toMatchObject({ file: 'ops.md', heading_path: 'Shutdown > Graceful shutdown', line_start: 3, line_end: 5 });
  expect(JSON.stringify(viaDeno.structuredContent)).toBe(JSON.stringify(viaBun!.structuredContent));
  const store = openStore({ path: projectDbPath(denoProject.praxisDir), onCorrupt: 'throw' });
  try {
    expect((store.db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode).toBe('wal');
    expect(store.db.prepare('SELECT file FROM std_docs').all()).toEqual([{ file: 'ops.md' }] as any);
  } finally {
    store.close();
  }
}, 30_000);

test('the Deno guards refuse a foreign Host and a missing token', async () => {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });
  expect((await fetch(denoState.url, { method: 'POST', headers: { ...headers, Host: 'evil.com' }, body })).status).toBe(403);
  expect((await fetch(denoState.url, { method: 'POST', headers, body })).status).toBe(401);
});

test('SIGTERM ends the Deno server with exit 0 and removes its state file; no lockfile in the repo', async () => {
  await Promise.allSettled(clients.splice(0).map((c) => c.close()));
  expect(await deno.kill('SIGTERM')).toBe(0);
  expect(existsSync(denoProject.statePath)).toBe(false);
  expect(deno.stdout()).toBe('');
  // deno.json opts out of Deno.serve's legacy request.signal behaviour, which warns on stderr.
  expect(deno.stderr()).not.toContain('legacy');
  expect(existsSync(join(ROOT, 'deno.lock'))).toBe(false);
}, 15_000);

test('`deno check` type-checks the source under Deno too (CONVENTIONS: one source, two runtimes)', async () => {
  const { spawnSync } = await import('node:child_process');
  const result = spawnSync(DENO, ['check', join(ROOT, 'src', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1', NPM_CONFIG_REGISTRY: 'http://127.0.0.1:9/' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(result.stderr).not.toContain('ERROR');
  expect(result.status).toBe(0);
}, 70_000);
