// A cloned repository cannot hijack the IDE's session or hang it through a planted lock or state
// file (issue 11). Each case plants files in a temp project, runs the compiled binary, and asserts
// what a real MCP client receives, what the fake owner on loopback saw (nothing), and the warning.
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { type Server as NetServer, type Socket, createServer } from 'node:net';
import { join } from 'node:path';
import { connectStdio } from '../helpers/clients.ts';
import { type Spawned, type TempProject, readJson, runBinary, spawnBinary, tempProject, waitFor } from '../helpers/process.ts';

const OTHER_UID = 65534;
const isRoot = process.getuid?.() === 0;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function project(): TempProject {
  const p = tempProject({ prefix: 'praxis-hostile-own-' });
  cleanups.push(() => p.cleanup());
  return p;
}

/** A fake owner on loopback: answers /health with `instanceId` and MCP with a "hijacked" tool; counts every request. */
function fakeOwner(instanceId: string) {
  const seen: string[] = [];
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(request) {
      const url = new URL(request.url);
      seen.push(`${request.method} ${url.pathname}`);
      if (url.pathname === '/health') return Response.json({ status: 'ok', name: 'praxis-mcp', instance_id: instanceId });
      const body = (await request.json().catch(() => ({}))) as { id?: number };
      return Response.json({ jsonrpc: '2.0', id: body.id ?? null, result: { tools: [{ name: 'hijacked', inputSchema: { type: 'object' } }] } });
    },
  });
  cleanups.push(() => server.stop(true));
  return { port: server.port!, url: `http://127.0.0.1:${server.port}/mcp`, seen };
}

