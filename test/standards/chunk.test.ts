// chunkMarkdown and parseFrontMatter edge cases, as tables (issue 4).
import { describe, expect, test } from 'bun:test';
import { chunkMarkdown, parseHeading } from '../../src/standards/chunk.ts';
import { parseDocument, resourceUri } from '../../src/standards/document.ts';
import { parseFrontMatter } from '../../src/standards/front-matter.ts';

/** Chunks as [heading path, start, end] triples, for compact tables. */
const shape = (text: string, maxChars?: number) =>
  chunkMarkdown(text, { maxChars }).map((c) => [c.headingPath.join(' > '), c.startLine, c.endLine]);

describe('chunkMarkdown', () => {
  test.each([
    ['empty text', '', []],
    ['only blank lines', '\n\n\n', []],
    ['text without headings', 'one\ntwo', [['', 1, 2]]],
    ['intro before the first heading', 'intro\n## A\nbody', [['', 1, 1], ['A', 2, 3]]],
    ['h1 > h2 > h3 paths', '# T\nt\n## A\na\n### B\nb', [['T', 1, 2], ['T > A', 3, 4], ['T > A > B', 5, 6]]],
    ['a new h2 closes the previous h3', '## A\n### B\nb\n## C\nc', [['A > B', 2, 3], ['C', 4, 5]]],
    ['a heading with no body makes no chunk', '## A\n\n## B\nb', [['B', 3, 4]]],
    ['h4 does not split', '## A\na\n#### D\nd', [['A', 1, 4]]],
    ['#hashtag is not a heading', '## A\n#tag\ntext', [['A', 1, 3]]],
    ['heading inside a ``` fence is not a heading', '## A\n```\n## no\n```\nx', [['A', 1, 5]]],
    ['heading inside a ~~~ fence is not a heading', '## A\n~~~md\n## no\n~~~\n', [['A', 1, 4]]],
    ['a longer closing fence closes', '## A\n```\n## no\n`````\n## B\nb', [['A', 1, 4], ['B', 5, 6]]],
    ['a shorter fence does not close a longer one', '## A\n````\n```\n## no\n````\n## B\nb', [['A', 1, 5], ['B', 6, 7]]],
    ['an unclosed fence runs to the end', '## A\n```\n## no\nstill code', [['A', 1, 4]]],
    ['indented 4 spaces is not a heading', '## A\n    ## code\nx', [['A', 1, 3]]],
    ['CRLF line endings', '## A\r\na\r\n## B\r\nb', [['A', 1, 2], ['B', 3, 4]]],
    ['leading and trailing blank lines are trimmed from ranges', '\n\n## A\n\na\n\n\n', [['A', 3, 5]]],
  ] as const)('%s', (_name, text, expected) => {
    expect(shape(text)).toEqual(expected as unknown as (string | number)[][]);
  });

  test('a long section is split at paragraph breaks, each piece under the limit, keeping its heading path', () => {
    const para = (n: number) => `paragraph ${n} ${'word '.repeat(30)}`.trim();
    const text = ['## Long', '', ...Array.from({ length: 12 }, (_, i) => [para(i), '']).flat()].join('\n');
    const chunks = chunkMarkdown(text, { maxChars: 500 });
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) {
      expect(c.headingPath).toEqual(['Long']);
      expect(c.content.length).toBeLessThanOrEqual(500);
      expect(c.content.startsWith('paragraph') || c.content.startsWith('## Long')).toBe(true);
    }
    // Ranges tile the section in order without overlap.
    for (let i = 1; i < chunks.length; i++) expect(chunks[i]!.startLine).toBeGreaterThan(chunks[i - 1]!.endLine);
  });

  test('a code fence longer than the limit is never cut, and a heading never stands alone', () => {
    const fence = ['```ts', ...Array.from({ length: 100 }, (_, i) => `const x${i} = ${i}; // filler filler filler`), '```'];
    const text = ['## Code', 'intro', '', ...fence, '', 'after'].join('\n');
    const chunks = chunkMarkdown(text, { maxChars: 300 });
    const withFence = chunks.filter((c) => c.content.includes('```'));
    expect(withFence.length).toBe(1);
    expect(withFence[0]!.content).toContain(fence.join('\n'));
    expect(chunks.every((c) => c.content.trim() !== '## Code')).toBe(true);
  });

  test('firstLine offsets ranges (front matter above the body)', () => {
    expect(chunkMarkdown('## A\na', { firstLine: 5 }).map((c) => [c.startLine, c.endLine])).toEqual([[5, 6]]);
  });
});

