// The workflow code's view of src/fs/confine.ts (issue 11's rule: nothing outside the project
// root, after resolving symlinks, is read): a real path or undefined.
import { resolveInside } from '../fs/confine.ts';

export { isInside } from '../fs/confine.ts';

/**
 * The real path of `path` (relative to `root`, or absolute) when it exists and, after resolving
 * every symlink, lies inside the real `root`; `undefined` otherwise (missing, or escaping).
 */
export function realPathInside(root: string, path: string): string | undefined {
  const confined = resolveInside(root, path);
  return confined.ok ? confined.real : undefined;
}
