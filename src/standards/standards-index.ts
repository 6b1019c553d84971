import { messageOf } from '../errors.ts';
import { describeRefusal } from '../fs/confine.ts';
import type { Logger } from '../log.ts';
import { isBusy } from '../store/sqlite-errors.ts';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import type { CorpusFs } from './corpus.ts';
import { createDebouncer } from './debounce.ts';
import { readRoots } from './roots.ts';
import type { FtsIndex, SearchHit, SearchQuery, SearchSnapshot } from './search-index.ts';
import { type RootsWatcher, watchRoots } from './watch.ts';

// The indexing code (YAML, the chunker, node:sqlite and the project database) is loaded by the
// first build, after the state file is written: start-up stays within its 40 ms budget, and the
// database is opened only then. A dynamic import stays lazy in a `bun build --compile` bundle.
const loadEngine = async () => ({
  ...(await import('./corpus.ts')),
  ...(await import('./search-index.ts')),
  ...(await import('../store/index.ts')),
});
type Engine = Awaited<ReturnType<typeof loadEngine>>;

/** The project's standards, searchable and kept fresh; shared by every connection of a server. */
export interface StandardsIndex {
  /** Starts the first build and the watcher; returns at once (readiness never waits for the index). */
  start(): void;
  /** The current snapshot, after waiting for the first build if it is still running. */
  snapshot(): Promise<SearchSnapshot>;
  /** Runs a query on the current snapshot. */
  search(query: SearchQuery): Promise<{ hits: SearchHit[]; snapshot: SearchSnapshot }>;
  /** Rebuilds now (coalesced with a rebuild already running); resolves when the new snapshot is live. */
  rebuild(reason?: string): Promise<SearchSnapshot>;
  /** A document's text as indexed (resources/read), or undefined when no document has this URI. */
  read(uri: string): Promise<string | undefined>;
  /** Calls `listener` after each update that adds, removes or renames a document (resources/list changed). */
  onListChanged(listener: () => void): void;
  /** The `standards_index` section of get_server_info. */
  stats(): Record<string, unknown>;
  close(): void;
}

/** What `createStandardsIndex` needs; defaults are the real world. */
export interface StandardsIndexOptions {
  projectRoot: string;
  praxisDir: string;
  log: Logger;
  now?: () => Date;
  /** Watch the roots for changes (off in one-shot uses). */
  watch?: boolean;
  /** Debounce: quiet time after the last change, and the longest a burst can postpone a rebuild. */
  quietMs?: number;
  maxWaitMs?: number;
  fs?: CorpusFs;
  /** The database file (default `.praxis-os/.cache/praxis.db`; `:memory:` keeps nothing). */
  dbPath?: string;
  /** How long a write waits for another process's lock before it gives up (default 5 s). */
  busyGiveUpMs?: number;
}

/**
 * The scan's file system: synchronous calls, yielding to the event loop only every 10 ms. With one
 * await per file, a scan of 300 files under a steady stream of queries waited behind them at every
 * step and took seconds (the e2e race test); in 10 ms slices it keeps its pace and queries still
 * get in between.
 */
function slicedFs(): CorpusFs {
  let since = performance.now();
  const breathe = async () => {
    if (performance.now() - since < 10) return;
    await new Promise((resolve) => setImmediate(resolve));
    since = performance.now();
  };
  return {
    readdir: async (dir) => (await breathe(), readdirSync(dir, { withFileTypes: true })),
    readFile: async (path) => (await breathe(), readFileSync(path)),
    stat: async (path) => statSync(path),
  };
}

/** What resources/list shows of a snapshot, apart from sizes: the documents' URIs and titles. */
const listSignature = (snapshot: SearchSnapshot) => snapshot.docs.map((d) => `${d.uri}\t${d.title}`).join('\n');

/**
 * Keeps the project's FTS5 index (in the project database) in line with the files. Each update is
 * one IMMEDIATE transaction, so a query (here or in another process) sees the state before it or
 * after it, never a half-applied one. Rebuilds are single-flight: changes arriving during a build
 * cause exactly one more build after it.
 */
