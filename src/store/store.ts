// The project database (DESIGN.md "The project database"): one SQLite file per project, opened
// through `node:sqlite` (works under Bun, a `bun build --compile` binary and Deno). This module
// knows nothing of standards or workflows: each owner registers its own tables through `migrate`.
//
// API (kept small and stable; other modules build on it):
//   openStore({ path })           open (or create) the database; WAL, busy_timeout, foreign keys
//   store.migrate(owner, steps)   apply an owner's forward migrations it has not applied yet
//   store.immediate(fn)           BEGIN IMMEDIATE ... COMMIT around a synchronous callback
//   store.read(fn)                one consistent read snapshot (deferred transaction)
//   store.prepare(sql)            a cached prepared statement
//   store.dataVersion()           PRAGMA data_version: changes when another connection commits
//   store.close()
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';

/** One forward migration of an owner's schema. Versions start at 1 and increase by 1. */
export interface Migration {
  version: number;
  /** Short name, recorded in `schema_migrations` (for people reading the database). */
  name: string;
  /** SQL to run (may hold several statements), or a function doing the work synchronously. */
  up: string | ((db: DatabaseSync) => void);
}

/** Why a store could not be opened or used; the message names the file and what to do. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: 'corrupt' | 'wal-unavailable' | 'newer-schema' | 'open-failed' | 'async-transaction',
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An open project database. Keep the object referenced for as long as it is used. */
export interface Store {
  /** The database file. */
  readonly path: string;
  /** The raw connection, for owners' queries. Do not run BEGIN/COMMIT on it yourself: use `immediate`/`read`. */
  readonly db: DatabaseSync;
  /** Set when a corrupt file was moved aside at open: where it went. */
  readonly movedAside: string | undefined;
  /** Applies `owner`'s migrations newer than the version recorded for it, each in its own IMMEDIATE transaction. Returns the version now applied. */
  migrate(owner: string, migrations: readonly Migration[]): number;
  /** The schema version recorded for `owner` (0 when none). */
  version(owner: string): number;
  /**
   * Runs `fn` inside `BEGIN IMMEDIATE` (takes the write lock up front, so a read-then-write cannot
   * be invalidated by another process) and commits; rolls back if it throws. `fn` must be
   * synchronous: a returned promise is an error (the transaction would span an await). Nested
   * calls run in a SAVEPOINT of the outer transaction.
   */
  immediate<T>(fn: (db: DatabaseSync) => T): T;
  /** Runs `fn` inside a deferred transaction: several SELECTs see one consistent snapshot. */
  read<T>(fn: (db: DatabaseSync) => T): T;
  /** A prepared statement for `sql`, cached for the life of the store. */
  prepare(sql: string): StatementSync;
  /** `PRAGMA data_version`: a number that changes when another connection commits (poll it to notice other processes). */
  dataVersion(): number;
  close(): void;
}

/** What `openStore` needs. */
export interface StoreOptions {
  /** The database file; its folder is created if missing. */
  path: string;
  /** How long a statement waits for another process's lock before failing with SQLITE_BUSY (ms). */
  busyTimeoutMs?: number;
  /**
   * What to do with a file that is not a readable database: `move-aside` (default) renames it to
   * `<path>.corrupt-<time>` (kept for inspection, never deleted) and starts an empty database;
   * `throw` raises a StoreError.
   */
  onCorrupt?: 'move-aside' | 'throw';
  /** Told about what the store did on its own (a corrupt file moved aside). */
  warn?: (message: string) => void;
}

/** The folder that holds the project database, relative to `.praxis-os/`. */
export const CACHE_DIR_NAME = '.cache';
/** The project database's file name. */
export const DB_FILE_NAME = 'praxis.db';

const SQLITE_CORRUPT = 11;
const SQLITE_NOTADB = 26;

/** Whether an error from node:sqlite says the file is damaged or not a database. */
export function isCorruption(error: unknown): boolean {
  const e = error as { errcode?: number; message?: string } | undefined;
  const primary = typeof e?.errcode === 'number' ? e.errcode & 0xff : undefined;
  return primary === SQLITE_CORRUPT || primary === SQLITE_NOTADB || /malformed|not a database/i.test(e?.message ?? '');
}

