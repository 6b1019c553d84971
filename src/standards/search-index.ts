import MiniSearch from 'minisearch';
import type { MarkdownChunk } from './chunk.ts';
import type { StandardsDoc } from './document.ts';
import { fuzzyFor, prefixFor, processTerm } from './terms.ts';

/** A chunk and the document it belongs to. */
export interface IndexedChunk {
  doc: StandardsDoc;
  chunk: MarkdownChunk;
}

/**
 * One consistent state of the index. A query always reads the latest snapshot in one synchronous
 * step, so it sees either the state before a change or the state after it, never a mix.
 */
export interface SearchSnapshot {
  readonly docs: readonly StandardsDoc[];
  readonly chunks: ReadonlyMap<number, IndexedChunk>;
  readonly idsByDoc: ReadonlyMap<StandardsDoc, readonly number[]>;
  readonly byUri: ReadonlyMap<string, StandardsDoc>;
  /** Shared with the snapshot's successor when it was updated in place; only the latest snapshot may be searched. */
  readonly engine: MiniSearch<IndexedFields>;
  readonly nextId: number;
  readonly builtAt: Date;
  /** Time to build (full) or update (incremental) the index, excluding reading files. */
  readonly buildMs: number;
  readonly mode: 'full' | 'incremental';
}

interface IndexedFields {
  id: number;
  title: string;
  headings: string;
  tags: string;
  path: string;
  content: string;
}

/** A query with the tool's filters. */
export interface SearchQuery {
  query: string;
  limit: number;
  /** Keep chunks of documents in this phase (a number or a name; `2` matches `"2"`). */
  phase?: number | string | undefined;
  /** Keep chunks of documents carrying at least one of these tags (case-insensitive). */
  tags?: readonly string[] | undefined;
}

/** One ranked chunk, shaped as the tool's structured output. */
export interface SearchHit {
  file: string;
  source: string;
  uri: string;
  title: string;
  heading_path: string;
  lines: [number, number];
  score: number;
  content: string;
  tags: string[];
  phase: number | string | null;
}

/** Field weights: a word in a heading or title says more about a chunk than the same word in its body. */
export const FIELD_BOOSTS = { title: 2, headings: 3, tags: 1.5, path: 1, content: 1 } as const;

const FIELDS = Object.keys(FIELD_BOOSTS);

function rowsOf(doc: StandardsDoc, firstId: number): IndexedFields[] {
  return doc.chunks.map((chunk, i) => ({
    id: firstId + i,
    title: doc.title,
    headings: chunk.headingPath.join(' '),
    tags: doc.tags.join(' '),
    path: doc.file.replace(/\.(md|markdown)$/i, '').replace(/[/_.-]+/g, ' '),
    content: chunk.content,
  }));
}

function newEngine(): MiniSearch<IndexedFields> {
  return new MiniSearch<IndexedFields>({
    fields: FIELDS,
    processTerm,
    searchOptions: { boost: { ...FIELD_BOOSTS }, prefix: prefixFor, fuzzy: fuzzyFor, maxFuzzy: 2, combineWith: 'OR' },
  });
}

/** Builds a snapshot from scratch with a new engine, yielding to the event loop between batches so queries keep being served from the old one. */
export async function buildSnapshot(docs: readonly StandardsDoc[], now: () => Date = () => new Date()): Promise<SearchSnapshot> {
  const started = performance.now();
  const engine = newEngine();
  const chunks = new Map<number, IndexedChunk>();
  const idsByDoc = new Map<StandardsDoc, number[]>();
  const rows: IndexedFields[] = [];
  for (const doc of docs) {
    const docRows = rowsOf(doc, rows.length);
    idsByDoc.set(doc, docRows.map((r) => r.id));
    doc.chunks.forEach((chunk, i) => chunks.set(docRows[i]!.id, { doc, chunk }));
    rows.push(...docRows);
  }
  await engine.addAllAsync(rows, { chunkSize: 500 });
  const buildMs = Math.round((performance.now() - started) * 10) / 10;
  return { docs, chunks, idsByDoc, byUri: new Map(docs.map((d) => [d.uri, d])), engine, nextId: rows.length, builtAt: now(), buildMs, mode: 'full' };
}

