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

/** Asks `/health` whether the server there is the instance the state file names. */
export async function checkHealth(state: ServerState, timeoutMs = 1000): Promise<HealthResult> {
  const url = healthUrlOf(state);
  if (!url) return 'refused';
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return 'mismatch';
    const body = (await response.json()) as { instance_id?: unknown };
    return body.instance_id === state.instance_id ? 'match' : 'mismatch';
  } catch (error) {
    return (error as Error).name === 'TimeoutError' ? 'timeout' : 'refused';
  }
}

/** What a reader concludes from a state file: a live server, a stale file, or nothing. */
export type Liveness = { kind: 'live'; state: ServerState } | { kind: 'stale'; state: ServerState; why: string } | { kind: 'none' };

/**
 * A state file is live only if its pid is alive and, when it has an HTTP port, `/health` answers
 * with the same `instance_id` (DESIGN.md: a recycled pid is not a live server).
 */
export async function judgeState(state: ServerState | undefined, timeoutMs = 1000): Promise<Liveness> {
  if (!state) return { kind: 'none' };
  if (!isPidAlive(state.pid)) return { kind: 'stale', state, why: `pid ${state.pid} is not running` };
  if (healthUrlOf(state) === undefined) return { kind: 'live', state };
  const health = await checkHealth(state, timeoutMs);
  if (health === 'match') return { kind: 'live', state };
  if (health === 'timeout') return { kind: 'live', state };
  return {
    kind: 'stale',
    state,
    why: health === 'refused' ? `nothing answers at ${state.url}` : `the server at ${state.url} is another instance`,
  };
}