/** A loopback port that accepts connections and never answers (so `/health` times out). */
async function silentPort(): Promise<number> {
  const sockets: Socket[] = [];
  const server: NetServer = createServer((s) => void sockets.push(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  return (server.address() as { port: number }).port;
}

/** A real praxis-mcp serving another project: a live pid whose command line is praxis-mcp. */
let otherServer: Spawned;
let otherProject: TempProject;
beforeAll(async () => {
  otherProject = tempProject({ prefix: 'praxis-hostile-other-' });
  otherServer = spawnBinary(['serve', '--transport', 'http', '--port', '0', '--project', otherProject.root]);
  await waitFor(() => readJson(otherProject.statePath), 'the other project\'s server');
});
afterAll(async () => {
  await otherServer?.kill('SIGTERM');
  otherProject?.cleanup();
});

interface Plant {
  pid: number;
  host?: string;
  port: number;
  url: string;
  mode?: number;
  uid?: number;
}

/** Writes a lock and a state file naming the same instance, as the attacker does. */
function plant(p: TempProject, o: Plant): void {
  const lockPath = join(p.praxisDir, '.mcp_server.lock');
  const state = {
    version: '1.0.0', transport: 'dual', port: o.port, host: o.host ?? '127.0.0.1', path: '/mcp', url: o.url, pid: o.pid,
    started_at: new Date().toISOString(), project: { name: 'x', root: p.root }, instance_id: 'planted', auth: { type: 'bearer', token: 'planted-token' },
  };
  writeFileSync(lockPath, JSON.stringify({ pid: o.pid, instance_id: 'planted', created_at: new Date(Date.now() - 60_000).toISOString() }));
  writeFileSync(p.statePath, JSON.stringify(state));
  for (const path of [lockPath, p.statePath]) {
    chmodSync(path, o.mode ?? 0o600);
    if (o.uid !== undefined) chownSync(path, o.uid, o.uid);
    // An old lock: a holder that never announced itself would be past its start-up grace.
    utimesSync(path, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
  }
}

// Every row has all four columns: bun treats a callback with more parameters than the row as one taking `done`.
type Case = [name: string, make: (fake: ReturnType<typeof fakeOwner>) => Promise<Plant>, warning: (o: Plant) => string, needsRoot: boolean];

const CASES: Case[] = [
  [
    "the issue's plant: lock naming pid 1, a /health that never answers, url pointing elsewhere",
    async (fake) => ({ pid: 1, port: await silentPort(), url: fake.url }),
    () => 'pid 1 is not a praxis-mcp process',
    false,
  ],
  [
    'url built from its own fields, /health answering with its instance_id, pid alive but not praxis-mcp',
    async (fake) => ({ pid: process.pid, port: fake.port, url: fake.url }),
    () => `pid ${process.pid} is not a praxis-mcp process`,
    false,
  ],
  [
    'a real praxis-mcp pid, files committed (mode 0644)',
    async (fake) => ({ pid: otherServer.pid, port: fake.port, url: fake.url, mode: 0o644 }),
    () => 'has mode 0644',
    false,
  ],
  [
    'a real praxis-mcp pid, files 0600 but owned by another user',
    async (fake) => ({ pid: otherServer.pid, port: fake.port, url: fake.url, uid: OTHER_UID }),
    () => `belongs to uid ${OTHER_UID}`,
    true,
  ],
  [
    'a real praxis-mcp pid, files ours, url not the one its host, port and path build',
    async (fake) => ({ pid: otherServer.pid, port: await silentPort(), url: fake.url }),
    () => 'is not http://127.0.0.1:',
    false,
  ],
  [
    'a real praxis-mcp pid, files ours, host not loopback',
    async (fake) => ({ pid: otherServer.pid, host: '192.0.2.1', port: fake.port, url: `http://192.0.2.1:${fake.port}/mcp` }),
    () => 'is not a loopback address',
    false,
  ],
];

describe('no trust in planted ownership (compiled binary, fake owner on loopback)', () => {
  test.each(CASES)('%s: status, url and call do not follow it; serve serves its own IDE and owns the project', async (_name, make, warning, needsRoot) => {
    if (needsRoot && !isRoot) {
      console.log('skipped: creating a file owned by another uid needs root');
      return;
    }
    const p = project();
    const fake = fakeOwner('planted');
    const planted = await make(fake);
    plant(p, planted);

    const status = await runBinary(['status', '--json', '--project', p.root]);
    expect(status.code).toBe(3);
    expect(JSON.parse(status.stdout).status).not.toBe('running');
    const url = await runBinary(['url', '--project', p.root]);
    expect(url.code).toBe(3);
    expect(url.stdout).not.toContain(fake.url);
    const call = await runBinary(['call', 'get_server_info', '--project', p.root]);
    expect(call.code).toBe(0);
    expect(JSON.parse(call.stdout).server.pid).not.toBe(planted.pid);

    plant(p, planted); // status may have removed a stale file; plant it again for serve
    const started = Date.now();
    const client = (await connectStdio('v2', ['serve', '--transport', 'dual', '--port', '0', '--project', p.root])) as any;
    cleanups.push(() => client.close());
    const names = (await client.listTools()).tools.map((t: { name: string }) => t.name);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(names).toContain('search_standards');
    expect(names).not.toContain('hijacked');
    const info = JSON.parse((await client.callTool({ name: 'get_server_info', arguments: {} })).content[0].text);
    // It became the owner: its own state file, a URL of its own.
    const state = await waitFor(() => readJson(p.statePath)?.pid === info.server.pid && readJson(p.statePath), 'the new owner\'s state file');
    expect(state.url).toBe(info.server.url);
    expect(client.stderr()).toContain(warning(planted));
    const after = await runBinary(['url', '--project', p.root]);
    expect(after.stdout.trim()).toBe(info.server.url);
    expect(fake.seen).toEqual([]);
  }, 30_000);
});

describe('a frozen owner (SIGSTOP) hangs nobody', () => {
  test('a new serve answers its IDE within 5 s, unannounced, with a warning; status says unresponsive (exit 4); url and call give up', async () => {
    const p = project();
    const owner = spawnBinary(['serve', '--transport', 'dual', '--port', '0', '--project', p.root]);
    cleanups.push(async () => {
      process.kill(owner.pid, 'SIGCONT');
      await owner.kill('SIGKILL');
    });
    const ownerState = await waitFor(() => readJson(p.statePath), 'the owner\'s state file');
    process.kill(owner.pid, 'SIGSTOP');

    const started = Date.now();
    const client = (await connectStdio('v2', ['serve', '--transport', 'dual', '--port', '0', '--project', p.root])) as any;
    cleanups.push(() => client.close());
    const names = (await client.listTools()).tools.map((t: { name: string }) => t.name);
    const elapsed = Date.now() - started;
    console.log(`frozen owner: the new server answered its IDE ${elapsed} ms after spawn`);
    expect(elapsed).toBeLessThan(5000);
    expect(names).toContain('search_standards');
    expect(client.stderr()).toContain(`another praxis-mcp (pid ${owner.pid})`);
    expect(client.stderr()).toContain('serving this IDE on its own');
    // Unannounced: the state file still names the owner.
    expect(readJson(p.statePath).instance_id).toBe(ownerState.instance_id);

    const status = await runBinary(['status', '--json', '--project', p.root]);
    expect(status.code).toBe(4);
    expect(JSON.parse(status.stdout)).toMatchObject({ status: 'unresponsive', pid: owner.pid });
    const url = await runBinary(['url', '--project', p.root]);
    expect(url.code).toBe(4);
    expect(url.stderr).toContain('does not answer');
    const callStarted = Date.now();
    const call = await runBinary(['call', 'current_date', '--project', p.root]);
    expect(call.code).toBe(4);
    expect(call.stderr).toContain('does not answer');
    expect(Date.now() - callStarted).toBeLessThan(5000);

    // The owner comes back: readers find it again; the standalone server keeps serving its IDE.
    process.kill(owner.pid, 'SIGCONT');
    const back = await waitFor(async () => {
      const r = await runBinary(['status', '--json', '--project', p.root]);
      return r.code === 0 && JSON.parse(r.stdout);
    }, 'the owner to answer again');
    expect(back.pid).toBe(owner.pid);
    const date = await client.callTool({ name: 'current_date', arguments: {} });
    expect(date.isError ?? false).toBe(false);
  }, 30_000);
});

/** A pid that is certainly dead: a child that has exited. */
const deadPid = () => spawnSync('true').pid!;

describe('nothing waits forever on a planted lock', () => {
  const lockOf = (p: TempProject) => join(p.praxisDir, '.mcp_server.lock');
  const serveHttp = (p: TempProject) => runBinary(['serve', '--transport', 'http', '--port', '0', '--project', p.root], { timeoutMs: 20_000 });

  test('a lock that is a folder: a clear error naming it and what to do, within 5 s', async () => {
    const p = project();
    mkdirSync(lockOf(p));
    const started = Date.now();
    const r = await serveHttp(p);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${lockOf(p)} is a folder, not a lock file`);
    expect(r.stderr).toContain(`rmdir ${lockOf(p)}`);
  });

  test('a stale lock next to a .mcp_server.lock.break that is a folder: a clear error naming it, within 5 s', async () => {
    const p = project();
    writeFileSync(lockOf(p), JSON.stringify({ pid: deadPid(), instance_id: 'dead', created_at: new Date().toISOString() }), { mode: 0o600 });
    mkdirSync(`${lockOf(p)}.break`);
    const started = Date.now();
    const r = await serveHttp(p);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${lockOf(p)}.break is a folder`);
  });

  test.each([
    ['a dangling symbolic link', (p: TempProject) => symlinkSync(join(p.root, 'nowhere'), lockOf(p)), 'is a symbolic link'],
    [
      'a symbolic link to a file outside the project',
      (p: TempProject) => {
        writeFileSync(join(p.root, '..', `${p.root.split('/').pop()}-target`), 'do not touch');
        symlinkSync(join(p.root, '..', `${p.root.split('/').pop()}-target`), lockOf(p));
      },
      'is a symbolic link',
    ],
    [
      "another user's lock (chown)",
      (p: TempProject) => {
        writeFileSync(lockOf(p), JSON.stringify({ pid: 1, instance_id: 'x', created_at: new Date().toISOString() }), { mode: 0o600 });
        chownSync(lockOf(p), OTHER_UID, OTHER_UID);
      },
      `belongs to uid ${OTHER_UID}`,
    ],
  ])('a lock that is %s is replaced, never followed, and the server starts within 5 s', async (name, make, warning) => {
    if (name.includes('chown') && !isRoot) {
      console.log('skipped: creating a file owned by another uid needs root');
      return;
    }
    const p = project();
    make(p);
    const target = join(p.root, '..', `${p.root.split('/').pop()}-target`);
    cleanups.push(() => spawnSync('rm', ['-f', target]));
    const started = Date.now();
    const server = spawnBinary(['serve', '--transport', 'http', '--port', '0', '--project', p.root]);
    cleanups.push(() => server.kill('SIGKILL'));
    const state = await waitFor(() => readJson(p.statePath)?.pid === server.pid && readJson(p.statePath), 'the state file', 5000);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(state.pid).toBe(server.pid);
    expect(JSON.parse(readFileSync(lockOf(p), 'utf8')).pid).toBe(server.pid);
    expect(server.stderr()).toContain(warning);
    if (existsSync(target)) expect(readFileSync(target, 'utf8')).toBe('do not touch');
    expect(existsSync(join(p.root, 'nowhere'))).toBe(false);
    expect(await server.kill('SIGTERM')).toBe(0);
  }, 15_000);
});

describe('clean up', () => {
  test('start-up removes leftover temp files of dead writers and keeps those of live praxis-mcp processes', async () => {
    const p = project();
    const dead = deadPid();
    // The names writeFileAtomic and createExclusive give them: `.` + the file's name (itself starting with `.`).
    const leftovers = [`..mcp_server_state.json.${dead}.a1b2c3d4e5f6.tmp`, `..mcp_server.lock.${dead}.a1b2c3d4e5f6.tmp`, `..mcp_server.lock.break.${dead}.0a0b0c0d0e0f.tmp`];
    const live = `..mcp_server_state.json.${otherServer.pid}.0123456789ab.tmp`;
    for (const name of [...leftovers, live]) writeFileSync(join(p.praxisDir, name), '{"auth":{"token":"dead"}}', { mode: 0o600 });
    const server = spawnBinary(['serve', '--transport', 'http', '--port', '0', '--project', p.root]);
    cleanups.push(() => server.kill('SIGKILL'));
    await waitFor(() => readJson(p.statePath)?.pid === server.pid, 'the state file');
    const tmp = readdirSync(p.praxisDir).filter((n) => n.endsWith('.tmp'));
    expect(tmp).toEqual([live]);
    expect(server.stderr()).toContain('removed 3 leftover temp file(s)');
    expect(await server.kill('SIGTERM')).toBe(0);
  });

  test('a signal during the claim leaves nothing behind', async () => {
    const p = project();
    // The lock of a live praxis-mcp that has not announced itself yet: the claim waits for it.
    const lockText = JSON.stringify({ pid: otherServer.pid, instance_id: 'starting', created_at: new Date().toISOString() });
    for (let round = 0; round < 5; round++) {
      writeFileSync(join(p.praxisDir, '.mcp_server.lock'), lockText, { mode: 0o600 });
      const server = spawnBinary(['serve', '--transport', 'http', '--port', '0', '--project', p.root]);
      cleanups.push(() => server.kill('SIGKILL'));
      await waitFor(() => server.stderr().includes('transport http'), 'the server to start claiming');
      await new Promise((resolve) => setTimeout(resolve, 50 + round * 40));
      expect(await server.kill('SIGTERM')).toBe(0);
      expect(readdirSync(p.praxisDir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
      expect(readFileSync(join(p.praxisDir, '.mcp_server.lock'), 'utf8')).toBe(lockText);
      expect(existsSync(p.statePath)).toBe(false);
    }
  }, 30_000);
});

describe('call gives up', () => {
  test('on a server that passes every check but never answers tools/call: exit 4 with a clear message within PRAXIS_MCP_CALL_TIMEOUT', async () => {
    const p = project();
    // A fake owner in its own process, named like praxis-mcp (the command-line check passes), that
    // answers /health with its instance id and never answers MCP requests: a server frozen mid-call.
    const dir = join(p.root, 'fake');
    mkdirSync(dir);
    const script = join(dir, 'praxis-mcp-fake-owner.ts');
    writeFileSync(
      script,
      `const s = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch(r) {
        if (new URL(r.url).pathname === '/health') return Response.json({ status: 'ok', instance_id: 'frozen-mid-call' });
        return new Promise(() => {});
      } });
      console.log(s.port);`,
    );
    const fake = spawnBinary([script], { command: [process.execPath] });
    cleanups.push(() => fake.kill('SIGKILL'));
    const port = Number(await waitFor(() => fake.stdout().trim(), 'the fake owner\'s port'));
    const state = {
      version: '1.0.0', transport: 'http', port, host: '127.0.0.1', path: '/mcp', url: `http://127.0.0.1:${port}/mcp`, pid: fake.pid,
      started_at: new Date().toISOString(), project: { name: 'x', root: p.root }, instance_id: 'frozen-mid-call', auth: null,
    };
    writeFileSync(p.statePath, JSON.stringify(state), { mode: 0o600 });
    const status = await runBinary(['status', '--json', '--project', p.root]);
    expect(JSON.parse(status.stdout).status).toBe('running');
    const started = Date.now();
    const call = await runBinary(['call', 'current_date', '--project', p.root], { env: { PRAXIS_MCP_CALL_TIMEOUT: '2' } });
    const elapsed = Date.now() - started;
    expect(call.code).toBe(4);
    expect(call.stderr).toContain('did not answer');
    expect(elapsed).toBeLessThan(6000);
  }, 20_000);
});
