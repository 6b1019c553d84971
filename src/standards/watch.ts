import { type FSWatcher, statSync, watch as fsWatch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { StandardsRoot } from './roots.ts';

/** Watches the standards roots and reports that something changed (what changed is re-read anyway). */
export interface RootsWatcher {
  /** Starts, replaces or stops watches so they match `roots` (call after each rebuild: folders come and go). */
  sync(roots: readonly StandardsRoot[]): void;
  /** False when the platform cannot watch recursively and the watcher polls instead. */
  readonly native: boolean;
  close(): void;
}

/** What `watchRoots` needs; the defaults are the real file system and timers. */
export interface WatchOptions {
  onChange(reason: string): void;
  onError?(message: string): void;
  watch?: typeof fsWatch;
  /** Poll interval when native recursive watching is unavailable. */
  pollMs?: number;
}

const hidden = (name: string) => name.split(/[\\/]/).some((s) => s.startsWith('.'));

function inode(dir: string): string | undefined {
  try {
    const s = statSync(dir);
    return s.isDirectory() ? `${s.dev}:${s.ino}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Watches each existing root recursively, and each root's parent folder shallowly, so that a root
 * created, deleted or replaced (a `git checkout`) is noticed too; `.praxis-os/config.json` lives
 * in the first root's parent, so a change of extra paths is noticed the same way. node:fs `watch`
 * with `recursive` works on Bun on Linux, macOS and Windows (verified on Linux, including folders
 * created after the watch started); where it throws, we fall back to polling.
 */
export function watchRoots(praxisDir: string, options: WatchOptions): RootsWatcher {
  const { onChange, onError = () => {}, watch = fsWatch, pollMs = 2000 } = options;
  const active = new Map<string, FSWatcher>();
  const names = new Map<string, Set<string>>();
  let poll: ReturnType<typeof setInterval> | undefined;
  let closed = false;

  const open = (key: string, dir: string, recursive: boolean, relevant: (name: string) => boolean) => {
    if (active.has(key) || closed) return;
    try {
      const w = watch(dir, { recursive, persistent: false }, (_event, name) => {
        const file = name === null ? '' : String(name);
        if (file === '' || relevant(file)) onChange(`${dir}/${file}`);
      });
      w.on('error', (error) => {
        // A watched folder that disappears may error instead of reporting; drop it and rescan.
        onError(`watch ${dir}: ${error.message}`);
        w.close();
        active.delete(key);
        onChange(dir);
      });
      active.set(key, w);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (recursive && code !== 'ENOENT' && code !== 'ENOTDIR' && poll === undefined) {
        onError(`cannot watch ${dir} (${code ?? (error as Error).message}); polling every ${pollMs} ms instead`);
        poll = setInterval(() => onChange('poll'), pollMs);
        poll.unref?.();
      }
    }
  };

  return {
    get native() {
      return poll === undefined;
    },
    sync(roots) {
      const wanted = new Map<string, () => void>();
      // Several roots may share a parent (.praxis-os/standards and .praxis-os/usage): one shallow
      // watch per parent, reporting any of their names.
      names.clear();
      for (const root of roots) names.set(dirname(root.dir), (names.get(dirname(root.dir)) ?? new Set()).add(basename(root.dir)));
      for (const root of roots) {
        const parent = dirname(root.dir);
        const parentKey = `shallow:${parent}:${inode(parent)}`;
        wanted.set(parentKey, () =>
          open(parentKey, parent, false, (file) => names.get(parent)?.has(file) === true || (parent === praxisDir && file === 'config.json')),
        );
        const id = inode(root.dir);
        if (id === undefined) continue;
        const key = `deep:${root.dir}:${id}`;
        wanted.set(key, () => open(key, root.dir, true, (file) => !hidden(file)));
      }
      // Close stale watches before opening new ones: while a watcher on a path is open, Bun (1.4)
      // reuses its native watch for a new watcher on the same path, so a folder replaced by a
      // checkout would stay watched through the dead inode (verified). Nothing is lost in between:
      // the caller reads the folders after this returns.
      for (const [key, w] of active) {
        if (!wanted.has(key)) {
          w.close();
          active.delete(key);
        }
      }
      for (const start of wanted.values()) start();
    },
    close() {
      closed = true;
      for (const w of active.values()) w.close();
      active.clear();
      if (poll) clearInterval(poll);
    },
  };
}
