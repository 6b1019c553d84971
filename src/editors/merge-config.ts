// Merging our server entry into an editor's existing MCP config, as a pure function on text:
// other servers and unknown keys stay as they were; anything we cannot parse is left alone.
import type { EditorConfig } from './editors.ts';

/** The outcome of a merge: new text, "already there", or why the file must be left alone. */
export type MergeResult =
  | { kind: 'created'; text: string }
  | { kind: 'updated'; text: string }
  | { kind: 'unchanged'; text: string }
  | { kind: 'invalid'; reason: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The text of a JSON document the way editors write theirs: two-space indent, final newline. */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * Merges `config`'s entry into `existing` (undefined: no file yet). Empty or whitespace-only text
 * counts as an empty document. Invalid JSON, a non-object root, or a non-object servers key is
 * `invalid`: the caller reports it and writes nothing, because rewriting would lose the user's text.
 */
export function mergeEditorConfig(existing: string | undefined, config: EditorConfig): MergeResult {
  if (existing === undefined || existing.trim() === '') {
    const text = formatJson({ [config.serversKey]: { [config.serverName]: config.entry } });
    return { kind: existing === undefined ? 'created' : 'updated', text };
  }
  let root: unknown;
  try {
    root = JSON.parse(existing.replace(/^\uFEFF/, ''));
  } catch (error) {
    return { kind: 'invalid', reason: `not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  if (!isObject(root)) return { kind: 'invalid', reason: 'the top level is not a JSON object' };
  const servers = root[config.serversKey] ?? {};
  if (!isObject(servers)) return { kind: 'invalid', reason: `"${config.serversKey}" is not a JSON object` };
  const previous = servers[config.serverName];
  // Keep the user's own keys of an existing entry (env, disabled, autoApprove...), replace ours.
  const entry = isObject(previous) ? { ...previous, ...config.entry } : config.entry;
  if (JSON.stringify(previous) === JSON.stringify(entry)) return { kind: 'unchanged', text: existing };
  const merged = { ...root, [config.serversKey]: { ...servers, [config.serverName]: entry } };
  return { kind: 'updated', text: formatJson(merged) };
}
