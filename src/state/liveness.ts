import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type ServerState, parseState } from './schema.ts';
import { readOwnFile, untrustedStateReason } from './trust.ts';

/** Whether a process with this pid exists (signal 0 checks without signalling). */
export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The outcome of asking a server's `/health`. */
export type HealthResult = 'match' | 'mismatch' | 'refused' | 'timeout';

/** The `/health` URL of a server described by a state file, or undefined in stdio mode. */
export function healthUrlOf(state: ServerState): string | undefined {
  if (state.port === null || state.port === 0) return undefined;
  const host = state.host.includes(':') ? `[${state.host}]` : state.host;
  return `http://${host}:${state.port}/health`;
}

/** What `/health` said: the verdict, and the body when it answered. */
export interface HealthReading {
  result: HealthResult;
  body?: Record<string, unknown>;
}

/** Asks `/health` whether the server there is the instance the state file names, keeping its answer. */
export async function readHealth(state: ServerState, timeoutMs = 1000): Promise<HealthReading> {
  const url = healthUrlOf(state);
  if (!url) return { result: 'refused' };
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return { result: 'mismatch' };
    const body = (await response.json()) as Record<string, unknown>;
    return { result: body.instance_id === state.instance_id ? 'match' : 'mismatch', body };
  } catch (error) {
    return { result: (error as Error).name === 'TimeoutError' ? 'timeout' : 'refused' };
  }
}

/** Asks `/health` whether the server there is the instance the state file names. */
export async function checkHealth(state: ServerState, timeoutMs = 1000): Promise<HealthResult> {
  return (await readHealth(state, timeoutMs)).result;
}

/** The command line of a process (argv), or undefined where it cannot be read. */
export function commandLineOf(pid: number, platform: NodeJS.Platform = process.platform): string[] | undefined {
  try {
    if (platform === 'linux') return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => a !== '');
    if (platform === 'darwin' || platform === 'freebsd' || platform === 'openbsd') {
      const out = execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8', timeout: 1000, stdio: ['ignore', 'pipe', 'ignore'] });
      return out.trim() === '' ? undefined : out.trim().split(/\s+/);
    }
  } catch {}
  return undefined;
}

/**
 * Whether an argv is a praxis-mcp process (pure): the compiled binary (`praxis-mcp`, or a release
 * asset such as `praxis-mcp-linux-x64`), or the source run by bun or deno (`.../src/main.ts`).
 */
export function isPraxisCommandLine(argv: readonly string[]): boolean {
  return argv.some((arg) => /^praxis-mcp/i.test(arg.split(/[\\/]/).pop() ?? '') || /(^|[\\/])src[\\/]main\.ts$/.test(arg));
}

/**
 * Whether `pid` is a praxis-mcp process: pid 1 (always alive) or a recycled pid named by a planted
 * file is not (issue 11). Our own pid is; where the platform cannot tell (Windows, a hidden /proc),
 * the answer is yes and `/health` decides alone.
 */
export function isPraxisProcess(pid: number, commandLine: (pid: number) => string[] | undefined = commandLineOf): boolean {
  if (pid === process.pid) return true;
  const argv = commandLine(pid);
  return argv === undefined || argv.length === 0 ? pid !== 1 : isPraxisCommandLine(argv);
}

/**
 * What a reader concludes from a state file: a live server (with its `/health` answer), one whose
 * process lives but does not answer in time, a stale file, a file that is not believed, or nothing.
 */
export type Liveness =
  | { kind: 'live'; state: ServerState; health?: Record<string, unknown> }
  | { kind: 'unresponsive'; state: ServerState; why: string }
  | { kind: 'stale'; state: ServerState; why: string }
  | { kind: 'untrusted'; why: string }
  | { kind: 'none' };

/** What `judgeState` needs; the defaults are the real world. */
export interface JudgeOptions {
  timeoutMs?: number;
  pidAlive?: (pid: number) => boolean;
  praxisProcess?: (pid: number) => boolean;
}

/**
 * THE judgement of a server named by a state file, shared by `serve` (through `claimProject`),
 * the bridge's watch, `status`, `url`, `call` and `stop` (issue 11). Live only if its fields are
 * believable (loopback host, URL built from them), its pid is alive and is a praxis-mcp process,
 * and, when it has an HTTP port, `/health` answers in time with the same `instance_id`. A `/health`
 * that times out makes it "unresponsive" (a frozen owner), never "live".
 */
export async function judgeState(state: ServerState | undefined, options: JudgeOptions = {}): Promise<Liveness> {
  const { timeoutMs = 1000, pidAlive = isPidAlive, praxisProcess = isPraxisProcess } = options;
  if (!state) return { kind: 'none' };
  const untrusted = untrustedStateReason(state);
  if (untrusted) return { kind: 'untrusted', why: `the state file is not believed: ${untrusted}` };
  if (!pidAlive(state.pid)) return { kind: 'stale', state, why: `pid ${state.pid} is not running` };
  if (!praxisProcess(state.pid)) return { kind: 'stale', state, why: `pid ${state.pid} is not a praxis-mcp process` };
  if (healthUrlOf(state) === undefined) return { kind: 'live', state };
  const health = await readHealth(state, timeoutMs);
  if (health.result === 'match') return { kind: 'live', state, health: health.body };
  if (health.result === 'timeout') {
    return { kind: 'unresponsive', state, why: `pid ${state.pid} is running but ${healthUrlOf(state)} did not answer within ${timeoutMs} ms` };
  }
  return {
    kind: 'stale',
    state,
    why: health.result === 'refused' ? `nothing answers at ${state.url}` : `the server at ${state.url} is another instance`,
  };
}

/** Reads a state file only if it is trusted (see trust.ts) and judges it; the one entry point for readers. */
export async function judgeStateFile(path: string, options: JudgeOptions = {}): Promise<Liveness> {
  const file = await readOwnFile(path);
  if (file.kind === 'missing') return { kind: 'none' };
  if (file.kind === 'untrusted') return { kind: 'untrusted', why: `${path} ${file.why}; not believed` };
  return judgeState(parseState(file.text), options);
}
