// SQLite result codes read from node:sqlite errors, in a module of their own so that code which
// must not load node:sqlite at start-up (the standards index loads the store lazily) can ask too.

/** SQLITE_BUSY: another connection holds the lock the statement needed. */
const SQLITE_BUSY = 5;

/** Whether an error is SQLITE_BUSY (its primary result code, or its message). */
export function isBusy(error: unknown): boolean {
  const e = error as { errcode?: number; message?: string } | undefined;
  return (typeof e?.errcode === 'number' && (e.errcode & 0xff) === SQLITE_BUSY) || /database is locked|SQLITE_BUSY/i.test(e?.message ?? String(error));
}

