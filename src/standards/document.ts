import { type MarkdownChunk, chunkMarkdown } from './chunk.ts';
import { parseFrontMatter } from './front-matter.ts';

/** One parsed standards document. */
export interface StandardsDoc {
  /** The standards folder it came from: `standards`, or an extra path from config.json (`usage`). */
  root: string;
  /** Path relative to that folder, with `/` separators (`testing/unit.md`). */
  file: string;
  /** Stable MCP resource URI, `praxis://standards/testing/unit.md`. */
  uri: string;
  title: string;
  tags: string[];
  phase: number | string | null;
  text: string;
  chunks: MarkdownChunk[];
  /** Why the front matter was ignored, if it was. */
  warning?: string;
}

/** The MCP resource URI of a document: `praxis://<root>/<file>`, each path segment percent-encoded. */
export function resourceUri(root: string, file: string): string {
  const segments = [...root.split('/'), ...file.split('/')].filter((s) => s !== '');
  return new URL(`praxis://${segments.map(encodeURIComponent).join('/')}`).href;
}

/** A readable title from a file name: `error-handling.md` gives `error handling`. */
function titleFromFile(file: string): string {
  const base = file.split('/').at(-1) ?? file;
  return base.replace(/\.(md|markdown)$/i, '').replace(/[-_]+/g, ' ').trim();
}

/** Parses a document's text (front matter, title, chunks). Pure: the caller reads the file. */
export function parseDocument(text: string, root: string, file: string): StandardsDoc {
  const clean = text.replace(/^\uFEFF/, '');
  const fm = parseFrontMatter(clean);
  const chunks = chunkMarkdown(fm.body, { firstLine: fm.bodyStartLine });
  const h1 = /^ {0,3}# +(.+?)[ #]*$/m.exec(fm.body.replace(/```[\s\S]*?```/g, ''))?.[1]?.trim();
  return {
    root,
    file,
    uri: resourceUri(root, file),
    title: fm.meta.title ?? h1 ?? titleFromFile(file),
    tags: fm.meta.tags,
    phase: fm.meta.phase,
    text: clean,
    chunks,
    ...(fm.error ? { warning: fm.error } : {}),
  };
}