describe('parseHeading', () => {
  test.each([
    ['## Title', [2, 'Title']],
    ['###   Spaced   ', [3, 'Spaced']],
    ['## Closing hashes ##', [2, 'Closing hashes']],
    ['## `code` and **bold**', [2, 'code and bold']],
    ['   # Indented three', [1, 'Indented three']],
    ['##', [2, '']],
    ['##nospace', undefined],
    ['####### seven', undefined],
  ] as const)('%p', (line, expected) => {
    expect(parseHeading(line)).toEqual(expected as never);
  });
});

describe('parseFrontMatter', () => {
  test.each([
    ['no front matter', '# T\nbody', { title: null, tags: [], phase: null }, 1, undefined],
    ['title, tag list, numeric phase', '---\ntitle: X\ntags: [a, b]\nphase: 2\n---\nbody', { title: 'X', tags: ['a', 'b'], phase: 2 }, 6, undefined],
    ['comma-separated tags, named phase', '---\ntags: a, b ,a\nphase: planning\n---\n', { title: null, tags: ['a', 'b'], phase: 'planning' }, 5, undefined],
    ['phase as a quoted number', '---\nphase: "3"\n---\n', { title: null, tags: [], phase: 3 }, 4, undefined],
    ['empty front matter', '---\n---\nbody', { title: null, tags: [], phase: null }, 3, undefined],
    ['closed with ...', '---\ntitle: Y\n...\nbody', { title: 'Y', tags: [], phase: null }, 4, undefined],
    ['CRLF', '---\r\ntitle: Z\r\n---\r\nbody', { title: 'Z', tags: [], phase: null }, 4, undefined],
    ['unclosed: not front matter', '---\ntitle: X\nbody', { title: null, tags: [], phase: null }, 1, undefined],
    ['invalid YAML is reported and ignored', '---\ntags: [a, b\n---\nbody', { title: null, tags: [], phase: null }, 4, 'invalid YAML'],
    ['a scalar is reported and ignored', '---\njust text\n---\nbody', { title: null, tags: [], phase: null }, 4, 'not a mapping'],
    ['wrong types are dropped', '---\ntitle: 5\ntags: {a: 1}\nphase: [1]\n---\n', { title: null, tags: [], phase: null }, 6, undefined],
  ] as const)('%s', (_name, text, meta, bodyStartLine, error) => {
    const result = parseFrontMatter(text);
    expect(result.meta).toEqual(meta as never);
    expect(result.bodyStartLine).toBe(bodyStartLine);
    if (error) expect(result.error).toContain(error);
    else expect(result.error).toBeUndefined();
  });
});

describe('parseDocument', () => {
  test.each([
    ['front matter title wins', '---\ntitle: From FM\n---\n# From H1\nx', 'From FM'],
    ['else the first H1', '# From H1\nx', 'From H1'],
    ['else the file name', 'no heading', 'error handling'],
    ['an H1 inside a code fence does not count', '```\n# not it\n```\n', 'error handling'],
  ])('title: %s', (_name, text, title) => {
    expect(parseDocument(text, 'standards', 'sub/error-handling.md').title).toBe(title);
  });

  test('line ranges count the front matter and a BOM is dropped', () => {
    const doc = parseDocument('\uFEFF---\ntags: [t]\n---\n## A\nbody', 'standards', 'a.md');
    expect(doc.chunks.map((c) => [c.startLine, c.endLine])).toEqual([[4, 5]]);
    expect(doc.text.startsWith('---')).toBe(true);
  });

  test.each([
    ['standards', 'testing.md', 'praxis://standards/testing.md'],
    ['standards', 'a b/c#d.md', 'praxis://standards/a%20b/c%23d.md'],
    ['docs/guides', 'x.md', 'praxis://docs/guides/x.md'],
  ])('resourceUri(%p, %p)', (root, file, uri) => {
    expect(resourceUri(root, file)).toBe(uri);
    expect(new URL(uri).href).toBe(uri);
  });
});
