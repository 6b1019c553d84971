import * as nodeFs from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** The file operations `writeFileAtomic` uses; tests inject failing ones. */
export interface AtomicWriteFs {
  open: typeof nodeFs.open;
  rename: typeof nodeFs.rename;
  unlink: typeof nodeFs.unlink;
}

/** Options for `writeFileAtomic`. */
export interface AtomicWriteOptions {
  /** File mode, set at creation (never chmod after: the seed's window). Default 0o600. */
  mode?: number;
  fs?: AtomicWriteFs;
  platform?: NodeJS.Platform;
  /** Rename attempts on Windows sharing errors. */
  renameAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
}

// Windows refuses to rename over a file another process has open (antivirus, indexers, a reader
// mid-read) with EPERM/EBUSY/EACCES; the condition is transient, so retry a bounded number of times.
const WINDOWS_RETRY_CODES = new Set(['EPERM', 'EBUSY', 'EACCES']);

/**
 * Writes `data` to `path` atomically: a unique temp file in the same folder (mode set at creation),
 * fsync, rename over the target. Readers see the old file or the new one, never a partial one;
 * concurrent writers each succeed and the last rename wins. The temp file never outlives a failure.
 */
export async function writeFileAtomic(path: string, data: string, options: AtomicWriteOptions = {}): Promise<void> {
  const {
    mode = 0o600,
    fs = nodeFs,
    platform = process.platform,
    renameAttempts = 10,
    sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  } = options;
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await fs.open(temp, 'wx', mode);
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await fs.rename(temp, path);
        return;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? '';
        if (platform !== 'win32' || !WINDOWS_RETRY_CODES.has(code) || attempt >= renameAttempts) throw error;
        await sleep(Math.min(100, 5 * 2 ** attempt));
      }
    }
  } catch (error) {
    await fs.unlink(temp).catch(() => {});
    throw error;
  }
}
