// The bench's own child processes: servers under test, peers and floors. Every process is started
// here and killed here by its pid; nothing else is ever signalled.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pause } from './stats.ts';

/** A started child process. */
export interface Proc {
  readonly name: string;
  readonly child: ChildProcess;
  readonly pid: number;
  stderr(): string;
  /** SIGTERM, then SIGKILL after a grace period; resolves when it has exited. */
  stop(): Promise<void>;
}

const running = new Set<Proc>();

/** Spawns `cmd args`; stdout is piped (stdio targets read it), stderr kept for error messages. */
export function startProc(name: string, cmd: string, args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): Proc {
  const child = spawn(cmd, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env } as NodeJS.ProcessEnv,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (err.length < 20_000) err += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const proc: Proc = {
    name,
    child,
    pid: child.pid!,
    stderr: () => err,
    async stop() {
      running.delete(proc);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killed = await Promise.race([exited.then(() => true), pause(3000).then(() => false)]);
        if (!killed) child.kill('SIGKILL');
      }
      await exited;
    },
  };
  running.add(proc);
  return proc;
}

/** Stops every process the bench still runs (on exit or failure). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((p) => p.stop()));
}

/**
 * Whether `url` answers 200 with a JSON body naming `pid`: on a shared machine another process may
 * hold the port, and its answer must not count as ours.
 */
export async function answersAs(url: string, pid: number): Promise<boolean> {
  try {
    const response = await fetch(url);
    const text = await response.text();
    return response.ok && (JSON.parse(text) as { pid?: unknown }).pid === pid;
  } catch {
    return false; // not listening yet, or not ours
  }
}

/** Polls `url` until our process answers it (see `answersAs`), for at most `timeoutMs`; throws with the server's stderr otherwise. */
export async function waitHttpOk(url: string, proc: Proc, timeoutMs = 15_000, intervalMs = 2): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await answersAs(url, proc.pid)) return;
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited early: ${proc.stderr()}`);
    if (performance.now() > deadline) throw new Error(`${proc.name} did not answer ${url} within ${timeoutMs} ms: ${proc.stderr()}`);
    await pause(intervalMs);
  }
}

/** Resident set size of a process in MB (Linux /proc); undefined elsewhere. `RssAnon` counts only its private memory, not the pages of the executable it maps. */
export function rssMb(pid: number, field: 'VmRSS' | 'RssAnon' | 'VmHWM' = 'VmRSS'): number | undefined {
  try {
    const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a process has used so far, in ms (Linux /proc, 10 ms ticks); undefined elsewhere. */
export function cpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** Hands out ports from the bench's own range, one block per caller. */
export function portAllocator(base: number): (count?: number) => number {
  let next = base;
  return (count = 1) => {
    const port = next;
    next += count;
    return port;
  };
}
