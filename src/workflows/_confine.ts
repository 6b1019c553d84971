// Stand-in for src/fs/confine.ts (branch h-hostile, not merged yet): the one rule that nothing
// outside the project root, after resolving symlinks, is read (DESIGN.md, "Security model").
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** True when `path` (absolute, already real) is `root` or lies under it. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/**
 * The real path of `path` (relative to `root`, or absolute) when it exists and, after resolving
 * every symlink, lies inside the real `root`; `undefined` otherwise (missing, or escaping).
 */
export function realPathInside(root: string, path: string): string | undefined {
  let realRoot: string;
  let real: string;
  try {
    realRoot = realpathSync(root);
    real = realpathSync(resolve(root, path));
  } catch {
    return undefined;
  }
  return isInside(realRoot, real) ? real : undefined;
}