/**
 * How long one attempt waits for another process's write lock. `node:sqlite` waits synchronously,
 * which stops this process's event loop (stdio, HTTP) for that long; a process frozen inside a write
 * transaction (SIGSTOP) would otherwise stall every server of the project for the store's full 5 s
 * on each attempt (issue 11). The wait between attempts is asynchronous.
 */
const BUSY_WAIT_MS = 50;
/** How long a build keeps trying before the index falls back to memory (open) or the build fails (update). */
const BUSY_GIVE_UP_MS = 5_000;
/** A build locked out of the database is tried again after this long, doubling up to the most. */
const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 30_000;

/** A build that parsed at least this many files is followed by a full GC, this long after it ends. */
const GC_AFTER_PARSED = 50;
const GC_DELAY_MS = 250;


/** Runs `attempt` (one short write), waiting asynchronously between tries while the database is locked. */
async function whenNotBusy<T>(attempt: () => T, giveUpMs = BUSY_GIVE_UP_MS): Promise<T> {
  const deadline = Date.now() + giveUpMs;
  for (let pause = 20; ; pause = Math.min(pause * 2, 500)) {
    try {
      return attempt();
    } catch (error) {
      if (!isBusy(error) || Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

export function createStandardsIndex(options: StandardsIndexOptions): StandardsIndex {
  const { projectRoot, praxisDir, log, now = () => new Date(), quietMs = 25, maxWaitMs = 750, busyGiveUpMs = BUSY_GIVE_UP_MS } = options;
  const reported = new Set<string>();
  let current: SearchSnapshot | undefined;
  let byId = new Map<number, SearchSnapshot['docs'][number]>();
  let engine: Engine | undefined;
  let index: FtsIndex | undefined;
  let seenVersion = -1;
  let lastBuildMs = 0;
  let builds = 0;
  let skipped = 0;
  let refused = 0;
  let dbState = 'closed';
  /** Files the last build read and parsed. */
  let parsed = 0;
  let gcTimer: ReturnType<typeof setTimeout> | undefined;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let retryMs = RETRY_FIRST_MS;
  let roots: { name: string; dir: string; found: boolean }[] = [];
  let building: Promise<SearchSnapshot> | undefined;
  let again = false;
  let closed = false;
  const listeners = new Set<() => void>();
  let resolveFirst!: (s: SearchSnapshot) => void;
  const first = new Promise<SearchSnapshot>((resolve) => (resolveFirst = resolve));

  const report = (level: 'warn' | 'info', message: string, seen: Set<string>) => {
    seen.add(message);
    if (!reported.has(message)) log[level](message);
  };

  /**
   * Opens the project database. A damaged one is moved aside and started afresh (the index is a
   * cache); one that cannot be used at all (no WAL, no write access, tables from a newer version)
   * gives way to an in-memory database: search keeps working, without persistence.
   */
  const openIndex = (e: Engine, retry = true): FtsIndex => {
    if (index) return index;
    const path = options.dbPath ?? e.projectDbPath(praxisDir);
    const warn = (m: string) => log.warn(`standards: ${m}`);
    try {
      const busyTimeoutMs = BUSY_WAIT_MS;
      const store = options.dbPath ? e.openStore({ path, warn, busyTimeoutMs }) : e.openProjectStore(praxisDir, { warn, busyTimeoutMs });
      try {
        index = new e.FtsIndex(store);
      } catch (error) {
        store.close();
        throw error;
      }
      dbState = path === ':memory:' ? 'memory' : 'file';
    } catch (error) {
      if (isBusy(error)) throw error; // another process holds the write lock: buildOnce waits and tries again
      if (retry && path !== ':memory:' && e.isCorruption(error)) {
        warn(`the project database ${path} is damaged (${messageOf(error)}); moved it to ${e.moveAside(path)} and rebuilding the index`);
        return openIndex(e, false);
      }
      warn(`${messageOf(error)}; keeping the index in memory for this process only`);
      index = new e.FtsIndex(e.openStore({ path: ':memory:' }));
      dbState = 'memory';
    }
    return index;
  };

  const refresh = (snapshot: SearchSnapshot) => {
    const listBefore = current && listSignature(current);
    current = snapshot;
    byId = new Map(snapshot.docs.map((d) => [d.id, d]));
    if (listBefore !== undefined && listBefore !== listSignature(snapshot)) for (const listener of listeners) listener();
  };

  const buildOnce = async (reason: string): Promise<SearchSnapshot> => {
    const started = performance.now();
    const seen = new Set<string>();
    const found = await readRoots(projectRoot, praxisDir);
    for (const w of found.warnings) report('warn', `standards: ${w}`, seen);
    for (const r of found.refused) report('warn', `standards: ${describeRefusal(r, projectRoot)}`, seen);
    watcher?.sync(found.roots);
    const e = (engine ??= await loadEngine());
    const idx = await whenNotBusy(() => openIndex(e), busyGiveUpMs).catch((error) => {
      if (!isBusy(error)) throw error;
      log.warn(`standards: another process has held the project database's write lock for ${busyGiveUpMs / 1000} s; keeping the index in memory for this process only`);
      index = new e.FtsIndex(e.openStore({ path: ':memory:' }));
      dbState = 'memory';
      return index;
    });
    idx.loadKnown();
    const corpus = await e.loadCorpus(found.roots, new Map(), options.fs ?? slicedFs(), idx.reuse, idx.sameText);
    for (const m of corpus.missing) report('info', `standards: folder ${m} not found; nothing indexed from it`, seen);
    for (const s of corpus.skipped) report('warn', `standards: skipped ${s.path}: ${s.reason}`, seen);
    for (const w of corpus.warnings) report('warn', `standards: ${w.path}: ${w.reason}; indexed without it`, seen);
    for (const r of corpus.refused) report('warn', `standards: ${describeRefusal(r, projectRoot)}`, seen);
    reported.clear();
    for (const m of seen) reported.add(m);
    parsed = corpus.files.reduce((n, f) => n + (f.doc ? 1 : 0), 0);
    const applyStarted = performance.now();
    const result = await whenNotBusy(() => idx.update(corpus.files), busyGiveUpMs);
    const buildMs = Math.round((performance.now() - applyStarted) * 10) / 10;
    const snapshot = idx.snapshot(now(), buildMs, result.mode);
    seenVersion = idx.store.dataVersion();
    refresh(snapshot);
    lastBuildMs = Math.round((performance.now() - started) * 10) / 10;
    builds++;
    retryMs = RETRY_FIRST_MS;
    skipped = corpus.skipped.length;
    refused = new Set([...found.refused, ...corpus.refused].map((r) => r.path)).size;
    roots = found.roots.map((r) => ({ ...r, found: !corpus.missing.some((m) => m.startsWith(`${r.dir} (`)) }));
    // The first build is news to a person reading the log; the rebuilds after it are routine.
    log[builds === 1 ? 'info' : 'debug'](
      `standards: indexed ${snapshot.docs.length} documents, ${snapshot.chunks.size} chunks in ${lastBuildMs} ms ` +
        `(${snapshot.mode}: ${result.indexed} files (re)indexed, ${result.removed} removed; ${reason})`,
    );
    return snapshot;
  };

  /** Picks up what another process committed since we last looked (PRAGMA data_version). */
  const sync = () => {
    if (!index || !current) return;
    const version = index.store.dataVersion();
    if (version === seenVersion) return;
    seenVersion = version;
    refresh(index.snapshot(current.builtAt, current.buildMs, current.mode));
  };

  const rebuild = (reason = 'requested'): Promise<SearchSnapshot> => {
    if (building) {
      again = true;
      return building;
    }
    building = (async () => {
      let snapshot: SearchSnapshot | undefined;
      do {
        again = false;
        try {
          try {
            snapshot = await buildOnce(reason);
          } catch (error) {
            // Damage found while updating: move the database aside and build once more from the files.
            if (!engine?.isCorruption(error) || dbState !== 'file' || !index) throw error;
            const store = index.store;
            index = undefined;
            store.close();
            log.warn(`standards: the project database ${store.path} is damaged (${messageOf(error)}); moved it to ${engine.moveAside(store.path)} and rebuilding the index`);
            snapshot = await buildOnce(reason);
          }
        } catch (error) {
          // Keep serving the last good state; a first build that fails serves an empty one.
          log.error(`standards: index build failed: ${messageOf(error)}`);
          // Locked out (another process held the write lock past the give-up): try again by
          // itself, instead of waiting for a file to change.
          if (isBusy(error)) retryLater();
          snapshot = current ?? { docs: [], chunks: { size: 0 }, byUri: new Map(), builtAt: now(), buildMs: 0, mode: 'full' };
          current ??= snapshot;
        }
        reason = 'changes during the previous build';
      } while (again && !closed);
      if (parsed >= GC_AFTER_PARSED || index?.checkpointDue) collectSoon();
      resolveFirst(snapshot);
      return snapshot;
    })().finally(() => (building = undefined));
    return building;
  };

  /**
   * A build that parsed many files leaves their text, bytes and chunks as garbage, which Bun frees
   * only at a later idle GC, and a server that then sits idle may never run one: RSS with the dev
   * set corpus twice (6,008 chunks) stayed ~35 MB above what it holds. Collect once the build's
   * frames are gone (not inside it: its corpus is still referenced there). A bulk update also left
   * its checkpoint to now (FtsIndex.update).
   */
  const collectSoon = () => {
    if (gcTimer) return;
    gcTimer = setTimeout(() => {
      gcTimer = undefined;
      if (closed || building) return;
      try {
        index?.checkpoint();
      } catch (error) {
        log.debug(`standards: checkpoint: ${messageOf(error)}`);
      }
      (globalThis as { Bun?: { gc(sync: boolean): void } }).Bun?.gc(true);
    }, GC_DELAY_MS);
    (gcTimer as { unref?: () => void }).unref?.();
  };

  /** After a build locked out of the database: another build in 1 s, then 2, 4 ... 30 s, until one succeeds. */
  const retryLater = () => {
    if (retryTimer || closed) return;
    log.warn(`standards: building the index again in ${retryMs / 1000} s`);
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      if (!closed) void rebuild('retry after the database was locked');
    }, retryMs);
    (retryTimer as { unref?: () => void }).unref?.();
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  };

  const debounced = createDebouncer(() => void rebuild('files changed'), quietMs, maxWaitMs);
  const watcher: RootsWatcher | undefined =
    options.watch === false
      ? undefined
      : watchRoots(praxisDir, { onChange: () => debounced.trigger(), onError: (m) => log.debug(`standards: ${m}`) });

  const ready = async () => {
    if (!current) await first;
    sync();
    return current!;
  };

  return {
    start: () => void rebuild('start'),
    snapshot: ready,
    async search(query) {
      const snapshot = await ready();
      if (!index) return { hits: [], snapshot };
      return { hits: index.search(query, byId), snapshot };
    },
    async read(uri) {
      await ready();
      return index?.text(uri);
    },
    rebuild,
    onListChanged: (listener) => void listeners.add(listener),
    stats: () => ({
      state: current ? (building ? 'rebuilding' : 'ready') : 'building',
      documents: current?.docs.length ?? 0,
      chunks: current?.chunks.size ?? 0,
      skipped_files: skipped,
      refused_files: refused,
      last_built_at: current?.builtAt.toISOString() ?? null,
      build_ms: lastBuildMs,
      last_build: current?.mode ?? null,
      builds,
      database: dbState === 'file' ? index?.store.path ?? null : dbState,
      roots: roots.map((r) => ({ name: r.name, path: r.dir, found: r.found })),
      watching: watcher === undefined ? 'off' : watcher.native ? 'native' : 'polling',
    }),
    close() {
      closed = true;
      if (gcTimer) clearTimeout(gcTimer);
      if (retryTimer) clearTimeout(retryTimer);
      listeners.clear();
      debounced.cancel();
      watcher?.close();
      // A build still running finishes on the open store; close it once that is done.
      const store = index?.store;
      index = undefined;
      void (building ?? Promise.resolve()).finally(() => store?.close());
    },
  };
}
