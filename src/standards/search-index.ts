import MiniSearch from 'minisearch';
import type { MarkdownChunk } from './chunk.ts';
import type { StandardsDoc } from './document.ts';
import { fuzzyFor, prefixFor, processTerm } from './terms.ts';

/** An immutable, fully built index: queries only ever see one of these, never one under construction. */
export interface SearchSnapshot {
  readonly docs: readonly StandardsDoc[];
  readonly chunks: readonly { doc: StandardsDoc; chunk: MarkdownChunk }[];
  readonly byUri: ReadonlyMap<string, StandardsDoc>;
  readonly engine: MiniSearch<IndexedFields>;
  readonly builtAt: Date;
  readonly buildMs: number;
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

/** Builds a snapshot from parsed documents, yielding to the event loop between batches so queries keep being served. */
export async function buildSnapshot(docs: readonly StandardsDoc[], now: () => Date = () => new Date()): Promise<SearchSnapshot> {
  const started = performance.now();
  const engine = new MiniSearch<IndexedFields>({
    fields: FIELDS,
    processTerm,
    searchOptions: { boost: { ...FIELD_BOOSTS }, prefix: prefixFor, fuzzy: fuzzyFor, maxFuzzy: 2, combineWith: 'OR' },
  });
  const chunks: { doc: StandardsDoc; chunk: MarkdownChunk }[] = [];
  const rows: IndexedFields[] = [];
  for (const doc of docs) {
    for (const chunk of doc.chunks) {
      rows.push({
        id: chunks.length,
        title: doc.title,
        headings: chunk.headingPath.join(' '),
        tags: doc.tags.join(' '),
        path: doc.file.replace(/\.(md|markdown)$/i, '').replace(/[/_.-]+/g, ' '),
        content: chunk.content,
      });
      chunks.push({ doc, chunk });
    }
  }
  await engine.addAllAsync(rows, { chunkSize: 500 });
  return {
    docs,
    chunks,
    byUri: new Map(docs.map((d) => [d.uri, d])),
    engine,
    builtAt: now(),
    buildMs: Math.round((performance.now() - started) * 10) / 10,
  };
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
    filter: (r) => matchesFilters(snapshot.chunks[r.id as number]!.doc, query),
  });
  return results.slice(0, query.limit).map((r) => {
    const { doc, chunk } = snapshot.chunks[r.id as number]!;
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
