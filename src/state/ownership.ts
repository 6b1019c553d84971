import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { PraxisError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { checkHealth, isPidAlive } from './liveness.ts';
import { LOCK_FILE_NAME, ageOf, breakStaleLock, createExclusive, parseLock, readText } from './lock.ts';
import type { ServerState } from './schema.ts';
import { readState, statePathOf } from './state-file.ts';

/** The result of claiming a project: we own it, or another live server does. */
export type Claim = { kind: 'owner'; release(): Promise<void> } | { kind: 'taken'; owner: ServerState };

/** What `claimProject` needs; the world is injectable for tests. */
export interface ClaimOptions {
  instanceId: string;
  log: Logger;
  /** A holder that has not announced itself after this long is presumed dead (pid reused, hung). */
  startupGraceMs?: number;
  /** Give up waiting for a starting holder after this long. */
  timeoutMs?: number;
  now?: () => number;
}

/** What is known about the current lock holder. */
export type HolderVerdict = 'live' | 'starting' | 'stale';

/**
 * Judges a lock holder (pure): dead pid, or an unparsable lock, is stale; a holder whose state
 * file names it and whose `/health` agrees is live; a holder that has not announced itself yet is
 * starting until the grace period runs out.
 */
export function judgeHolder(facts: {
  lockValid: boolean;
  pidAlive: boolean;
  announced: boolean;
  health: 'match' | 'mismatch' | 'refused' | 'timeout' | 'none';
  lockAgeMs: number;
  graceMs: number;
}): HolderVerdict {
  if (!facts.lockValid || !facts.pidAlive) return 'stale';
  if (facts.announced) {
    if (facts.health === 'match' || facts.health === 'none' || facts.health === 'timeout') return 'live';
    return 'stale';
  }
  return facts.lockAgeMs < facts.graceMs ? 'starting' : 'stale';
}

/**
 * Becomes the one owner of a project, atomically: the exclusive creation of the lock file is the
 * decision (never "check for a state file, then write one"). A live holder means the project is
 * taken; a dead one (crashed, killed with -9, pid reused) is cleared and the claim retried at once.
 */
export async function claimProject(praxisDir: string, options: ClaimOptions): Promise<Claim> {
  const { instanceId, log, startupGraceMs = 5000, timeoutMs = 15_000, now = Date.now } = options;
  const lockPath = join(praxisDir, LOCK_FILE_NAME);
  const statePath = statePathOf(praxisDir);
  const mine = JSON.stringify({ pid: process.pid, instance_id: instanceId, created_at: new Date().toISOString() });
  const deadline = now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    if (await createExclusive(lockPath, mine)) {
      return {
        kind: 'owner',
        release: async () => {
          if ((await readText(lockPath)) === mine) await unlink(lockPath).catch(() => {});
        },
      };
    }
    const text = await readText(lockPath);
    if (text === undefined) continue; // released between our attempt and our read: try again
    const lock = parseLock(text);
    const state = await readState(statePath);
    const announced = lock !== undefined && state?.instance_id === lock.instance_id;
    const health = announced && state.port !== null ? await checkHealth(state) : 'none';
    const verdict = judgeHolder({
      lockValid: lock !== undefined,
      pidAlive: lock !== undefined && isPidAlive(lock.pid),
      announced,
      health,
      lockAgeMs: await ageOf(lockPath),
      graceMs: startupGraceMs,
    });
    if (verdict === 'live' && state) return { kind: 'taken', owner: state };
    if (verdict === 'stale') {
      log.info(`taking over ${praxisDir}: the previous owner${lock ? ` (pid ${lock.pid})` : ''} is gone`);
      await breakStaleLock(lockPath, text);
      continue;
    }
    if (now() > deadline) {
      throw new PraxisError(
        'E_CONFLICT',
        `Cannot take ownership of ${praxisDir}: pid ${lock?.pid} holds ${lockPath} but has not started serving after ${timeoutMs} ms. ` +
          `If that process is stuck, end it, or remove ${lockPath}.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(50, 5 + attempt * 5)));
  }
}
