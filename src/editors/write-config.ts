// Writing a merged editor config to disk: backup first, then an atomic replace, so that an
// editor reading its file mid-write sees the old or the new document, never half of one.
import { copyFileSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { PraxisError } from '../errors.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import type { EditorConfig } from './editors.ts';
import { mergeEditorConfig } from './merge-config.ts';

/** What `writeEditorConfig` did. */
export interface WriteOutcome {
  kind: 'created' | 'updated' | 'unchanged';
  path: string;
  /** The copy of the previous file, when there was one and it changed. */
  backup?: string;
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Merges `config` into its file. The previous file is copied to `<file>.bak` before it changes.
 * Throws `E_CONFIG` (and touches nothing) when the existing file cannot be parsed.
 */
export async function writeEditorConfig(config: EditorConfig): Promise<WriteOutcome> {
  const existing = readIfExists(config.path);
  const result = mergeEditorConfig(existing, config);
  if (result.kind === 'invalid') {
    throw new PraxisError(
      'E_CONFIG',
      `Cannot update ${config.path}: ${result.reason}. The file was left as it is; fix it (or move it away) and run again, ` +
        `or run without --write and add the printed entry by hand.`,
    );
  }
  if (result.kind === 'unchanged') return { kind: 'unchanged', path: config.path };
  mkdirSync(dirname(config.path), { recursive: true });
  let backup: string | undefined;
  let mode = 0o644;
  if (existing !== undefined) {
    backup = `${config.path}.bak`;
    copyFileSync(config.path, backup);
    mode = statSync(config.path).mode & 0o777;
  }
  await writeFileAtomic(config.path, result.text, { mode });
  return { kind: result.kind, path: config.path, ...(backup ? { backup } : {}) };
}
