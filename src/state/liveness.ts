import type { ServerState } from './schema.ts';

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

/** What a reader concludes from a state file: a live server (with its `/health` answer), a stale file, or nothing. */
export type Liveness =
  | { kind: 'live'; state: ServerState; health?: Record<string, unknown> }
  | { kind: 'stale'; state: ServerState; why: string }
  | { kind: 'none' };

/**
 * A state file is live only if its pid is alive and, when it has an HTTP port, `/health` answers
 * with the same `instance_id` (DESIGN.md: a recycled pid is not a live server).
 */
export async function judgeState(state: ServerState | undefined, timeoutMs = 1000): Promise<Liveness> {
  if (!state) return { kind: 'none' };
  if (!isPidAlive(state.pid)) return { kind: 'stale', state, why: `pid ${state.pid} is not running` };
  if (healthUrlOf(state) === undefined) return { kind: 'live', state };
  const health = await readHealth(state, timeoutMs);
  if (health.result === 'match' || health.result === 'timeout') return { kind: 'live', state, health: health.body };
  return {
    kind: 'stale',
    state,
    why: health.result === 'refused' ? `nothing answers at ${state.url}` : `the server at ${state.url} is another instance`,
  };
}
