import type { DatabaseSync } from 'node:sqlite';
import { Worker } from 'node:worker_threads';

/** Checkpoints a connection's WAL from another thread (see `startWalCheckpointer`). */
export interface WalCheckpointer {
  /** Call after each write transaction of the connection: asks for a checkpoint now and then. */
  afterCommit(): void;
  /** Stops the thread; the connection checkpoints for itself again. */
  close(): void;
}

/** Options of `startWalCheckpointer`. */
export interface WalCheckpointerOptions {
  /** At most one checkpoint is asked for per this many ms (default 50). */
  everyMs?: number;
  /** While the thread runs, the connection still checkpoints itself once the WAL holds this many pages (default 4000). */
  fallbackPages?: number;
  /** The thread starts at this commit (default 16): a CLI command's few commits never start it. */
  startAfterCommits?: number;
  /** Starts the thread (injected by tests). */
  spawn?: (path: string) => Worker;
  now?: () => number;
}

// SQLite's own default (wal_autocheckpoint = 1000 pages), restored when the thread is gone.
const DEFAULT_AUTOCHECKPOINT = 1000;

// The thread's whole program. PASSIVE never waits for a lock nor blocks a writer (busy_timeout 0:
// a checkpoint that meets one simply backfills less and the next one goes on). CommonJS because an
// eval'd worker is a script; a runtime that cannot run it fails at start and the fallback stays.
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.path);
db.exec('PRAGMA busy_timeout = 0');
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    checkpoint.get();
  } catch {}
  parentPort.postMessage('done');
});
parentPort.postMessage('ready');
`;

const spawnThread = (path: string) => new Worker(THREAD, { eval: true, workerData: { path } });

/**
 * Moves the WAL checkpoints of a busy writer off its event loop (issue 13, p99). SQLite checkpoints
 * on the committing connection once the WAL holds 1,000 pages, and with `synchronous = NORMAL` a
 * checkpoint fsyncs the WAL and the database: 10-15 ms here during which the event loop, and every
 * call waiting on it, stands still (the p99 of 16 agents was those stalls). Here a thread with its
 * own connection runs `wal_checkpoint(PASSIVE)` at most every `everyMs` while the connection writes,
 * so the pages reach the database file (and disk) off the event loop. Durability is unchanged:
 * commits are written the same way, a checkpoint is the same SQLite operation on another
 * connection, and a crash in the middle of one is as safe as SQLite's own.
 *
 * The connection keeps its own checkpoint at `fallbackPages` (4,000): SQLite restarts the WAL from
 * its start only when a writer begins with every frame backfilled, which a writer that commits
 * while the thread checkpoints may never see; the connection's own (short, since the thread has
 * backfilled nearly all of it) checkpoint then resets it, once per 4,000 pages instead of 1,000.
 * If the thread cannot start or dies, the connection goes back to SQLite's default.
 */
export function startWalCheckpointer(db: DatabaseSync, path: string, options: WalCheckpointerOptions = {}): WalCheckpointer {
  const { everyMs = 50, fallbackPages = 4000, startAfterCommits = 16, spawn = spawnThread, now = Date.now } = options;
  let commits = 0;
  let thread: Worker | undefined;
  let state: 'idle' | 'running' | 'gone' = 'idle';
  let busy = false;
  let last = 0;

  const fallBack = () => {
    if (state === 'gone') return;
    state = 'gone';
    thread = undefined;
    try {
      db.exec(`PRAGMA wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`);
    } catch {} // the connection is closed already
  };

  const start = () => {
    try {
      thread = spawn(path);
    } catch {
      fallBack();
      return;
    }
    state = 'running';
    busy = true; // until 'ready'
    thread.unref(); // never keeps the process alive
    thread.on('message', () => {
      busy = false;
    });
    thread.on('error', fallBack);
    thread.on('exit', fallBack);
    db.exec(`PRAGMA wal_autocheckpoint = ${fallbackPages}`);
  };

  return {
    afterCommit() {
      if (state === 'gone') return;
      if (state === 'idle') {
        if (++commits >= startAfterCommits) start();
        return;
      }
      const at = now();
      if (busy || at - last < everyMs) return;
      busy = true;
      last = at;
      thread!.postMessage('checkpoint');
    },
    close() {
      const running = thread;
      fallBack();
      running?.postMessage('close');
    },
  };
}
