import { execFile } from 'node:child_process';

/** The git state of a project, read fresh at each call; every field is null outside a repository. */
export interface GitInfo {
  branch: string | null;
  commit: string | null;
  remote: string | null;
  dirty: boolean | null;
}

/**
 * Runs git in the project. `core.fsmonitor` is forced off: a project folder that arrives with its
 * `.git/` (an archive, a copied checkout) may set it to any command, which `git status` would run
 * (issue 11: the repository is untrusted input; verified with git 2.39).
 */
function git(root: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['-c', 'core.fsmonitor=false', '-C', root, ...args], { timeout: 2000, windowsHide: true }, (error, stdout) =>
      resolve(error ? undefined : stdout),
    );
  });
}

/** Parses `git status --porcelain=v2 --branch` output into branch, commit and dirtiness. */
export function parseGitStatus(text: string): Pick<GitInfo, 'branch' | 'commit' | 'dirty'> {
  let branch: string | null = null;
  let commit: string | null = null;
  let dirty = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('# branch.head ')) {
      const head = line.slice('# branch.head '.length).trim();
      branch = head === '(detached)' ? null : head;
    } else if (line.startsWith('# branch.oid ')) {
      const oid = line.slice('# branch.oid '.length).trim();
      commit = oid === '(initial)' ? null : oid;
    } else if (line.trim() !== '' && !line.startsWith('#')) {
      dirty = true;
    }
  }
  return { branch, commit, dirty };
}

/** Reads the git state of `root` with two git processes run side by side. */
export async function readGitInfo(root: string): Promise<GitInfo> {
  const [status, remote] = await Promise.all([
    git(root, ['status', '--porcelain=v2', '--branch', '--untracked-files=normal']),
    git(root, ['config', '--get', 'remote.origin.url']),
  ]);
  if (status === undefined) return { branch: null, commit: null, remote: null, dirty: null };
  return { ...parseGitStatus(status), remote: remote?.trim() || null };
}
