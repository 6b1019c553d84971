/** One searchable piece of a Markdown document. */
export interface MarkdownChunk {
  /** Enclosing headings, outermost first (`['Testing', 'Unit tests']`); empty before any heading. */
  headingPath: string[];
  /** 1-based, inclusive line range in the original file. */
  startLine: number;
  endLine: number;
  content: string;
}

/** Options of `chunkMarkdown`. */
export interface ChunkOptions {
  /** Line number of the text's first line in its file (after front matter). */
  firstLine?: number;
  /** Soft size limit of a chunk in characters; a code fence longer than this stays whole. */
  maxChars?: number;
}

/** The default soft limit: about 500 tokens, enough for a section, small enough to rank sharply. */
export const DEFAULT_MAX_CHUNK_CHARS = 2000;

const HEADING = /^ {0,3}(#{1,6})(?=[ \t]|$)(.*)$/;
const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/** A heading line's level and text, or undefined. `### Foo ###` gives `[3, 'Foo']`. */
export function parseHeading(line: string): [number, string] | undefined {
  const m = HEADING.exec(line);
  if (!m) return undefined;
  const text = m[2]!.trim().replace(/(^|[ \t]+)#+$/, '').trim().replace(/`/g, '').replace(/\*\*|__/g, '');
  return [m[1]!.length, text];
}

/** An atom is a line, or a whole fenced code block, which is never cut. */
interface Atom {
  start: number;
  end: number;
  text: string;
  blank: boolean;
  heading?: [number, string];
}

/** Groups lines into atoms: fenced blocks (to their closing fence, or the end) and single lines. */
function atomsOf(lines: string[]): Atom[] {
  const atoms: Atom[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE_OPEN.exec(lines[i]!);
    if (open && !(open[1]![0] === '`' && open[2]!.includes('`'))) {
      const marker = open[1]!;
      const close = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}[ \\t]*$`);
      let j = i + 1;
      while (j < lines.length && !close.test(lines[j]!)) j++;
      const end = Math.min(j, lines.length - 1);
      atoms.push({ start: i, end, text: lines.slice(i, end + 1).join('\n'), blank: false });
      i = end;
      continue;
    }
    const line = lines[i]!;
    atoms.push({ start: i, end: i, text: line, blank: line.trim() === '', heading: parseHeading(line) });
  }
  return atoms;
}

const hasBody = (atoms: Atom[]) => atoms.some((a) => !a.blank && !a.heading);

/** Splits a section's atoms into pieces under `maxChars`, preferring paragraph breaks. */
function splitSection(atoms: Atom[], maxChars: number): Atom[][] {
  const pieces: Atom[][] = [];
  let current: Atom[] = [];
  let size = 0;
  for (const atom of atoms) {
    // Never leave a heading alone in a piece: cut only after some body text.
    if (size + atom.text.length > maxChars && hasBody(current)) {
      const lastBlank = current.findLastIndex((a, i) => a.blank && hasBody(current.slice(0, i)));
      const cut = lastBlank > 0 ? lastBlank : current.length;
      pieces.push(current.slice(0, cut));
      current = current.slice(cut);
      size = current.reduce((n, a) => n + a.text.length + 1, 0);
    }
    current.push(atom);
    size += atom.text.length + 1;
  }
  pieces.push(current);
  return pieces;
}

/**
 * Splits Markdown into chunks at `#`, `##` and `###` headings (never inside code fences), each
 * carrying its heading path and line range; sections longer than `maxChars` are split further at
 * paragraph breaks, and a code fence is never cut. Blank-only pieces are dropped.
 */
export function chunkMarkdown(text: string, options: ChunkOptions = {}): MarkdownChunk[] {
  const { firstLine = 1, maxChars = DEFAULT_MAX_CHUNK_CHARS } = options;
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  const sections: { path: string[]; atoms: Atom[] }[] = [{ path: [], atoms: [] }];
  const stack: (string | undefined)[] = [];
  for (const atom of atomsOf(lines)) {
    if (atom.heading && atom.heading[0] <= 3) {
      const [level, title] = atom.heading;
      stack.length = level - 1;
      stack[level - 1] = title;
      sections.push({ path: stack.filter((t): t is string => t !== undefined && t !== ''), atoms: [] });
    }
    sections.at(-1)!.atoms.push(atom);
  }
  const chunks: MarkdownChunk[] = [];
  for (const section of sections) {
    // A heading with nothing under it (before its first subsection) adds no chunk of its own.
    if (!hasBody(section.atoms)) continue;
    for (const piece of splitSection(section.atoms, maxChars)) {
      const first = piece.findIndex((a) => !a.blank);
      const last = piece.findLastIndex((a) => !a.blank);
      if (first < 0) continue;
      const kept = piece.slice(first, last + 1);
      chunks.push({
        headingPath: section.path,
        startLine: kept[0]!.start + firstLine,
        endLine: kept.at(-1)!.end + firstLine,
        content: kept.map((a) => a.text).join('\n'),
      });
    }
  }
  return chunks;
}
