import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The commit HEAD names, read from `.git` files (no git process, no shell); null outside a repository. */
export function gitHead(root: string): string | null {
  try {
    let gitDir = join(root, '.git');
    const dotGit = readFileSync(gitDir, 'utf8');
    // A worktree or submodule: `.git` is a file naming the real directory.
    const m = /^gitdir: (.+)$/m.exec(dotGit);
    if (m) gitDir = join(root, m[1]!.trim());
    return resolveHead(gitDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EISDIR') return resolveHead(join(root, '.git'));
    return null;
  }
}

function resolveHead(gitDir: string): string | null {
  try {
    const head = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
    if (/^[0-9a-f]{40,64}$/.test(head)) return head;
    const ref = /^ref: (.+)$/.exec(head)?.[1];
    if (!ref) return null;
    const dirs = [gitDir];
    try {
      const common = readFileSync(join(gitDir, 'commondir'), 'utf8').trim();
      dirs.push(join(gitDir, common));
    } catch {}
    for (const dir of dirs) {
      try {
        return readFileSync(join(dir, ref), 'utf8').trim();
      } catch {}
      try {
        const packed = readFileSync(join(dir, 'packed-refs'), 'utf8');
        const line = packed.split('\n').find((l) => l.endsWith(` ${ref}`));
        if (line) return line.split(' ')[0]!;
      } catch {}
    }
    return null;
  } catch {
    return null;
  }
}
