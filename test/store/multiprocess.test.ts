// Several processes on one project database (issue 12): four processes update the shared standards
// index and search it for several seconds while a fifth is killed with SIGKILL in the middle of a
// large write transaction. The database must end intact (PRAGMA integrity_check), every worker
// must have found what it wrote every time, and the killed write must have left nothing behind.
import { afterAll, expect, test } from 'bun:test';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { silentLogger } from '../../src/log.ts';
import { createStandardsIndex } from '../../src/standards/standards-index.ts';
import { openStore, projectDbPath } from '../../src/store/index.ts';
import { ROOT, tempProject, waitFor } from '../helpers/process.ts';

const project = tempProject({ prefix: 'praxis-mp-' });
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  project.cleanup();
});

const WORKER = join(ROOT, 'test', 'fixtures', 'store-worker.ts');
const start = (...args: string[]) => {
  const child = spawn(process.execPath, [WORKER, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exited };
};

test('4 processes share the index for seconds, a 5th is killed mid-write: intact database, correct answers', async () => {
  const workers = ['a', 'b', 'c', 'd'].map((name) => start('standards', project.root, name, '4000'));
  // Let them get going, then start the big write and kill it while its transaction is open.
  await new Promise((r) => setTimeout(r, 800));
  const victim = start('hold-write', project.root);
  await waitFor(() => victim.out().includes('writing') || (victim.child.exitCode !== null && Promise.reject(new Error(victim.err()))), 'the victim to be writing', 15_000);
  await new Promise((r) => setTimeout(r, 100));
  victim.child.kill('SIGKILL');
  await victim.exited;
  const codes = await Promise.all(workers.map((w) => w.exited));
  const results = workers.map((w) => JSON.parse(w.out().trim().split('\n').at(-1) ?? '{}'));
  console.log(`multiprocess: ${results.map((r, i) => `${'abcd'[i]}: ${r.rounds} rounds, ${r.errors} errors`).join('; ')}`);
  expect(codes).toEqual([0, 0, 0, 0]);
  for (const r of results) {
    expect(r.problems).toEqual([]);
    expect(r.errors).toBe(0);
    expect(r.rounds).toBeGreaterThan(3);
  }

  const store = openStore({ path: projectDbPath(project.praxisDir), onCorrupt: 'throw' });
  try {
    expect(store.db.prepare('PRAGMA integrity_check').all()).toEqual([{ integrity_check: 'ok' }] as any);
    expect(store.db.prepare("INSERT INTO std_fts (std_fts, rank) VALUES ('integrity-check', 1)").run().changes).toBeGreaterThanOrEqual(0);
    // The killed transaction never committed: its table exists (the migration committed) but is empty.
    expect(store.db.prepare('SELECT count(*) AS n FROM victim_rows').get()).toEqual({ n: 0 } as any);
  } finally {
    store.close();
  }
  // A fresh reader finds each worker's last round, and nothing else of theirs.
  const index = createStandardsIndex({ projectRoot: project.root, praxisDir: project.praxisDir, log: silentLogger, watch: false });
  try {
    await index.rebuild('check');
    expect(index.stats().last_build).toBe('reused');
    for (const [i, r] of results.entries()) {
      const name = 'abcd'[i]!;
      const last = await index.search({ query: `tok${name}x${r.rounds}q`, limit: 1 });
      expect(last.hits[0]?.file).toBe(`${name}.md`);
      const earlier = await index.search({ query: `tok${name}x${r.rounds - 1}q`, limit: 1 });
      expect(earlier.hits).toEqual([]);
    }
  } finally {
    index.close();
  }
}, 60_000);
