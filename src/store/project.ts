import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
  const ignore = join(dir, '.gitignore');
  if (!existsSync(ignore)) {
    try {
      writeFileSync(ignore, '# praxis-mcp cache (per machine, rebuilt on demand)\n*\n', { flag: 'wx' });
    } catch {}
  }
  return openStore({ ...options, path: projectDbPath(praxisDir) });
}
