// Fault scenarios: a dead owner, corrupted files, a full port range, and SIGTERM mid-call. None of
// them may block a start, crash a reader, or leave a stale state file behind (issue 3).
import { describe, expect, test } from 'bun:test';
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readJson, runBinary, spawnBinary, tempProject, waitFor } from '../helpers/process.ts';

const http = (root: string, extra: string[] = []) => ['serve', '--transport', 'http', '--port', '0', '--project', root, ...extra];

describe('a dead owner', () => {
  test('after kill -9, status reports stale and the next serve takes over at once', async () => {
    const project = tempProject();
    try {
      const first = spawnBinary(http(project.root));
      const dead = await waitFor(() => readJson(project.statePath), 'the first state file');
      expect(await first.kill('SIGKILL')).toBe('SIGKILL');

      const status = await runBinary(['status', '--project', project.root]);
      expect(status.code).toBe(3);
      expect(status.stdout).toMatch(/^stale: .*pid \d+/);
      expect(readJson(project.statePath)).toBeUndefined();

      const started = Date.now();
      const second = spawnBinary(http(project.root));
      const next = await waitFor(() => readJson(project.statePath), 'the new owner\'s state file');
      console.log(`takeover after kill -9: new owner serving ${Date.now() - started} ms after spawn`);
      expect(next.pid).toBe(second.pid);
      expect(next.instance_id).not.toBe(dead.instance_id);
      expect((await runBinary(['status', '--project', project.root])).code).toBe(0);
      expect(await second.kill('SIGTERM')).toBe(0);
    } finally {
      project.cleanup();
    }
  });

  test('a state file and lock naming a live pid that is not a praxis-mcp server do not block a start', async () => {
    const project = tempProject();
    try {
      // The test runner's own pid: alive, but no /health answers for it (a recycled pid).
      const foreign = { pid: process.pid, instance_id: 'recycled', created_at: new Date(Date.now() - 60_000).toISOString() };
      const lock = join(project.praxisDir, '.mcp_server.lock');
      writeFileSync(lock, JSON.stringify(foreign));
      const minuteAgo = new Date(Date.now() - 60_000);
      utimesSync(lock, minuteAgo, minuteAgo);
      const server = spawnBinary(http(project.root));
      const state = await waitFor(() => readJson(project.statePath), 'the state file');
      expect(state.pid).toBe(server.pid);
      expect(await server.kill('SIGTERM')).toBe(0);
    } finally {
      project.cleanup();
    }
  });
});

describe('corrupted state files', () => {
  const CORRUPT: [string, string][] = [
    ['empty', ''],
    ['truncated', '{"version": "1.0.0", "transport": "du'],
    ['not JSON', '\u0000\u0001garbage\uFFFD'],
    ['JSON of the wrong shape', '{"hello": "world"}'],
    ['a JSON array', '[1, 2, 3]'],
    ['wrong field types', JSON.stringify({ version: '1.0.0', transport: 'dual', port: 'x', host: 1, path: '/mcp', url: null, pid: -4, started_at: 0, project: {} })],
  ];

  test.each(CORRUPT)('%s: readers say "no server", and a start works and replaces it', async (_kind, text) => {
    const project = tempProject();
    try {
      // Mode 0600, as every state file praxis-mcp writes: a corrupted file of ours (a 0644 one is
      // not believed at all, see test/e2e/hostile-ownership.test.ts).
      writeFileSync(project.statePath, text, { mode: 0o600 });
      const status = await runBinary(['status', '--json', '--project', project.root]);
      expect(status.code).toBe(3);
      expect(JSON.parse(status.stdout).status).toBe('not running');
      const url = await runBinary(['url', '--project', project.root]);
      expect(url.code).toBe(3);
      expect(url.stderr).toContain('No praxis-mcp server is running');
      const server = spawnBinary(http(project.root));
      const state = await waitFor(() => readJson(project.statePath)?.pid === server.pid && readJson(project.statePath), 'a valid state file');
      expect(state.transport).toBe('http');
      expect(await server.kill('SIGTERM')).toBe(0);
    } finally {
      project.cleanup();
    }
  });

  test('a corrupted lock file does not block a start', async () => {
    const project = tempProject();
    try {
      writeFileSync(join(project.praxisDir, '.mcp_server.lock'), 'not a lock');
      const server = spawnBinary(http(project.root));
      expect((await waitFor(() => readJson(project.statePath), 'the state file')).pid).toBe(server.pid);
      expect(await server.kill('SIGTERM')).toBe(0);
    } finally {
      project.cleanup();
    }
  });
});

