// The content hash of a workflow folder: a session pins it and warns when files change under it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { walkFiles } from '../_walk.ts';

/** Folders bigger than this are refused: a definition is a few dozen small files. */
export const MAX_DEFINITION_FILES = 2_000;
/** Files bigger than this are not read as part of a definition. */
export const MAX_DEFINITION_FILE_BYTES = 1024 * 1024;

/** The hash of a folder and the files it could not include. */
export interface FolderHash {
  /** `sha256:<hex>` over every file's relative path and content, in path order. */
  hash: string;
  /** Relative paths of links that lead outside the project (named in the hash, never read). */
  escaped: string[];
  /** Relative paths of files over the size limit (named with their size, not read). */
  oversized: string[];
  truncated: boolean;
}

/** Hashes every file under `dir` (absolute, real, inside the real `root`). */
export function hashFolder(root: string, dir: string): FolderHash {
  const { files, truncated } = walkFiles(root, dir, { maxFiles: MAX_DEFINITION_FILES, skipDirs: [] });
  const hash = createHash('sha256');
  const escaped: string[] = [];
  const oversized: string[] = [];
  for (const file of files) {
    hash.update(`${file.rel}\0`);
    if (file.escaped) {
      escaped.push(file.rel);
      hash.update('escaped\0');
    } else if (file.size > MAX_DEFINITION_FILE_BYTES) {
      oversized.push(file.rel);
      hash.update(`oversized ${file.size}\0`);
    } else {
      const content = readFileSync(file.path);
      hash.update(`${content.length}\0`);
      hash.update(content);
    }
  }
  return { hash: `sha256:${hash.digest('hex')}`, escaped, oversized, truncated };
}
