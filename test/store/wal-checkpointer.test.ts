// WAL checkpoints off the event loop (issue 13, p99): a real thread on a real database file, and the
// fallbacks with an injected thread.
import { afterEach, expect, test } from 'bun:test';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { type Store, openStore } from '../../src/store/index.ts';
import { type WalCheckpointer, startWalCheckpointer } from '../../src/store/wal-checkpointer.ts';
import { openWorkflowEngine } from '../../src/workflows/engine/open.ts';
import { bulkWorkflow, makeProject } from '../helpers/workflow-project.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});
const tempStore = (): Store => {
  const dir = mkdtempSync(join(tmpdir(), 'praxis-ckpt-'));
  const store = openStore({ path: join(dir, 'db.sqlite') });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => store.close());
  return store;
};
const autocheckpoint = (store: Store) => (store.db.prepare('PRAGMA wal_autocheckpoint').get() as { wal_autocheckpoint: number }).wal_autocheckpoint;

async function until(check: () => boolean, what: string, ms = 4000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A stand-in thread that records what it is asked and answers when told. */
function fakeThread() {
  const thread = Object.assign(new EventEmitter(), {
    posted: [] as unknown[],
    postMessage(m: unknown) {
      thread.posted.push(m);
    },
    unref() {},
  });
  return thread;
}

test('the thread writes the WAL into the database file while the connection itself never checkpoints below its fallback', async () => {
  const store = tempStore();
  store.db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  const checkpointer = startWalCheckpointer(store.db, store.path, { everyMs: 0, startAfterCommits: 1 });
  cleanups.push(() => checkpointer.close());
  const insert = store.db.prepare('INSERT INTO t (v) VALUES (?)');
  const before = statSync(store.path).size;
  // 400 commits of ~4 KB: 400+ pages, under the connection's own fallback of 4,000.
  for (let i = 0; i < 400; i++) {
    store.immediate(() => insert.run('x'.repeat(4000)));
    checkpointer.afterCommit();
    if (i % 20 === 0) await new Promise((r) => setImmediate(r)); // the thread's answers arrive on the event loop
  }
  expect(autocheckpoint(store)).toBe(4000);
  // Only a checkpoint moves pages from the WAL into the database file, and this connection did none.
  await until(() => {
    checkpointer.afterCommit();
    return statSync(store.path).size > before + 1_000_000;
  }, 'the thread to checkpoint');
  expect((store.db.prepare('SELECT count(*) AS n FROM t').get() as { n: number }).n).toBe(400);
  expect((store.db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check).toBe('ok');
});

test('the workflow engine hands its checkpoints to the thread once it has committed a few times', async () => {
  const project = makeProject(bulkWorkflow(40));
  const open = openWorkflowEngine(project);
  cleanups.push(() => project.cleanup(), () => open.close());
  const call = (a: Record<string, unknown>) => open.engine.handle({ agent_id: 'a', ...a } as never, { client: 't', transport: 'stdio' });
  const session = (await call({ action: 'start', workflow_type: 'bulk', target_file: 'x' })).session_id as string;
  expect(autocheckpoint(open.store)).toBe(1000); // a CLI command's few commits never start a thread
  for (let i = 0; i < 20; i++) {
    const claimed = await call({ action: 'claim_next', session_id: session });
    expect(claimed.status).toBe('success');
  }
  expect(autocheckpoint(open.store)).toBe(4000);
});

test('checkpoints are asked for at most every everyMs, one at a time', () => {
  const store = tempStore();
  const thread = fakeThread();
  let now = 1000;
  const c: WalCheckpointer = startWalCheckpointer(store.db, store.path, { everyMs: 50, startAfterCommits: 1, spawn: () => thread as unknown as Worker, now: () => now });
  c.afterCommit(); // starts the thread
  c.afterCommit();
  expect(thread.posted).toEqual([]); // not before it is ready
  thread.emit('message', 'ready');
  c.afterCommit();
  c.afterCommit();
  expect(thread.posted).toEqual(['checkpoint']); // one at a time
  thread.emit('message', 'done');
  now += 49;
  c.afterCommit();
  expect(thread.posted).toEqual(['checkpoint']); // not within everyMs
  now += 1;
  c.afterCommit();
  expect(thread.posted).toEqual(['checkpoint', 'checkpoint']);
  c.close();
  expect(thread.posted.at(-1)).toBe('close');
  expect(autocheckpoint(store)).toBe(1000);
});

test.each([
  ['cannot start', (_t: ReturnType<typeof fakeThread>) => { throw new Error('no threads here'); }],
  ['fails', (t: ReturnType<typeof fakeThread>) => t.emit('error', new Error('boom'))],
  ['exits', (t: ReturnType<typeof fakeThread>) => t.emit('exit', 1)],
])('the connection checkpoints for itself again (SQLite default) when the thread %s', (_name, breakIt) => {
  const store = tempStore();
  const thread = fakeThread();
  const c = startWalCheckpointer(store.db, store.path, {
    startAfterCommits: 1,
    spawn: () => {
      if (_name === 'cannot start') breakIt(thread);
      return thread as unknown as Worker;
    },
  });
  c.afterCommit();
  if (_name !== 'cannot start') {
    expect(autocheckpoint(store)).toBe(4000);
    breakIt(thread);
  }
  expect(autocheckpoint(store)).toBe(1000);
  c.afterCommit(); // and asks the gone thread for nothing
  expect(thread.posted).toEqual([]);
  c.close();
});
