// writeFileAtomic in real temp dirs: mode 0600 from creation, no temp file left behind, and the
// bounded rename retry that only Windows sharing errors get (injected through `fs` and `platform`).
import { afterEach, describe, expect, test } from 'bun:test';
import * as realFs from 'node:fs/promises';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AtomicWriteFs, writeFileAtomic } from '../../../src/fs/atomic-write.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'praxis-atomic-'));
  dirs.push(d);
  return d;
}

const errno = (code: string) => Object.assign(new Error(`${code}: simulated`), { code });
const posix = process.platform !== 'win32';

/** A real fs whose `rename` fails with `codes[i]` on attempt i, then works. */
function flakyRename(codes: string[]): AtomicWriteFs & { renames: number; opened: { path: string; mode: unknown }[] } {
  const fs = {
    renames: 0,
    opened: [] as { path: string; mode: unknown }[],
    open: (async (path: string, flags: string, mode: number) => {
      fs.opened.push({ path, mode });
      return realFs.open(path, flags, mode);
    }) as unknown as AtomicWriteFs['open'],
    rename: (async (from: string, to: string) => {
      const code = codes[fs.renames++];
      if (code) throw errno(code);
      return realFs.rename(from, to);
    }) as AtomicWriteFs['rename'],
    unlink: realFs.unlink,
  };
  return fs;
}

const noSleep = async () => {};

describe('writeFileAtomic', () => {
  test('writes the data, creating the file with mode 0600 (no chmod afterwards)', async () => {
    const dir = tempDir();
    const target = join(dir, 'state.json');
    const fs = flakyRename([]);
    await writeFileAtomic(target, '{"a":1}', { fs });
    expect(readFileSync(target, 'utf8')).toBe('{"a":1}');
    expect(fs.opened).toHaveLength(1);
    expect(fs.opened[0]!.mode).toBe(0o600);
    if (posix) expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  test('replaces an existing file and honours another mode', async () => {
    const dir = tempDir();
    const target = join(dir, 'state.json');
    writeFileSync(target, 'old', { mode: 0o644 });
    await writeFileAtomic(target, 'new', { mode: 0o640 });
    expect(readFileSync(target, 'utf8')).toBe('new');
    if (posix) expect(statSync(target).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  test('the temp file lives in the same folder (rename stays on one file system)', async () => {
    const dir = tempDir();
    const fs = flakyRename([]);
    await writeFileAtomic(join(dir, 'state.json'), 'x', { fs });
    expect(fs.opened[0]!.path.startsWith(join(dir, '.state.json.'))).toBe(true);
  });

  test('concurrent writers to one file all succeed, and the file is one of their writes', async () => {
    const dir = tempDir();
    const target = join(dir, 'state.json');
    const payloads = Array.from({ length: 20 }, (_, i) => JSON.stringify({ writer: i, pad: 'x'.repeat(1000) }));
    await Promise.all(payloads.map((p) => writeFileAtomic(target, p)));
    expect(payloads).toContain(readFileSync(target, 'utf8'));
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  test('a failed rename leaves no temp file and keeps the old content', async () => {
    const dir = tempDir();
    const target = join(dir, 'state.json');
    writeFileSync(target, 'old');
    const fs = flakyRename(['EIO']);
    await expect(writeFileAtomic(target, 'new', { fs, platform: 'linux' })).rejects.toMatchObject({ code: 'EIO' });
    expect(readFileSync(target, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  test('a failed write leaves no temp file', async () => {
    const dir = tempDir();
    const target = join(dir, 'state.json');
    const fs: AtomicWriteFs = {
      ...flakyRename([]),
      open: (async (path: string, flags: string, mode: number) => {
        const handle = await realFs.open(path, flags, mode);
        return Object.assign(Object.create(handle), {
          writeFile: async () => {
            throw errno('ENOSPC');
          },
          sync: () => handle.sync(),
          close: () => handle.close(),
        });
      }) as unknown as AtomicWriteFs['open'],
    };
    await expect(writeFileAtomic(target, 'new', { fs })).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(readdirSync(dir)).toEqual([]);
  });

  test('a missing folder fails with ENOENT and creates nothing', async () => {
    const dir = tempDir();
    await expect(writeFileAtomic(join(dir, 'missing', 'state.json'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('rename retry', () => {
  test.each(['EPERM', 'EBUSY', 'EACCES'])('win32 retries %s and then succeeds', async (code) => {
    const dir = tempDir();
    const target = join(dir, 'state.json');
    const fs = flakyRename([code, code, code]);
    const sleeps: number[] = [];
    await writeFileAtomic(target, 'data', { fs, platform: 'win32', sleep: async (ms) => void sleeps.push(ms) });
    expect(fs.renames).toBe(4);
    expect(sleeps).toHaveLength(3);
    expect(sleeps.every((ms) => ms > 0 && ms <= 100)).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('data');
    expect(readdirSync(dir)).toEqual(['state.json']);
  });

  test('win32 gives up after `renameAttempts`, throws the last error and leaves no temp file', async () => {
    const dir = tempDir();
    const fs = flakyRename(Array(50).fill('EBUSY'));
    await expect(
      writeFileAtomic(join(dir, 'state.json'), 'data', { fs, platform: 'win32', renameAttempts: 4, sleep: noSleep }),
    ).rejects.toMatchObject({ code: 'EBUSY' });
    expect(fs.renames).toBe(4);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('win32 retries are bounded by default', async () => {
    const dir = tempDir();
    const fs = flakyRename(Array(1000).fill('EPERM'));
    await expect(writeFileAtomic(join(dir, 'state.json'), 'data', { fs, platform: 'win32', sleep: noSleep })).rejects.toMatchObject({
      code: 'EPERM',
    });
    expect(fs.renames).toBeGreaterThan(1);
    expect(fs.renames).toBeLessThanOrEqual(20);
    expect(readdirSync(dir)).toEqual([]);
  });

  test.each(['ENOENT', 'EIO', 'EXDEV'])('win32 does not retry %s', async (code) => {
    const dir = tempDir();
    const fs = flakyRename([code]);
    await expect(writeFileAtomic(join(dir, 'state.json'), 'data', { fs, platform: 'win32', sleep: noSleep })).rejects.toMatchObject({
      code,
    });
    expect(fs.renames).toBe(1);
  });

  test.each(['linux', 'darwin'] as const)('%s never retries, even EPERM', async (platform) => {
    const dir = tempDir();
    const fs = flakyRename(['EPERM']);
    let slept = 0;
    await expect(
      writeFileAtomic(join(dir, 'state.json'), 'data', { fs, platform, sleep: async () => void slept++ }),
    ).rejects.toMatchObject({ code: 'EPERM' });
    expect(fs.renames).toBe(1);
    expect(slept).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });
});
