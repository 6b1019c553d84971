// A process frozen inside a write transaction on the project database (a SIGSTOPped owner in the
// middle of its index update) must not stall another server's stdio (issue 11): node:sqlite waits
// for a lock synchronously, so the standards index tries with a short busy timeout and waits
// between tries asynchronously, then keeps its index in memory.
import { afterEach, expect, test } from 'bun:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TempProject, holdWriteLock, runBinary, spawnBinary, tempProject, waitFor } from '../helpers/process.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

test('a held write lock on the project database does not stall a new server: initialize and ping answer at once, search after the fallback', async () => {
  const project: TempProject = tempProject({ prefix: 'praxis-dblock-' });
  cleanups.push(() => project.cleanup());
  writeFileSync(join(project.praxisDir, 'standards', 'a.md'), '# Alpha\n\n## Section\nwombat policy\n');
  // One run creates the database (and its tables) the way a server does.
  expect((await runBinary(['call', 'search_standards', 'query=wombat', '--project', project.root])).code).toBe(0);

  // A stand-in for the frozen owner: holds BEGIN IMMEDIATE and never commits while the test runs.
  const holder = await holdWriteLock(join(project.praxisDir, '.cache', 'praxis.db'));
  cleanups.push(() => holder.release());
  // A changed file makes the new server's first build a write.
  writeFileSync(join(project.praxisDir, 'standards', 'b.md'), '# Beta\n\n## Section\nnumbat policy\n');

  const server = spawnBinary(['serve', '--transport', 'stdio', '--project', project.root]);
  cleanups.push(() => server.kill('SIGKILL'));
  const started = Date.now();
  const send = (m: object) => server.proc.stdin!.write(`${JSON.stringify(m)}\n`);
  const replyAt: Record<number, number> = {};
  const reply = (id: number) => server.stdout().split('\n').find((l) => l.includes(`"id":${id}`) && l.includes('"result"'));
  send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
  send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  send({ jsonrpc: '2.0', id: 2, method: 'ping' });
  send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'search_standards', arguments: { query: 'numbat' } } });
  await waitFor(() => reply(2) && (replyAt[2] = Date.now() - started), 'ping', 10_000);
  await waitFor(() => reply(3), 'the search', 15_000);
  replyAt[3] = Date.now() - started;
  console.log(`held write lock: ping answered ${replyAt[2]} ms after spawn, the search ${replyAt[3]} ms`);
  // Before the fix the event loop sat in SQLite's 5 s busy wait and ping came after it.
  expect(replyAt[2]!).toBeLessThan(2500);
  expect(reply(3)).toContain('numbat');
  expect(server.stderr()).toContain('keeping the index in memory for this process only');
}, 30_000);
