import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { PraxisError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { isPidAlive, isPraxisProcess, judgeStateFile } from './liveness.ts';
import { LOCK_FILE_NAME, ageOf, breakStaleLock, createExclusive, parseLock, readText } from './lock.ts';
import type { ServerState } from './schema.ts';
import { statePathOf } from './state-file.ts';
import { readOwnFile } from './trust.ts';

/**
 * The result of claiming a project: we own it, another live server does, or another praxis-mcp
 * holds it but does not answer (frozen, SIGSTOPped): then the caller serves its own IDE.
 */
export type Claim =
  | { kind: 'owner'; release(): Promise<void> }
  | { kind: 'taken'; owner: ServerState }
  | { kind: 'unresponsive'; owner: ServerState; why: string };

/** What `claimProject` needs; the world is injectable for tests. */
export interface ClaimOptions {
  instanceId: string;
  log: Logger;
  /** A holder that has not announced itself after this long is presumed dead (pid reused, hung). */
  startupGraceMs?: number;
  /** Give up (with an error naming the lock and what to do) after this long. */
  timeoutMs?: number;
  /** How long the holder's `/health` may take before it counts as unresponsive. */
  healthTimeoutMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** What is known about the current lock holder. */
export type HolderVerdict = 'live' | 'unresponsive' | 'starting' | 'stale';

/**
 * Judges a lock holder (pure): an unbelievable or unparsable lock, a dead pid, or a pid that is not
 * a praxis-mcp process (pid 1 named by a committed lock) is stale; a holder whose state file names
 * it is live if `/health` agrees (or it serves stdio only), unresponsive if `/health` times out;
 * one that has not announced itself yet is starting until the grace period runs out.
 */
export function judgeHolder(facts: {
  lockValid: boolean;
  pidAlive: boolean;
  /** The pid is a praxis-mcp process (its command line says so). */
  pidIsPraxis?: boolean;
  announced: boolean;
  health: 'match' | 'mismatch' | 'refused' | 'timeout' | 'none';
  lockAgeMs: number;
  graceMs: number;
}): HolderVerdict {
  if (!facts.lockValid || !facts.pidAlive || facts.pidIsPraxis === false) return 'stale';
  if (facts.announced) {
    if (facts.health === 'match' || facts.health === 'none') return 'live';
    if (facts.health === 'timeout') return 'unresponsive';
    return 'stale';
  }
  return facts.lockAgeMs < facts.graceMs ? 'starting' : 'stale';
}

const claimError = (path: string, what: string, todo: string) =>
  new PraxisError('E_CLAIM_BLOCKED', `Cannot take ownership of the project: ${path} ${what}. ${todo}`);

/**
 * Becomes the one owner of a project, atomically: the exclusive creation of the lock file is the
 * decision (never "check for a state file, then write one"). A live holder means the project is
 * taken; a dead one (crashed, killed with -9, pid reused) is cleared and the claim retried. Every
 * turn that does not decide backs off (up to 250 ms), and the whole claim has a deadline: nothing
 * in `.praxis-os/` (a lock that is a folder, a link, another user's file) can make it spin (issue 11).
 */
export async function claimProject(praxisDir: string, options: ClaimOptions): Promise<Claim> {
  const {
    instanceId,
    log,
    startupGraceMs = 5000,
    timeoutMs = 15_000,
    healthTimeoutMs = 1000,
    now = Date.now,
    sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  } = options;
  const lockPath = join(praxisDir, LOCK_FILE_NAME);
  const statePath = statePathOf(praxisDir);
  const mine = JSON.stringify({ pid: process.pid, instance_id: instanceId, created_at: new Date().toISOString() });
  const deadline = now() + timeoutMs;
  let waitingFor = 'the lock to be released';
  const warned = new Set<string>();
  const warnOnce = (message: string) => {
    if (!warned.has(message)) log.warn(message);
    warned.add(message);
  };
  for (let attempt = 0; ; attempt++) {
    if (attempt > 0) {
      if (now() > deadline) {
        throw new PraxisError(
          'E_CLAIM_TIMEOUT',
          `Cannot take ownership of the project after ${timeoutMs} ms: ${lockPath} is held, waiting for ${waitingFor}. ` +
            `If no praxis-mcp runs for this project, remove ${lockPath} and start again.`,
        );
      }
      // Back off, with jitter so that many starters do not retry in step.
      await sleep(Math.min(250, 5 * 2 ** Math.min(attempt, 6)) * (0.5 + Math.random() / 2));
    }
    if (await createExclusive(lockPath, mine)) {
      return {
        kind: 'owner',
        release: async () => {
          if ((await readText(lockPath)) === mine) await unlink(lockPath).catch(() => {});
        },
      };
    }
    const file = await readOwnFile(lockPath);
    if (file.kind === 'missing') continue; // released between our attempt and our read: try again
    if (file.kind === 'untrusted') {
      const facts = file.facts;
      if (facts?.isDirectory) throw claimError(lockPath, 'is a folder, not a lock file', `Remove it (\`rmdir ${lockPath}\`) and start again.`);
      if (facts?.isSymlink) {
        // Removing a link never touches what it points to; a lock is never a link (we never make one).
        warnOnce(`${lockPath} is a symbolic link, not a lock this program wrote: removing the link (never following it)`);
        await unlink(lockPath).catch((error) => {
          throw claimError(lockPath, `is a symbolic link that cannot be removed (${(error as NodeJS.ErrnoException).code})`, `Remove it by hand and start again.`);
        });
        continue;
      }
      if (!facts) throw claimError(lockPath, `cannot be examined (${file.code})`, 'Check the permissions of the .praxis-os folder.');
      if (!facts.isFile) throw claimError(lockPath, 'is not a regular file', 'Remove it and start again.');
      // Another user's file, or one others may write (a committed lock is 0644): never believed;
      // replaced when we may, a clear error (from breakStaleLock) when we may not.
      warnOnce(`${lockPath} ${file.why}: not believed; replacing it`);
      await breakStaleLock(lockPath, await readText(lockPath));
      continue;
    }
    const text = file.text;
    const lock = parseLock(text);
    const pidAlive = lock !== undefined && isPidAlive(lock.pid);
    const pidIsPraxis = lock !== undefined && pidAlive && isPraxisProcess(lock.pid);
    let announced = false;
    let health: Parameters<typeof judgeHolder>[0]['health'] = 'none';
    let owner: ServerState | undefined;
    let why = '';
    if (pidIsPraxis) {
      // The one shared judgement of a state file (liveness.ts), as status, url, call and stop use it.
      const judged = await judgeStateFile(statePath, { timeoutMs: healthTimeoutMs });
      if (judged.kind === 'untrusted') warnOnce(`${judged.why}`);
      if ((judged.kind === 'live' || judged.kind === 'unresponsive' || judged.kind === 'stale') && judged.state.instance_id === lock.instance_id && judged.state.pid === lock.pid) {
        announced = true;
        owner = judged.state;
        health = judged.kind === 'live' ? (owner.url ? 'match' : 'none') : judged.kind === 'unresponsive' ? 'timeout' : 'refused';
        if (judged.kind !== 'live') why = judged.why;
      }
    }
    const verdict = judgeHolder({
      lockValid: lock !== undefined,
      pidAlive,
      pidIsPraxis,
      announced,
      health,
      lockAgeMs: await ageOf(lockPath),
      graceMs: startupGraceMs,
    });
    if (verdict === 'live' && owner) return { kind: 'taken', owner };
    if (verdict === 'unresponsive' && owner) return { kind: 'unresponsive', owner, why };
    if (verdict === 'stale') {
      const reason = !lock ? 'the lock is not one this program wrote' : !pidAlive ? `pid ${lock.pid} is gone` : !pidIsPraxis ? `pid ${lock.pid} is not a praxis-mcp process` : why || `pid ${lock.pid} never announced itself`;
      log.info(`taking over ${praxisDir}: the previous owner is gone (${reason})`);
      await breakStaleLock(lockPath, text);
      continue;
    }
    waitingFor = `pid ${lock?.pid} to start serving (it holds the lock but has not announced itself)`;
  }
}
