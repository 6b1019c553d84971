import { existsSync, lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PraxisError } from '../errors.ts';
import { describeRefusal, resolveInside } from '../fs/confine.ts';
import { CACHE_DIR_NAME, DB_FILE_NAME, type Store, type StoreOptions, openStore } from './store.ts';

/** The project database's path: `.praxis-os/.cache/praxis.db`. */
export function projectDbPath(praxisDir: string): string {
  return join(praxisDir, CACHE_DIR_NAME, DB_FILE_NAME);
}

/**
 * Opens the project's database, creating `.praxis-os/.cache/` on demand with a `.gitignore` of
 * `*` inside it, so the cache stays out of git whatever the project's own ignore files say.
 */
export function openProjectStore(praxisDir: string, options: Omit<StoreOptions, 'path'> = {}): Store {
  const dir = join(praxisDir, CACHE_DIR_NAME);
  mkdirSync(dir, { recursive: true });
  confineCache(praxisDir, dir);
  const ignore = join(dir, '.gitignore');
  if (!existsSync(ignore)) {
    try {
      writeFileSync(ignore, '# praxis-mcp cache (per machine, rebuilt on demand)\n*\n', { flag: 'wx' });
    } catch {}
  }
  return openStore({ ...options, path: projectDbPath(praxisDir) });
}

/**
 * The cache folder and the database files are written, so a cloned repository must not be able to
 * point them elsewhere (issue 11): `.cache` must resolve inside `.praxis-os`, and no database file
 * may be a symlink (SQLite would create or write the link's target, even a dangling one).
 */
function confineCache(praxisDir: string, dir: string): void {
  const checked = resolveInside(praxisDir, dir);
  if (!checked.ok) {
    const why = checked.reason === 'outside' ? describeRefusal(checked, praxisDir) : `${dir} is unusable (${checked.code})`;
    throw new PraxisError('E_UNSAFE_PROJECT', `Cannot open the project database: ${why}. Remove ${dir} and start again; praxis-mcp recreates it.`);
  }
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    const file = join(dir, `${DB_FILE_NAME}${suffix}`);
    let link = false;
    try {
      link = lstatSync(file).isSymbolicLink();
    } catch {}
    if (link) {
      throw new PraxisError('E_UNSAFE_PROJECT', `Cannot open the project database: ${file} is a symbolic link, which praxis-mcp never writes through. Remove it; praxis-mcp recreates the database.`);
    }
  }
}