/** How many chunks an update from `prev` to `docs` would remove and add (documents are compared by identity). */
export function changedChunks(prev: SearchSnapshot, docs: readonly StandardsDoc[]): number {
  const next = new Set(docs);
  let n = 0;
  for (const doc of prev.docs) if (!next.has(doc)) n += doc.chunks.length;
  for (const doc of docs) if (!prev.idsByDoc.has(doc)) n += doc.chunks.length;
  return n;
}

/**
 * Updates `prev`'s engine in place for the documents that changed, synchronously, and returns the
 * successor snapshot. Nothing else runs between the first and the last change, so no query sees a
 * partial update; `prev` must not be searched afterwards. Keeps change-to-searchable in
 * milliseconds on large corpora, where a full build takes seconds (see bench/standards.bench.ts).
 */
export function updateSnapshot(prev: SearchSnapshot, docs: readonly StandardsDoc[], now: () => Date = () => new Date()): SearchSnapshot {
  const started = performance.now();
  const next = new Set(docs);
  const chunks = new Map(prev.chunks);
  const idsByDoc = new Map(prev.idsByDoc);
  for (const doc of prev.docs) {
    if (next.has(doc)) continue;
    const ids = idsByDoc.get(doc) ?? [];
    prev.engine.discardAll(ids);
    for (const id of ids) chunks.delete(id);
    idsByDoc.delete(doc);
  }
  let nextId = prev.nextId;
  for (const doc of docs) {
    if (idsByDoc.has(doc)) continue;
    const rows = rowsOf(doc, nextId);
    nextId += rows.length;
    prev.engine.addAll(rows);
    idsByDoc.set(doc, rows.map((r) => r.id));
    doc.chunks.forEach((chunk, i) => chunks.set(rows[i]!.id, { doc, chunk }));
  }
  const buildMs = Math.round((performance.now() - started) * 10) / 10;
  return { docs, chunks, idsByDoc, byUri: new Map(docs.map((d) => [d.uri, d])), engine: prev.engine, nextId, builtAt: now(), buildMs, mode: 'incremental' };
}

const norm = (value: unknown) => String(value).trim().toLowerCase();

/** Whether a document passes the phase and tag filters. */
export function matchesFilters(doc: StandardsDoc, query: Pick<SearchQuery, 'phase' | 'tags'>): boolean {
  if (query.phase !== undefined && (doc.phase === null || norm(doc.phase) !== norm(query.phase))) return false;
  if (query.tags && query.tags.length > 0) {
    const have = new Set(doc.tags.map(norm));
    if (!query.tags.some((t) => have.has(norm(t)))) return false;
  }
  return true;
}

/** Runs a query against a snapshot: ranked, filtered, at most `limit` hits. Deterministic for a given snapshot. */
export function searchSnapshot(snapshot: SearchSnapshot, query: SearchQuery): SearchHit[] {
  if (query.query.trim() === '') return [];
  const results = snapshot.engine.search(query.query, {
    filter: (r) => matchesFilters(snapshot.chunks.get(r.id as number)!.doc, query),
  });
  return results.slice(0, query.limit).map((r) => {
    const { doc, chunk } = snapshot.chunks.get(r.id as number)!;
    return {
      file: doc.file,
      source: doc.root,
      uri: doc.uri,
      title: doc.title,
      heading_path: chunk.headingPath.length > 0 ? chunk.headingPath.join(' > ') : doc.title,
      lines: [chunk.startLine, chunk.endLine],
      score: Math.round(r.score * 1000) / 1000,
      content: chunk.content,
      tags: [...doc.tags],
      phase: doc.phase,
    };
  });
}
