import type { Dirent } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Refusal, resolveInside } from '../fs/confine.ts';
import { type StandardsDoc, parseDocument } from './document.ts';
import type { StandardsRoot } from './roots.ts';

/** The file operations the corpus loader needs; tests swap them to simulate unreadable files. */
export interface CorpusFs {
  readdir(dir: string): Promise<Dirent[]>;
  readFile(path: string): Promise<Uint8Array>;
  stat(path: string): Promise<{ isFile(): boolean; isDirectory(): boolean; size: number; mtimeMs?: number }>;
}

const realFs: CorpusFs = {
  readdir: (dir) => readdir(dir, { withFileTypes: true }),
  readFile: (path) => readFile(path),
  stat: (path) => stat(path),
};

/** A file that was not indexed, and why. */
export interface SkippedFile {
  path: string;
  reason: string;
}

/** Everything one load found. */
export interface Corpus {
  docs: StandardsDoc[];
  skipped: SkippedFile[];
  /** Roots that do not exist (reported, not fatal). */
  missing: string[];
  /** Documents indexed whose front matter was ignored. */
  warnings: SkippedFile[];
  /** Files (or roots) not read because their real path leaves the project (issue 11). */
  refused: Refusal[];
  /** Every file indexed, in order: read and parsed (`doc`), or left unread because `reuse` said it is unchanged. */
  files: CorpusFile[];
}

/** A file the corpus holds. */
export interface CorpusFile {
  /** Absolute path. */
  path: string;
  root: string;
  /** Path relative to the root. */
  file: string;
  size: number;
  mtimeMs: number;
  /** Absent when the file was not read (unchanged since it was indexed), or read and found as indexed (`verified`). */
  doc?: StandardsDoc;
  /** Read (its mtime was too recent to trust) and its text is the indexed text: not parsed again. */
  verified?: boolean;
}

/** Says whether a file is unchanged since it was indexed, so it need not be read again. */
export type ReuseCheck = (file: Omit<CorpusFile, 'doc'>) => boolean;

/** Says whether a file's text (just read) is the text indexed for it, so it need not be parsed again. */
export type SameTextCheck = (file: Omit<CorpusFile, 'doc'>, text: string) => boolean;

/** Parsed documents by absolute path, reused while the text is unchanged. */
export type ParseCache = Map<string, StandardsDoc>;

/** Files larger than this are not standards documents but junk (a log, a dump) that would bloat the index. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
const MARKDOWN = /\.(md|markdown)$/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Lists Markdown files under `dir`, sorted, skipping hidden folders and node_modules. Follows file
 * symlinks, not folder ones (no cycles), and adds the file symlinks to `links`: every folder on the
 * way is then a real folder, so only the root and the links need their real paths checked.
 */
async function walk(dir: string, fs: CorpusFs, rel = '', links = new Set<string>()): Promise<string[]> {
  const entries = (await fs.readdir(join(dir, rel))).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) files.push(...(await walk(dir, fs, path, links).catch(() => [])));
    else if ((entry.isFile() || entry.isSymbolicLink()) && MARKDOWN.test(entry.name)) {
      files.push(path);
      if (entry.isSymbolicLink()) links.add(path);
    }
  }
  return files;
}

/** Decodes a file as UTF-8 text, or says why it is not a text document. */
function decode(bytes: Uint8Array): string | { reason: string } {
  if (bytes.length > MAX_FILE_BYTES) return { reason: `larger than ${MAX_FILE_BYTES} bytes` };
  if (bytes.subarray(0, 8192).includes(0)) return { reason: 'binary content (NUL bytes)' };
  try {
    return utf8.decode(bytes);
  } catch {
    return { reason: 'not valid UTF-8 text' };
  }
}

/**
 * Reads every Markdown file under the roots into parsed documents. A missing root, an unreadable
 * or binary file is recorded and skipped, never thrown (issue 4): one bad file must not hide the rest.
 */
export async function loadCorpus(
  roots: readonly StandardsRoot[],
  cache: ParseCache = new Map(),
  fs: CorpusFs = realFs,
  reuse?: ReuseCheck,
  sameText?: SameTextCheck,
): Promise<Corpus> {
  const corpus: Corpus = { docs: [], skipped: [], missing: [], warnings: [], refused: [], files: [] };
  const seen = new Set<string>();
  for (const root of roots) {
    let files: string[];
    const links = new Set<string>();
    // A root that leads out of the project (a symlinked folder) is refused whole, before listing it.
    const rootCheck = root.within === undefined ? undefined : resolveInside(root.within, root.dir);
    if (rootCheck && !rootCheck.ok && rootCheck.reason === 'outside') {
      corpus.refused.push(rootCheck);
      continue;
    }
    try {
      if (!(await fs.stat(root.dir)).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
      files = await walk(root.dir, fs, '', links);
    } catch (error) {
      corpus.missing.push(`${root.dir} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
      continue;
    }
    for (const file of files) {
      const path = join(root.dir, file);
      seen.add(path);
      // A link is read at its real path, and only if that is inside the project: a `*.md` link to
      // /etc/shadow or ~/.aws/credentials must never become a served document (issue 11).
      let real = path;
      // Plain files under a root inside the project are inside (the walk never enters folder links).
      if (root.within !== undefined && links.has(file)) {
        const checked = resolveInside(root.within, path);
        if (!checked.ok && checked.reason === 'outside') {
          corpus.refused.push(checked);
          cache.delete(path);
          continue;
        }
        if (checked.ok) real = checked.real;
      }
      let text: string | { reason: string };
      let meta: Omit<CorpusFile, 'doc'>;
      try {
        const info = await fs.stat(real);
        if (!info.isFile()) continue;
        meta = { path, root: root.name, file, size: info.size, mtimeMs: info.mtimeMs ?? 0 };
        if (reuse?.(meta)) {
          corpus.files.push(meta);
          continue;
        }
        text = info.size > MAX_FILE_BYTES ? { reason: `larger than ${MAX_FILE_BYTES} bytes` } : decode(await fs.readFile(real));
      } catch (error) {
        text = { reason: `unreadable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
        meta = { path, root: root.name, file, size: 0, mtimeMs: 0 };
      }
      if (typeof text !== 'string') {
        corpus.skipped.push({ path, reason: text.reason });
        cache.delete(path);
        continue;
      }
      if (sameText?.(meta, text)) {
        corpus.files.push({ ...meta, verified: true });
        continue;
      }
      let doc = cache.get(path);
      if (!doc || doc.text !== text.replace(/^\uFEFF/, '') || doc.root !== root.name) {
        doc = parseDocument(text, root.name, file);
        cache.set(path, doc);
      }
      if (doc.warning) corpus.warnings.push({ path, reason: doc.warning });
      corpus.docs.push(doc);
      corpus.files.push({ ...meta, doc });
    }
  }
  for (const path of cache.keys()) if (!seen.has(path)) cache.delete(path);
  return corpus;
}