test('a full port range exits 1 with a message naming the range and how to widen it', async () => {
  const project = tempProject();
  const base = 47_950 + Math.floor(Math.random() * 10) * 3;
  const blockers = [0, 1, 2].map((i) => Bun.serve({ hostname: '127.0.0.1', port: base + i, fetch: () => new Response('taken') }));
  try {
    const result = await runBinary(['serve', '--transport', 'http', '--port', String(base), '--port-range', `${base}-${base + 2}`, '--project', project.root]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${base}-${base + 2}`);
    expect(result.stderr).toContain('--port-range');
    expect(readJson(project.statePath)).toBeUndefined();
  } finally {
    for (const b of blockers) b.stop(true);
    project.cleanup();
  }
});

test('SIGTERM at any moment of start-up leaves no state file, and nothing that blocks the next start', async () => {
  const project = tempProject();
  try {
    const outcomes: (number | string)[] = [];
    for (let i = 0; i < 12; i++) {
      const server = spawnBinary(http(project.root));
      // From "before anything" to "well after the state file" in 6 ms steps.
      await Bun.sleep((i % 12) * 6);
      server.proc.kill('SIGTERM');
      outcomes.push(await server.exited);
      expect(readJson(project.statePath)).toBeUndefined();
    }
    console.log(`SIGTERM during start-up: exits ${JSON.stringify(outcomes)}`);
    // Killed before the runtime has run any of our code, the default action ends it ("SIGTERM");
    // from then on the handler exits 0.
    expect(outcomes.every((o) => o === 0 || o === 'SIGTERM')).toBe(true);
    // Nothing a start-up killed at any moment leaves behind blocks the next start.
    const next = spawnBinary(http(project.root));
    expect((await waitFor(() => readJson(project.statePath), 'the next state file')).pid).toBe(next.pid);
    expect(await next.kill('SIGTERM')).toBe(0);
  } finally {
    project.cleanup();
  }
});

describe('SIGTERM during in-flight calls', () => {
  const call = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'get_server_info', arguments: {} } });

  test('over stdio: every call already read gets its reply before the process exits 0', async () => {
    const project = tempProject();
    const server = spawnBinary(['serve', '--transport', 'dual', '--port', '0', '--project', project.root]);
    try {
      await waitFor(() => readJson(project.statePath), 'the state file');
      const init = { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } };
      server.proc.stdin!.write(`${JSON.stringify(init)}\n`);
      await waitFor(() => server.stdout().includes('"id":0'), 'the initialize reply');
      // One write, so all ten are read together; SIGTERM as soon as the first reply shows.
      server.proc.stdin!.write(Array.from({ length: 10 }, (_, i) => `${JSON.stringify(call(i + 1))}\n`).join(''));
      await waitFor(() => /"id":([1-9]|10)\b/.test(server.stdout()), 'the first tools/call reply', 10_000, 1);
      server.proc.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      const replies = server.stdout().split('\n').filter(Boolean).map((l) => JSON.parse(l));
      const ids = replies.map((r) => r.id).filter((id) => id > 0).sort((a, b) => a - b);
      expect(ids).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      for (const r of replies) expect(r.result !== undefined || r.error !== undefined).toBe(true);
      expect(readJson(project.statePath)).toBeUndefined();
    } finally {
      await server.kill('SIGKILL');
      project.cleanup();
    }
  });

  test('over HTTP: calls complete or are refused, none hangs, and the state file is removed', async () => {
    const project = tempProject();
    const server = spawnBinary(http(project.root));
    try {
      const state = await waitFor(() => readJson(project.statePath), 'the state file');
      const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${state.auth.token}` };
      const calls = Array.from({ length: 20 }, (_, i) =>
        fetch(state.url, { method: 'POST', headers, body: JSON.stringify(call(i)), signal: AbortSignal.timeout(10_000) })
          .then(async (r) => ((await r.text()).includes('"result"') ? 'completed' : `error ${r.status}`))
          .catch((e: Error) => (e.name === 'TimeoutError' ? 'hung' : 'refused')),
      );
      // SIGTERM once the server is visibly working on them: the first answer is back, the rest are in flight.
      await Promise.race(calls);
      server.proc.kill('SIGTERM');
      const outcomes = await Promise.all(calls);
      const tally = outcomes.reduce<Record<string, number>>((t, o) => ((t[o] = (t[o] ?? 0) + 1), t), {});
      // Said as what happened by design, not as error counts: a passing run should read as one (issue 10).
      console.log(`SIGTERM mid-load over HTTP: ${tally.completed ?? 0} calls answered, ${tally.refused ?? 0} turned away while closing, ${tally.hung ?? 0} hung`);
      expect(outcomes).not.toContain('hung');
      expect(tally.completed).toBeGreaterThan(1);
      expect(outcomes.filter((o) => o.startsWith('error')).length).toBe(0);
      expect(await server.exited).toBe(0);
      expect(readJson(project.statePath)).toBeUndefined();
    } finally {
      await server.kill('SIGKILL');
      project.cleanup();
    }
  });
});
