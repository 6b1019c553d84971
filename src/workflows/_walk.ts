// A bounded, confined walk of a folder inside the project: regular files and symlinks to files
// inside the project are listed; symlinks that resolve outside are listed as `escaped` and never
// read; symlinked folders are not entered (no loops, no way out).
import { lstatSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isInside } from './_confine.ts';

/** One file found by `walkFiles`. */
export interface WalkedFile {
  /** Path relative to the walk's start, with "/" separators. */
  rel: string;
  /** Absolute real path (for an escaped link: the link's own path). */
  path: string;
  /** True for a symlink whose target lies outside the project root (never read). */
  escaped: boolean;
  mtimeMs: number;
  size: number;
}

/** Options of `walkFiles`. */
export interface WalkOptions {
  /** Stop after this many files (default 20,000); `truncated` says so. */
  maxFiles?: number;
  /** Folder names not entered (default: `.git`, `node_modules`). */
  skipDirs?: readonly string[];
}

/** Lists the files under `start` (an absolute path inside the real `root`), sorted by `rel`. */
export function walkFiles(root: string, start: string, options: WalkOptions = {}): { files: WalkedFile[]; truncated: boolean } {
  const max = options.maxFiles ?? 20_000;
  const skip = new Set(options.skipDirs ?? ['.git', 'node_modules']);
  const files: WalkedFile[] = [];
  let truncated = false;
  const visit = (dir: string, prefix: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (files.length >= max) {
        truncated = true;
        return;
      }
      const path = join(dir, name);
      const rel = prefix ? `${prefix}/${name}` : name;
      let st;
      try {
        st = lstatSync(path);
      } catch {
        continue;
      }
      if (st.isDirectory()) {
        if (!skip.has(name)) visit(path, rel);
      } else if (st.isFile()) {
        files.push({ rel, path, escaped: false, mtimeMs: st.mtimeMs, size: st.size });
      } else if (st.isSymbolicLink()) {
        let real: string;
        try {
          real = realpathSync(path);
        } catch {
          continue; // dangling link: nothing to read
        }
        if (!isInside(root, real)) {
          files.push({ rel, path, escaped: true, mtimeMs: st.mtimeMs, size: 0 });
          continue;
        }
        const target = statSync(real);
        if (target.isFile()) files.push({ rel, path: real, escaped: false, mtimeMs: target.mtimeMs, size: target.size });
      }
    }
  };
  visit(start, '');
  return { files, truncated };
}
