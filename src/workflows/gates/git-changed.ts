// Files changed since a session started, for the `git_changed` check. git is a fixed program run
// with an argument array (no shell), and only for commands that read objects and the index
// (`rev-parse`, `ls-tree`, `ls-files`): never `diff` or `status`, which may run filters, external
// diff drivers or an fsmonitor hook configured by the repository. We hash file contents ourselves.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { realPathInside } from '../_confine.ts';
import { walkFiles } from '../_walk.ts';

/** Config that could make a read-only git command run a program, switched off on every call. */
const SAFE_CONFIG = ['-c', 'core.fsmonitor=false', '-c', 'core.untrackedCache=false', '-c', 'core.hooksPath=/dev/null'];
/** Files bigger than this that were modified since the start count as changed without being hashed. */
const MAX_HASHED_BYTES = 64 * 1024 * 1024;
/** mtime granularity and clock slack: a file written this long before the start still counts. */
const MTIME_SLACK_MS = 2_000;

/** Our environment without variables that would point git at another repository, and without prompts or locks. */
function gitEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' };
  for (const key of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_CONFIG', 'GIT_CONFIG_PARAMETERS']) delete env[key];
  return env;
}

/** Runs git in `root` with `args`; stdout, or undefined when git is missing or fails. */
function git(root: string, args: string[]): string | undefined {
  const result = spawnSync('git', [...SAFE_CONFIG, ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 10_000,
    maxBuffer: 64 * 1024 * 1024,
    env: gitEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return result.status === 0 ? result.stdout : undefined;
}

/** The commit HEAD names in `root`'s repository, or null (no git, no repository, no commit). For the engine's `start`. */
export function gitHead(root: string): string | null {
  const out = git(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])?.trim();
  return out && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(out) ? out : null;
}

/** The git blob id of `content` (SHA-1, or SHA-256 for a repository in that object format). */
function blobId(content: Buffer, algorithm: 'sha1' | 'sha256'): string {
  return createHash(algorithm).update(`blob ${content.length}\0`).update(content).digest('hex');
}

/** Paths changed since the session started, relative to the root, sorted; `how` says how it was found. */
export interface ChangedFiles {
  files: string[];
  how: 'git' | 'mtime';
  /** Why git was not used, when it was not. */
  note?: string;
}

/**
 * Files added, modified or deleted since `startedAt`. With `baseCommit`: a tracked or untracked
 * (not ignored) file modified since the start whose content differs from the base commit's, or a
 * file of the base commit that is gone. Without one (or when git is unusable): files modified
 * since the start. Links that lead outside the project are never read.
 */
export function changedFiles(root: string, startedAt: Date, baseCommit: string | null): ChangedFiles {
  const since = startedAt.getTime() - MTIME_SLACK_MS;
  const realRoot = realPathInside(root, '.') ?? root;
  if (baseCommit !== null) {
    if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(baseCommit)) return { ...byMtime(realRoot, since), note: `base commit "${baseCommit}" is not a commit id` };
    const tree = git(realRoot, ['ls-tree', '-r', '-z', '--full-tree', baseCommit]);
    const listed = git(realRoot, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
    if (tree !== undefined && listed !== undefined) {
      const base = new Map<string, string>();
      for (const entry of tree.split('\0')) {
        const m = /^\d+ blob ([0-9a-f]+)\t(.+)$/s.exec(entry);
        if (m) base.set(m[2]!, m[1]!);
      }
      const algorithm = baseCommit.length === 64 ? 'sha256' : 'sha1';
      const changed = new Set<string>();
      for (const rel of new Set(listed.split('\0').filter(Boolean))) {
        const path = join(realRoot, rel);
        let st;
        try {
          st = lstatSync(path);
        } catch {
          continue; // deleted: counted below
        }
        if (st.mtimeMs < since || st.isDirectory()) continue;
        const was = base.get(rel);
        if (was === undefined) {
          changed.add(rel);
          continue;
        }
        let content: Buffer;
        if (st.isSymbolicLink()) content = Buffer.from(readlinkSync(path)); // git stores the link text
        else {
          // A folder on the way replaced by a link out of the project: the path changed; never read it.
          const real = realPathInside(realRoot, rel);
          if (real === undefined || st.size > MAX_HASHED_BYTES) {
            changed.add(rel);
            continue;
          }
          content = readFileSync(real);
        }
        const lf = Buffer.from(content.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
        if (blobId(content, algorithm) !== was && blobId(lf, algorithm) !== was) changed.add(rel);
      }
      for (const rel of base.keys()) {
        try {
          lstatSync(join(realRoot, rel));
        } catch {
          changed.add(rel);
        }
      }
      return { files: [...changed].sort(), how: 'git' };
    }
    return { ...byMtime(realRoot, since), note: 'git could not read the repository (not installed, not a repository, or not trusted)' };
  }
  return byMtime(realRoot, since);
}

function byMtime(root: string, since: number): ChangedFiles {
  const { files } = walkFiles(root, root);
  return { files: files.filter((f) => !f.escaped && f.mtimeMs >= since).map((f) => f.rel), how: 'mtime' };
}
