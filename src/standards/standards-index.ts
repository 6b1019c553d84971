import { messageOf } from '../errors.ts';
import { describeRefusal } from '../fs/confine.ts';
import type { Logger } from '../log.ts';
import type { CorpusFs, ParseCache } from './corpus.ts';
import { createDebouncer } from './debounce.ts';
import { readRoots } from './roots.ts';
import type { SearchHit, SearchQuery, SearchSnapshot } from './search-index.ts';
import { type RootsWatcher, watchRoots } from './watch.ts';

// The indexing code (YAML, MiniSearch, the stemmer) is loaded by the first build, after the state
// file is written: evaluating it up front costs about 3.5 ms of start-up (a compiled hello binary
// importing them starts in 8.0 ms instead of 4.6), against a 40 ms budget. A dynamic import stays
// lazy in a `bun build --compile` bundle (verified the same way).
const loadEngine = async () => ({ ...(await import('./corpus.ts')), ...(await import('./search-index.ts')) });
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
  /** Up to this many changed chunks are applied in place; more rebuild aside. */
  maxIncremental?: number;
}

/** What resources/list shows of a snapshot, apart from sizes: the documents' URIs and titles. */
const listSignature = (snapshot: SearchSnapshot) => snapshot.docs.map((d) => `${d.uri}\t${d.title}`).join('\n');

/**
 * Builds the index aside and swaps it in whole, so a query sees either the old or the new
 * snapshot, never a half-built one. Rebuilds are single-flight: changes arriving during a build
 * cause exactly one more build after it.
 */
export function createStandardsIndex(options: StandardsIndexOptions): StandardsIndex {
  const { projectRoot, praxisDir, log, now = () => new Date(), quietMs = 75, maxWaitMs = 750, maxIncremental = 1000 } = options;
  const cache: ParseCache = new Map();
  const reported = new Set<string>();
  let current: SearchSnapshot | undefined;
  let engine: Engine | undefined;
  let lastBuildMs = 0;
  let builds = 0;
  let skipped = 0;
  let refused = 0;
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

  const buildOnce = async (reason: string): Promise<SearchSnapshot> => {
    const started = performance.now();
    const seen = new Set<string>();
    const found = await readRoots(projectRoot, praxisDir);
    for (const w of found.warnings) report('warn', `standards: ${w}`, seen);
    for (const r of found.refused) report('warn', `standards: ${describeRefusal(r, projectRoot)}`, seen);
    watcher?.sync(found.roots);
    const { loadCorpus, changedChunks, updateSnapshot, buildSnapshot } = (engine ??= await loadEngine());
    const corpus = await loadCorpus(found.roots, cache, options.fs);
    for (const m of corpus.missing) report('info', `standards: folder ${m} not found; nothing indexed from it`, seen);
    for (const s of corpus.skipped) report('warn', `standards: skipped ${s.path}: ${s.reason}`, seen);
    for (const w of corpus.warnings) report('warn', `standards: ${w.path}: ${w.reason}; indexed without it`, seen);
    for (const r of corpus.refused) report('warn', `standards: ${describeRefusal(r, projectRoot)}`, seen);
    reported.clear();
    for (const m of seen) reported.add(m);
    // Few changed chunks: update the live engine in one synchronous step. Many (first build, a
    // checkout): build a new engine aside while queries use the old one, then swap.
    const snapshot =
      current && changedChunks(current, corpus.docs) <= maxIncremental
        ? updateSnapshot(current, corpus.docs, now)
        : await buildSnapshot(corpus.docs, now);
    const listBefore = current && listSignature(current);
    current = snapshot;
    if (listBefore !== undefined && listBefore !== listSignature(snapshot)) for (const listener of listeners) listener();
    lastBuildMs = Math.round((performance.now() - started) * 10) / 10;
    builds++;
    skipped = corpus.skipped.length;
    refused = new Set([...found.refused, ...corpus.refused].map((r) => r.path)).size;
    roots = found.roots.map((r) => ({ ...r, found: !corpus.missing.some((m) => m.startsWith(`${r.dir} (`)) }));
    // The first build is news to a person reading the log; the rebuilds after it are routine.
    log[builds === 1 ? 'info' : 'debug'](
      `standards: indexed ${snapshot.docs.length} documents, ${snapshot.chunks.size} chunks in ${lastBuildMs} ms (${snapshot.mode}; ${reason})`,
    );
    return snapshot;
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
          snapshot = await buildOnce(reason);
        } catch (error) {
          // Keep serving the last good snapshot; a first build that fails serves an empty one.
          log.error(`standards: index build failed: ${messageOf(error)}`);
          snapshot = current ?? (await (engine ??= await loadEngine()).buildSnapshot([], now));
          current ??= snapshot;
        }
        reason = 'changes during the previous build';
      } while (again && !closed);
      resolveFirst(snapshot);
      return snapshot;
    })().finally(() => (building = undefined));
    return building;
  };

  const debounced = createDebouncer(() => void rebuild('files changed'), quietMs, maxWaitMs);
  const watcher: RootsWatcher | undefined =
    options.watch === false
      ? undefined
      : watchRoots(praxisDir, { onChange: () => debounced.trigger(), onError: (m) => log.debug(`standards: ${m}`) });

  return {
    start: () => void rebuild('start'),
    snapshot: () => (current ? Promise.resolve(current) : first),
    async search(query) {
      if (!current) await first;
      // Read `current` after the await and search it in the same synchronous step (see updateSnapshot).
      const snapshot = current!;
      return { hits: engine!.searchSnapshot(snapshot, query), snapshot };
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
      roots: roots.map((r) => ({ name: r.name, path: r.dir, found: r.found })),
      watching: watcher === undefined ? 'off' : watcher.native ? 'native' : 'polling',
    }),
    close() {
      closed = true;
      listeners.clear();
      debounced.cancel();
      watcher?.close();
    },
  };
}
