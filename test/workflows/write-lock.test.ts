// Another process holding the project database's write lock (frozen inside a write transaction,
// SIGSTOP) must not stop this process's event loop: node:sqlite waits for a lock synchronously, so
// the engine tries with a short busy timeout and waits between tries asynchronously (issue 13).
import { afterEach, expect, test } from 'bun:test';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { openWorkflowEngine } from '../../src/workflows/engine/open.ts';
import { ROOT } from '../helpers/process.ts';
import { bulkWorkflow, makeProject } from '../helpers/workflow-project.ts';

const cleanups: (() => unknown)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0).reverse()) c();
});

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('a mutation waits for another process\'s write lock without stalling the event loop, then applies once', async () => {
  const project = makeProject(bulkWorkflow(10));
  const open = openWorkflowEngine(project);
  cleanups.push(() => project.cleanup(), () => open.close());
  const call = (a: Record<string, unknown>) => open.engine.handle({ agent_id: 'a', ...a } as never, { client: 't', transport: 'stdio' });
  const session = (await call({ action: 'start', workflow_type: 'bulk', target_file: 'x' })).session_id as string;

  // A stand-in for a frozen writer: holds BEGIN IMMEDIATE until it is killed.
  const holder = spawn(join(ROOT, 'node_modules', '.bin', 'bun'), ['-e', `
    const { DatabaseSync } = require('node:sqlite');
    const db = new DatabaseSync(${JSON.stringify(open.store.path)});
    db.exec('PRAGMA busy_timeout = 5000'); db.exec('BEGIN IMMEDIATE');
    console.log('locked'); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'pipe'] });
  cleanups.push(() => holder.kill('SIGKILL'));
  let out = '';
  holder.stdout!.on('data', (d) => (out += d));
  await until(() => out.includes('locked'), 'the lock holder');

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
  setTimeout(() => holder.kill('SIGKILL'), 800);
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
