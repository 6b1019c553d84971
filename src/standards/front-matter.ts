import { parse } from 'yaml';

/** What a standards document may declare in its YAML front matter. */
export interface DocMeta {
  title: string | null;
  tags: string[];
  /** A number (`phase: 2`) or a name (`phase: planning`). */
  phase: number | string | null;
}

/** A document split into its front matter and its Markdown body. */
export interface FrontMatterResult {
  meta: DocMeta;
  body: string;
  /** 1-based line number of the body's first line in the original file. */
  bodyStartLine: number;
  /** Why the front matter was ignored, when it was (the body is still usable). */
  error?: string;
}

const EMPTY_META: DocMeta = { title: null, tags: [], phase: null };
const OPEN = /^---[ \t]*$/;
const CLOSE = /^(---|\.\.\.)[ \t]*$/;

/** Tags as a clean list: accepts a YAML list or a comma-separated string; drops blanks and duplicates. */
function toTags(value: unknown): string[] {
  const raw = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  const tags = raw.filter((t) => typeof t === 'string' || typeof t === 'number').map((t) => String(t).trim());
  return [...new Set(tags.filter((t) => t !== ''))];
}

function toPhase(value: unknown): number | string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const text = value.trim();
    return /^\d+$/.test(text) ? Number(text) : text;
  }
  return null;
}

/**
 * Splits optional YAML front matter (`---` on the first line, closed by `---` or `...`) from the
 * body. Front matter that is not valid YAML, or not a mapping, is reported in `error` and ignored:
 * the document stays searchable (issue 4: bad files are logged and skipped, never fatal).
 */
export function parseFrontMatter(text: string): FrontMatterResult {
  const lines = text.split('\n');
  if (lines.length === 0 || !OPEN.test(lines[0]!.replace(/\r$/, ''))) {
    return { meta: EMPTY_META, body: text, bodyStartLine: 1 };
  }
  const end = lines.findIndex((line, i) => i > 0 && CLOSE.test(line.replace(/\r$/, '')));
  if (end < 0) {
    // An opening fence with no close is a thematic break, not front matter.
    return { meta: EMPTY_META, body: text, bodyStartLine: 1 };
  }
  const body = lines.slice(end + 1).join('\n');
  const bodyStartLine = end + 2;
  let data: unknown;
  try {
    data = parse(lines.slice(1, end).join('\n'));
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { meta: EMPTY_META, body, bodyStartLine, error: `invalid YAML front matter: ${message}` };
  }
  if (data === null || data === undefined) return { meta: EMPTY_META, body, bodyStartLine };
  if (typeof data !== 'object' || Array.isArray(data)) {
    return { meta: EMPTY_META, body, bodyStartLine, error: 'front matter is not a mapping of keys to values' };
  }
  const record = data as Record<string, unknown>;
  const title = typeof record.title === 'string' && record.title.trim() !== '' ? record.title.trim() : null;
  return { meta: { title, tags: toTags(record.tags), phase: toPhase(record.phase) }, body, bodyStartLine };
}