// Bun closes a DatabaseSync that becomes unreachable, which rolls back an open transaction; every
// open store stays in this set until closed, whatever its user does with the reference.
const openStores = new Set<Store>();

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  owner TEXT NOT NULL,
  version INTEGER NOT NULL,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL,
  PRIMARY KEY (owner, version)
)`;

function connect(path: string, busyTimeoutMs: number): DatabaseSync {
  const db = new DatabaseSync(path);
  try {
    // busy_timeout first: switching to WAL itself needs a lock another process may hold.
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    const mode = (db.prepare('PRAGMA journal_mode = WAL').get() as { journal_mode?: string } | undefined)?.journal_mode;
    if (path !== ':memory:' && String(mode).toLowerCase() !== 'wal') {
      throw new StoreError(
        'wal-unavailable',
        path,
        `cannot use WAL mode for ${path} (SQLite answered journal_mode=${mode}): the file system does not support the ` +
          'shared memory WAL needs (a network or virtual file system?). Move the project to a local disk.',
      );
    }
    db.exec('PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON');
    // Reading the schema reads page 1: a file that is not a database fails here, not at first use.
    db.prepare('SELECT count(*) AS n FROM sqlite_master').get();
    db.exec(MIGRATIONS_TABLE);
    return db;
  } catch (error) {
    try {
      db.close();
    } catch {}
    throw error;
  }
}

/** Renames the database and its -wal/-shm files aside; returns the new name of the main file. */
function moveAside(path: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const target = `${path}.corrupt-${stamp}`;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, target + suffix);
  }
  return target;
}

/** Opens (creating if needed) the database at `options.path`. Throws StoreError with the path and a remedy when it cannot. */
export function openStore(options: StoreOptions): Store {
  const { path, busyTimeoutMs = 5000, onCorrupt = 'move-aside', warn = () => {} } = options;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let movedAside: string | undefined;
  let db: DatabaseSync;
  try {
    db = connect(path, busyTimeoutMs);
  } catch (error) {
    if (error instanceof StoreError) throw error;
    if (!isCorruption(error)) {
      throw new StoreError('open-failed', path, `cannot open the project database ${path}: ${(error as Error).message}`, { cause: error });
    }
    const what = `the project database ${path} is damaged (${(error as Error).message})`;
    if (onCorrupt === 'throw' || path === ':memory:') {
      throw new StoreError('corrupt', path, `${what}: move it aside (or delete it) and start again; praxis-mcp rebuilds it.`, { cause: error });
    }
    movedAside = moveAside(path);
    warn(`${what}; moved it to ${movedAside} and started a new one (delete the old file once you no longer need it)`);
    db = connect(path, busyTimeoutMs);
  }

  const statements = new Map<string, StatementSync>();
  let depth = 0;
  let closed = false;

  const prepare = (sql: string): StatementSync => {
    let statement = statements.get(sql);
    if (!statement) statements.set(sql, (statement = db.prepare(sql)));
    return statement;
  };

  const transaction = <T>(begin: string, fn: (db: DatabaseSync) => T): T => {
    const savepoint = depth > 0 ? `sp_${depth}` : undefined;
    db.exec(savepoint ? `SAVEPOINT ${savepoint}` : begin);
    depth++;
    let result: T;
    try {
      result = fn(db);
      if (result !== null && typeof result === 'object' && typeof (result as { then?: unknown }).then === 'function') {
        throw new StoreError('async-transaction', path, 'a store transaction callback returned a promise: it must be synchronous (no await inside a transaction)');
      }
    } catch (error) {
      depth--;
      try {
        db.exec(savepoint ? `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}` : 'ROLLBACK');
      } catch {}
      throw error;
    }
    depth--;
    db.exec(savepoint ? `RELEASE ${savepoint}` : 'COMMIT');
    return result;
  };

  const version = (owner: string): number =>
    Number((prepare('SELECT max(version) AS v FROM schema_migrations WHERE owner = ?').get(owner) as { v: number | null }).v ?? 0);

  const store: Store = {
    path,
    db,
    movedAside,
    version,
    migrate(owner, migrations) {
      const sorted = [...migrations].sort((a, b) => a.version - b.version);
      sorted.forEach((m, i) => {
        if (m.version !== i + 1) throw new Error(`migrations of "${owner}" must be numbered 1, 2, 3...; found ${m.version} at position ${i + 1}`);
      });
      const latest = sorted.length;
      for (;;) {
        // Re-read the version inside the write lock: another process may have migrated meanwhile.
        const applied = transaction('BEGIN IMMEDIATE', () => {
          const current = version(owner);
          if (current > latest) {
            throw new StoreError(
              'newer-schema',
              path,
              `${path}: the "${owner}" tables are at schema version ${current}, newer than this praxis-mcp knows (${latest}); ` +
                'upgrade praxis-mcp, or move the database aside to start a new one.',
            );
          }
          const next = sorted[current];
          if (!next) return false;
          if (typeof next.up === 'string') db.exec(next.up);
          else next.up(db);
          prepare('INSERT INTO schema_migrations (owner, version, name, applied_at) VALUES (?, ?, ?, ?)').run(
            owner,
            next.version,
            next.name,
            new Date().toISOString(),
          );
          return true;
        });
        if (!applied) return latest;
      }
    },
    immediate: (fn) => transaction('BEGIN IMMEDIATE', fn),
    read: (fn) => transaction('BEGIN', fn),
    prepare,
    dataVersion: () => Number((prepare('PRAGMA data_version').get() as { data_version: number }).data_version),
    close() {
      if (closed) return;
      closed = true;
      openStores.delete(store);
      statements.clear();
      try {
        db.close();
      } catch {}
    },
  };
  openStores.add(store);
  return store;
}
