import { randomBytes } from 'node:crypto';
import { unlinkSync } from 'node:fs';
import { link, lstat, open, readFile, stat, unlink } from 'node:fs/promises';
import { PraxisError } from '../errors.ts';
import { basename, dirname, join } from 'node:path';

/** The lock file's name inside `.praxis-os/`. */
export const LOCK_FILE_NAME = '.mcp_server.lock';

/** What an ownership lock says about its holder. */
export interface LockInfo {
  pid: number;
  instance_id: string;
  created_at: string;
}

/** Parses lock text; undefined when it is not a lock this program wrote. */
export function parseLock(text: string): LockInfo | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockInfo>;
    if (typeof v.pid === 'number' && typeof v.instance_id === 'string' && typeof v.created_at === 'string') {
      return { pid: v.pid, instance_id: v.instance_id, created_at: v.created_at };
    }
  } catch {}
  return undefined;
}

/** Temp files `createExclusive` has made and not yet removed. */
const pendingTemps = new Set<string>();

/**
 * Removes, synchronously, the temp files of lock creations still in progress: a signal that ends
 * the process during the claim must leave nothing behind (issue 11). Call it just before exiting.
 */
export function removePendingTemps(): void {
  for (const temp of pendingTemps) {
    try {
      unlinkSync(temp);
    } catch {}
  }
  pendingTemps.clear();
}

/**
 * Creates `path` holding `text` if and only if it does not exist, atomically and complete: the
 * content goes to a temp file, then `link()` publishes it, failing with EEXIST when the path is
 * taken. Unlike `open(wx)` + write, no reader can ever see the file empty or half written.
 * Returns false when the path exists. The temp file never outlives the call (nor a signal, see
 * `removePendingTemps`).
 */
export async function createExclusive(path: string, text: string): Promise<boolean> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  pendingTemps.add(temp);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await link(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temp).catch(() => {});
    pendingTemps.delete(temp);
  }
}

/** The raw text of a file, or undefined when it is missing or unreadable. */
export async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** How long ago a file was last modified, in ms (Infinity when it is missing). */
export async function ageOf(path: string, now = Date.now()): Promise<number> {
  try {
    return now - (await stat(path)).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

const blocked = (path: string, what: string, todo: string) =>
  new PraxisError('E_CLAIM_BLOCKED', `Cannot take ownership of the project: ${path} ${what}. ${todo}`);

/**
 * Removes a stale lock, but only if it still holds `expectedText` (undefined: still unreadable): a
 * second process breaking the same stale lock must not delete the fresh lock a third one has just
 * created. Breakers serialise on an exclusive `.break` file; one that crashed while holding it is
 * ignored after `breakerTtlMs`. A `.break` that is a folder, or a lock that cannot be removed, is
 * an error naming the file (issue 11: it used to make the claim loop spin forever).
 */
export async function breakStaleLock(path: string, expectedText: string | undefined, breakerTtlMs = 5000): Promise<'removed' | 'changed' | 'busy'> {
  const mutex = `${path}.break`;
  try {
    const s = await lstat(mutex);
    if (s.isDirectory()) throw blocked(mutex, 'is a folder, not a lock file', `Remove it (\`rmdir ${mutex}\`) and start again.`);
    if (!s.isFile()) await unlink(mutex); // a link or other oddity: never followed, removed
  } catch (error) {
    if (error instanceof PraxisError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw blocked(mutex, `cannot be examined or removed (${code})`, 'Remove it and start again.');
  }
  if (!(await createExclusive(mutex, JSON.stringify({ pid: process.pid, at: new Date().toISOString() })))) {
    if ((await ageOf(mutex)) > breakerTtlMs) {
      await unlink(mutex).catch((error) => {
        const code = (error as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT') throw blocked(mutex, `is left over and cannot be removed (${code})`, 'Remove it and start again.');
      });
    }
    return 'busy';
  }
  try {
    if ((await readText(path)) !== expectedText) return 'changed';
    try {
      await unlink(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return 'changed';
      throw blocked(path, `is stale but cannot be removed (${code})`, 'Remove it (as its owner) and start again.');
    }
    return 'removed';
  } finally {
    await unlink(mutex).catch(() => {});
  }
}
