import * as nodeFs from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/**
 * Confinement to the project root (issue 11). The project folder is untrusted input: a cloned
 * repository can commit a symlink (`standards/x.md -> /etc/shadow`, `standards -> ~/.ssh`). Every
 * path praxis-mcp reads on behalf of the project goes through `resolveInside`, which compares real
 * paths (every symlink resolved: the file, each folder on the way, and the root itself), never the
 * path text. Callers read the returned `real` path, not the one they asked about.
 *
 * Races: a repository is static input (cloned, then opened), so a link swapped between the check
 * and the read is out of scope; what matters is that a committed link is never followed out.
 */

/** The answer of `resolveInside`: the real path, or why the path is refused or absent. */
export type Confined =
  | { ok: true; real: string }
  /** The path exists but resolves outside the root; `link` is the symlink that leads out, `target` where it leads. */
  | { ok: false; reason: 'outside'; path: string; link: string; target: string }
  /** Nothing there (ENOENT, ENOTDIR, a dangling link, a loop) or unreadable (EACCES): `code` says which. */
  | { ok: false; reason: 'missing'; path: string; code: string };

/** A refusal, as `resolveInside` returns it. */
export type Refusal = Extract<Confined, { reason: 'outside' }>;

/** The file operations confinement needs; tests may inject others. */
export interface ConfineFs {
  realpathSync(path: string): string;
  lstatSync(path: string): { isSymbolicLink(): boolean };
}

const realFs: ConfineFs = {
  realpathSync: (path) => nodeFs.realpathSync.native(path),
  lstatSync: (path) => nodeFs.lstatSync(path),
};

/** True when `path` is `root` or below it (both absolute, already resolved). Pure. */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function errCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'EUNKNOWN';
}

/**
 * The first symlink on the way from `root` to `abs` (walking the path text from the root) whose
 * real path is outside `realRoot`, with that real path; the path itself when no single link does.
 */
function findLink(root: string, abs: string, realRoot: string, target: string, fs: ConfineFs): { link: string; target: string } {
  const rel = relative(root, abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return { link: abs, target };
  let at = root;
  for (const part of rel.split(sep)) {
    at = join(at, part);
    try {
      if (!fs.lstatSync(at).isSymbolicLink()) continue;
      const real = fs.realpathSync(at);
      if (!isInside(realRoot, real)) return { link: at, target: real };
    } catch {
      break;
    }
  }
  return { link: abs, target };
}

/** The real path of a root folder, or undefined when it does not resolve. */
export function realRootOf(root: string, fs: ConfineFs = realFs): string | undefined {
  try {
    return fs.realpathSync(root);
  } catch {
    return undefined;
  }
}

/**
 * Resolves `path` (absolute, or relative to `root`) and accepts it only if its real path lies
 * inside the real path of `root`. A link inside the project that resolves inside the project is
 * accepted (its real path is returned). Never throws.
 */
export function resolveInside(root: string, path: string, fs: ConfineFs = realFs): Confined {
  const abs = resolve(root, path);
  const realRoot = realRootOf(root, fs);
  if (realRoot === undefined) return { ok: false, reason: 'missing', path: abs, code: 'ENOENT' };
  let real: string;
  try {
    real = fs.realpathSync(abs);
  } catch (error) {
    return { ok: false, reason: 'missing', path: abs, code: errCode(error) };
  }
  if (isInside(realRoot, real)) return { ok: true, real };
  const found = findLink(root, abs, realRoot, real, fs);
  return { ok: false, reason: 'outside', path: abs, link: found.link, target: found.target };
}

/** The warning for a refusal: names the link and where it points. */
export function describeRefusal(refusal: Refusal, root: string): string {
  const via = refusal.link === refusal.path ? '' : ` (through ${refusal.link})`;
  return `refusing ${refusal.path}${via}: it resolves to ${refusal.target}, outside the project ${root}`;
}

/**
 * Remembers which refusals were already logged, so that each is logged once however often the
 * folders are re-read, and counts the distinct paths refused (for `get_server_info`).
 */
export class RefusalLog {
  readonly #seen = new Map<string, string>();
  constructor(private readonly warn: (message: string) => void) {}

  /** Logs the refusal if this path with this target was not logged before. */
  report(refusal: Refusal, root: string): void {
    const key = `${refusal.path}\0${refusal.target}`;
    if (this.#seen.has(key)) return;
    this.#seen.set(key, refusal.path);
    this.warn(describeRefusal(refusal, root));
  }

  /** How many distinct paths were refused so far. */
  get count(): number {
    return new Set(this.#seen.values()).size;
  }
}
