// `npm ci` on a fresh clone refuses a lockfile that lacks any package npm would install on some
// platform ("Missing: @deno/darwin-arm64@2.9.6 from lock file", issue 10): every dependency and
// optional dependency of every locked package must itself be locked, including the per-platform
// binaries of bun and deno that this machine never installs. Checked here without the network, the
// way npm resolves a name: the nearest node_modules/<name> at or above the dependent package.
import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/process.ts';

type Entry = {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  link?: boolean;
};

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { lockfileVersion: number; packages: Record<string, Entry> };

/** The lock key npm resolves `name` to from the package at `from` ('' is the root), or undefined. */
function resolveInLock(packages: Record<string, unknown>, from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const key = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (key in packages) return key;
    if (dir === '') return undefined;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut < 0 ? '' : dir.slice(0, cut);
  }
}

/** Every `dependent -> name@range` the lock cannot resolve. */
function missingFromLock(packages: Record<string, Entry>): string[] {
  const missing: string[] = [];
  for (const [key, entry] of Object.entries(packages)) {
    if (entry.link) continue;
    const wanted = { ...entry.dependencies, ...entry.optionalDependencies, ...(key === '' ? entry.devDependencies : {}) };
    for (const [name, range] of Object.entries(wanted)) {
      if (!resolveInLock(packages, key, name)) missing.push(`${key || '(root)'} -> ${name}@${range}`);
    }
  }
  return missing;
}

describe('resolveInLock and missingFromLock', () => {
  const packages: Record<string, Entry> = {
    '': { dependencies: { a: '^1' }, devDependencies: { b: '^1' } },
    'node_modules/a': { version: '1.0.0', dependencies: { c: '^1' }, optionalDependencies: { '@x/linux': '1', '@x/darwin': '1' } },
    'node_modules/a/node_modules/c': { version: '1.0.0', dependencies: { b: '^1' } },
    'node_modules/b': { version: '1.0.0' },
    'node_modules/@x/linux': { version: '1.0.0' },
  };
  test.each([
    ['', 'a', 'node_modules/a'],
    ['node_modules/a', 'c', 'node_modules/a/node_modules/c'],
    ['node_modules/a/node_modules/c', 'b', 'node_modules/b'],
    ['', 'c', undefined],
  ])('from %p, %p resolves to %p', (from, name, key) => {
    expect(resolveInLock(packages, from, name)).toBe(key);
  });
  test('an optional per-platform package missing from the lock is reported, as npm ci reports it', () => {
    expect(missingFromLock(packages)).toEqual(['node_modules/a -> @x/darwin@1']);
  });
});

describe('package-lock.json', () => {
  test('is a v3 lockfile whose root matches package.json', () => {
    expect(lock.lockfileVersion).toBe(3);
    const root = lock.packages['']!;
    expect(root.dependencies ?? {}).toEqual(pkg.dependencies ?? {});
    expect(root.devDependencies ?? {}).toEqual(pkg.devDependencies ?? {});
    expect(root.version).toBe(pkg.version);
  });

  test('locks every dependency of every package, including each platform\'s optional binaries', () => {
    expect(missingFromLock(lock.packages)).toEqual([]);
    // The packages that broke `npm ci` before: one binary per platform, all locked.
    for (const name of ['@deno/darwin-arm64', '@deno/darwin-x64', '@deno/linux-arm64-glibc', '@deno/linux-x64-glibc', '@deno/win32-x64']) {
      expect(lock.packages[`node_modules/${name}`]?.version).toBe(lock.packages['node_modules/deno']!.version!);
    }
  });
});
