// How an editor should launch this binary (issue 10). Homebrew runs it from a versioned Cellar path
// (`/opt/homebrew/Cellar/praxis-mcp/0.1.0/bin/praxis-mcp`) that `brew upgrade` deletes, so a config
// names the stable link instead; and a project file that a team commits names the command as it is
// found on PATH, when that finds this very binary, so that it works on a teammate's machine too.
import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import { basename, delimiter, join, posix, win32 } from 'node:path';

/** The file-system questions the launch command needs answered; tests answer them from a table. */
export interface FileProbe {
  /** The resolved path (every link followed), or undefined when nothing is there. */
  realpath(path: string): string | undefined;
  /** Whether `path` is a file this user may execute. */
  isExecutable(path: string): boolean;
}

/** The real file system. */
export const realProbe: FileProbe = {
  realpath(path) {
    try {
      return realpathSync(path);
    } catch {
      return undefined;
    }
  },
  isExecutable(path) {
    try {
      if (!statSync(path).isFile()) return false;
      if (process.platform !== 'win32') accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
};

// <prefix>/Cellar/<formula>/<version>/bin/<name>, with either separator (Homebrew runs on macOS and Linux).
const CELLAR = /^(.*)[/\\]Cellar[/\\]([^/\\]+)[/\\][^/\\]+[/\\]bin[/\\]([^/\\]+)$/;

/**
 * A path to `execPath` that survives upgrades: under Homebrew, `<prefix>/bin/<name>` when it leads to
 * the same file, else `<prefix>/opt/<formula>/bin/<name>` (the link Homebrew keeps for every
 * installed formula); anything else as it is.
 */
export function stableExecutablePath(execPath: string, probe: FileProbe = realProbe): string {
  const cellar = CELLAR.exec(execPath);
  if (!cellar) return execPath;
  const [, prefix, formula, name] = cellar as unknown as [string, string, string, string];
  const sep = execPath.includes('/') ? posix.sep : win32.sep;
  const linked = [prefix, 'bin', name].join(sep);
  const opt = [prefix, 'opt', formula, 'bin', name].join(sep);
  const target = probe.realpath(execPath) ?? execPath;
  return probe.realpath(linked) === target ? linked : opt;
}

/**
 * The bare command name when looking it up on `PATH` finds `execPath` itself (after links), so a
 * committed project file can say `praxis-mcp` instead of one machine's absolute path.
 */
export function commandOnPath(
  execPath: string,
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform,
  probe: FileProbe = realProbe,
): string | undefined {
  const windows = platform === 'win32';
  const file = windows ? win32.basename(execPath) : basename(execPath);
  const name = windows ? file.replace(/\.exe$/i, '') : file;
  const target = probe.realpath(execPath);
  if (!target || name === '') return undefined;
  const dirs = (env.PATH ?? env.Path ?? '').split(windows ? ';' : delimiter).filter(Boolean);
  for (const dir of dirs) {
    const candidate = windows ? win32.join(dir, `${name}.exe`) : join(dir, name);
    if (!probe.isExecutable(candidate)) continue;
    // The first hit is what the editor would run; it must be this binary, not another install.
    return probe.realpath(candidate) === target ? name : undefined;
  }
  return undefined;
}
