import type { DatabaseSync } from 'node:sqlite';

/**
 * What the engine needs of the project database: the handle (kept referenced for the life of the
 * engine) and short `BEGIN IMMEDIATE` transactions. The function given to `tx` is synchronous: no
 * await can sit inside a transaction.
 */
export interface EngineDb {
  readonly db: DatabaseSync;
  tx<T>(fn: () => T): T;
}
