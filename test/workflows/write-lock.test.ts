// Another process holding the project database's write lock (frozen inside a write transaction,
// SIGSTOP) must not stop this process's event loop: node:sqlite waits for a lock synchronously, so
// the engine tries with a short busy timeout and waits between tries asynchronously (issue 13).
import { afterEach, expect, test } from 'bun:test';
import { join } from 'node:path';
import { openWorkflowEngine } from '../../src/workflows/engine/open.ts';
import { holdWriteLock } from '../helpers/process.ts';
import { bulkWorkflow, makeProject } from '../helpers/workflow-project.ts';

const cleanups: (() => unknown)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

test('a mutation waits for another process\'s write lock without stalling the event loop, then applies once', async () => {
  const project = makeProject(bulkWorkflow(10));
  const open = openWorkflowEngine(project);
  cleanups.push(() => project.cleanup(), () => open.close());
  const call = (a: Record<string, unknown>) => open.engine.handle({ agent_id: 'a', ...a } as never, { client: 't', transport: 'stdio' });
  const session = (await call({ action: 'start', workflow_type: 'bulk', target_file: 'x' })).session_id as string;

  // A stand-in for a frozen writer: holds BEGIN IMMEDIATE until it is killed.
  const holder = await holdWriteLock(open.store.path);
  cleanups.push(() => holder.release());

  // The longest the event loop went without turning while the claim waited for the lock.
  let last = performance.now();
  let longest = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  cleanups.push(() => clearInterval(ticker));
  // The holder lets go after 800 ms: on a stalled event loop this timer could only fire after the
  // synchronous wait (5 s) had already failed the claim.
  setTimeout(() => holder.release(), 800);
  const started = performance.now();
  const claimed = await call({ action: 'claim_next', session_id: session });
  const waited = performance.now() - started;
  clearInterval(ticker);

  expect(claimed.status).toBe('success');
  expect(waited).toBeGreaterThan(700); // it did wait for the lock
  expect(longest).toBeLessThan(300); // but never with the event loop stopped
  const state = await call({ action: 'get_state', session_id: session });
  expect((state.digest as { tasks: { claimed: number } }).tasks.claimed).toBe(1); // applied once
}, 20_000);
