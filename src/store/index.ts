// The store's public API (see store.ts for what each call does). Owners import from here.
export { type Migration, type Store, type StoreOptions, StoreError, isCorruption, moveAside, openStore, CACHE_DIR_NAME, DB_FILE_NAME } from './store.ts';
export { openProjectStore, projectDbPath } from './project.ts';
export { isBusy } from './sqlite-errors.ts';
