// Shared test helpers: temp projects, the compiled binary as a real child process, and polling
// with a deadline instead of sleeping.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The repository root. */
export const ROOT = join(import.meta.dirname, '..', '..');

/** The compiled binary `npm test` builds before the suite runs ($PRAXIS_TEST_BINARY overrides it). */
export const BINARY =
  process.env.PRAXIS_TEST_BINARY ?? join(ROOT, 'dist', process.platform === 'win32' ? 'praxis-mcp.exe' : 'praxis-mcp');

/** A temporary project with a `.praxis-os/` folder; `cleanup()` removes it. */
export interface TempProject {
  root: string;
  praxisDir: string;
  statePath: string;
  cleanup(): void;
}

/** Makes a temporary project (optionally without `.praxis-os/`). */
export function tempProject(options: { praxis?: boolean; prefix?: string } = {}): TempProject {
  const root = mkdtempSync(join(tmpdir(), options.prefix ?? 'praxis-test-'));
  const praxisDir = join(root, '.praxis-os');
  if (options.praxis !== false) mkdirSync(join(praxisDir, 'standards'), { recursive: true });
  return {
    root,
    praxisDir,
    statePath: join(praxisDir, '.mcp_server_state.json'),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** Polls `check` until it returns a truthy value or the deadline passes (then throws with `what`). */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 10_000,
  intervalMs = 10,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Reads and parses a JSON file, or undefined if it is missing or invalid. */
export function readJson(path: string): any {
  try {
    return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
  } catch {
    return undefined;
  }
}

/** A spawned server process with its output captured. */
export interface Spawned {
  proc: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
  /** Kills the process (by its pid; only processes we started) and waits for it. */
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

/** Spawns the compiled binary (or another command) with piped stdio. */
export function spawnBinary(
  args: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string; command?: string[] } = {},
): Spawned {
  const [cmd, ...pre] = options.command ?? [BINARY];
  const proc = spawn(cmd!, [...pre, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, PRAXIS_MCP_TOKEN: undefined, ...options.env } as NodeJS.ProcessEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (err += d));
  const exited = new Promise<number | string>((resolve) =>
    proc.once('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return {
    proc,
    pid: proc.pid!,
    stdout: () => out,
    stderr: () => err,
    exited,
    async kill(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

/** Runs the binary to completion and returns its exit code and output. */
export async function runBinary(
  args: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string; input?: string; timeoutMs?: number; command?: string[] } = {},
): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const child = spawnBinary(args, options);
  if (options.input !== undefined) child.proc.stdin!.write(options.input);
  child.proc.stdin!.end();
  const timer = setTimeout(() => child.proc.kill('SIGKILL'), options.timeoutMs ?? 15_000);
  const code = await child.exited;
  clearTimeout(timer);
  return { code, stdout: child.stdout(), stderr: child.stderr() };
}

/**
 * A stand-in for a process frozen inside a write transaction: another process that holds
 * `BEGIN IMMEDIATE` on the database at `dbPath` until `release()` kills it. Resolves once it holds
 * the lock.
 */
export async function holdWriteLock(dbPath: string): Promise<{ release(): void }> {
  const holder = spawn(join(ROOT, 'node_modules', '.bin', 'bun'), ['-e', `
    const { DatabaseSync } = require('node:sqlite');
    const db = new DatabaseSync(${JSON.stringify(dbPath)});
    db.exec('PRAGMA busy_timeout = 5000'); db.exec('BEGIN IMMEDIATE');
    console.log('locked'); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'pipe'] });
  const release = () => void holder.kill('SIGKILL');
  let out = '';
  holder.stdout!.on('data', (d) => (out += d));
  try {
    await waitFor(() => out.includes('locked'), 'the lock holder', 5000);
  } catch (error) {
    release();
    throw error;
  }
  return { release };
}
