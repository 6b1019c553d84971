import { z } from 'zod';
import { defineTool, jsonResult } from '../registry/tool.ts';
import type { SearchHit, SearchSnapshot } from '../standards/search-index.ts';

const hitSchema = z.object({
  file: z.string().describe('Path relative to the standards folder it came from'),
  source: z.string().describe('That folder: "standards", or an extra path from .praxis-os/config.json'),
  uri: z.string().describe('MCP resource URI of the whole document'),
  title: z.string(),
  heading_path: z.string().describe('Enclosing headings, e.g. "Testing > Unit tests"'),
  // Two integers, not a tuple: a tuple lists as `prefixItems` + `items: false`, which draft-07
  // validators (the v1 SDK's Ajv, Gemini CLI) read as "no element allowed" (issue 10).
  line_start: z.number().int().describe('First line of the section in the file (1-based)'),
  line_end: z.number().int().describe('Last line of the section in the file (1-based, inclusive)'),
  score: z.number(),
  content: z.string(),
  tags: z.array(z.string()),
  phase: z.union([z.number(), z.string(), z.null()]),
});

/** One hit as the tool returns it: the index's `lines` pair as `line_start` / `line_end`. */
export type ListedHit = z.infer<typeof hitSchema>;

/** A search hit in the tool's output shape. */
export function toListedHit(hit: SearchHit): ListedHit {
  const { file, source, uri, title, heading_path, lines, score, content, tags, phase } = hit;
  return { file, source, uri, title, heading_path, line_start: lines[0], line_end: lines[1], score, content, tags, phase };
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Renders hits for the model: one block per chunk, with where it came from. */
export function renderHits(query: string, hits: readonly ListedHit[], snapshot: SearchSnapshot): string {
  const head = `${plural(hits.length, 'result')} for "${query}" (searched ${plural(snapshot.chunks.size, 'section')} of ${plural(snapshot.docs.length, 'document')})`;
  const blocks = hits.map((h, i) => {
    const meta = [`lines ${h.line_start}-${h.line_end}`, `score ${h.score}`];
    if (h.tags.length > 0) meta.push(`tags: ${h.tags.join(', ')}`);
    if (h.phase !== null) meta.push(`phase: ${h.phase}`);
    return `## ${i + 1}. ${h.file} > ${h.heading_path}\n(${meta.join('; ')}; ${h.uri})\n\n${h.content}`;
  });
  return [head, ...blocks].join('\n\n---\n\n');
}

/** The helpful answer to an empty query or one that matches nothing: what there is to search. */
export function renderMiss(query: string, filtered: boolean, snapshot: SearchSnapshot): string {
  if (snapshot.docs.length === 0) {
    return 'No standards are indexed yet: add Markdown files under .praxis-os/standards/ (or a folder listed in ' +
      '.praxis-os/config.json under standards.extra_paths); they become searchable within a second or two.';
  }
  const titles = snapshot.docs.slice(0, 30).map((d) => `- ${d.title} (${d.root}/${d.file})`);
  const why = query.trim() === ''
    ? 'The query is empty: describe what you need in a few words, e.g. "how to name unit tests".'
    : `Nothing matched "${query}"${filtered ? ' with these filters (try without filter_phase / filter_tags)' : ''}. Try other or fewer words.`;
  return `${why}\n\nDocuments available (${snapshot.docs.length}):\n${titles.join('\n')}${snapshot.docs.length > 30 ? '\n- ...' : ''}`;
}

/** `search_standards`: ranked search over the project's standards, chunked by heading, filtered by phase and tags. */
export const searchStandardsTool = defineTool({
  name: 'search_standards',
  title: 'Search standards',
  description:
    'Searches this project\'s standards (Markdown under .praxis-os/standards/ and configured folders) and returns the ' +
    'best-matching sections, each with its file, heading path, line range, score and text. Use it before deciding how ' +
    'to test, handle errors, structure code, review or commit. Filters: filter_phase (a phase number or name from the ' +
    'documents\' front matter) and filter_tags (documents with at least one of these tags).',
  inputSchema: z.object({
    query: z.string().max(2000).describe('What you want to know, in natural language or keywords'),
    n_results: z.number().int().min(1).max(50).default(5).describe('How many sections to return (1-50, default 5)'),
    filter_phase: z.union([z.number().int(), z.string()]).optional().describe('Only documents of this phase'),
    filter_tags: z.array(z.string()).optional().describe('Only documents carrying at least one of these tags'),
  }),
  outputSchema: z.object({ results: z.array(hitSchema) }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  async handler(args, ctx) {
    if (!ctx.standards) return jsonResult({ results: [] }, 'The standards index is not available in this server.');
    const { hits, snapshot } = await ctx.standards.search({
      query: args.query,
      limit: args.n_results ?? 5,
      phase: args.filter_phase,
      tags: args.filter_tags,
    });
    const filtered = args.filter_phase !== undefined || (args.filter_tags?.length ?? 0) > 0;
    const results = hits.map(toListedHit);
    const text = results.length > 0 ? renderHits(args.query, results, snapshot) : renderMiss(args.query, filtered, snapshot);
    return jsonResult({ results }, text);
  },
});
