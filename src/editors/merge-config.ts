// Merging our server entry into an editor's existing MCP config, as a pure function on text.
// Editors write JSON with comments and trailing commas (VS Code's mcp.json is JSONC), so the file is
// read with jsonc-parser and changed by edits at the places that change: comments, other servers,
// unknown keys and the user's layout stay as they were (issue 10). Anything we cannot parse is
// left alone.
import { type FormattingOptions, type ParseError, applyEdits, format, modify, parse, printParseErrorCode } from 'jsonc-parser';
import type { EditorConfig } from './editors.ts';

/** The outcome of a merge: new text, "already there", or why the file must be left alone. */
export type MergeResult =
  | { kind: 'created'; text: string }
  | { kind: 'updated'; text: string }
  | { kind: 'unchanged'; text: string }
  | { kind: 'invalid'; reason: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// The keys that say how to launch us: always ours. Other keys of our entry (env, disabled,
// autoApprove) are defaults, set only where the user has not set them.
const LAUNCH_KEYS = new Set(['type', 'command', 'args']);

/** The text of a JSON document the way editors write theirs: two-space indent, final newline. */
export function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The file's own indentation and line ends, so that what we insert looks like the rest. */
function formattingOf(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /^([ \t]+)\S/m.exec(text)?.[1];
  if (indent?.startsWith('\t')) return { insertSpaces: false, tabSize: 1, eol };
  return { insertSpaces: true, tabSize: indent?.length ?? 2, eol };
}

/** Sets `path` to `value` in `text`, formatting only what was inserted (never the user's lines). */
function setValue(text: string, path: string[], value: unknown, options: FormattingOptions): string {
  const edits = modify(text, path, value, {});
  let out = applyEdits(text, edits);
  let shift = 0;
  for (const edit of [...edits].sort((a, b) => a.offset - b.offset)) {
    // Widen to the opening brace or comma before, and the closing brace after, so that line
    // breaks around the inserted text follow the formatting too.
    let start = edit.offset + shift;
    while (start > 0 && /\s/.test(out[start - 1]!)) start--;
    if (start > 0 && /[{[,]/.test(out[start - 1]!)) start--;
    let end = edit.offset + shift + edit.content.length;
    while (end < out.length && /[ \t\r\n]/.test(out[end]!)) end++;
    if (/[}\]]/.test(out[end] ?? '')) end++;
    out = applyEdits(out, format(out, { offset: start, length: end - start }, options));
    shift = out.length - text.length;
    text = out;
  }
  return out;
}

/**
 * Merges `config`'s entry into `existing` (undefined: no file yet). Empty or whitespace-only text
 * counts as an empty document. Text that is not JSON (with comments and trailing commas allowed),
 * a non-object root or a non-object servers key is `invalid`: the caller reports it and writes
 * nothing, because rewriting would lose the user's text.
 */
export function mergeEditorConfig(existing: string | undefined, config: EditorConfig): MergeResult {
  if (existing === undefined || existing.trim() === '') {
    const text = formatJson({ [config.serversKey]: { [config.serverName]: config.entry } });
    return { kind: existing === undefined ? 'created' : 'updated', text };
  }
  const bom = existing.startsWith('\uFEFF') ? '\uFEFF' : '';
  const body = existing.slice(bom.length);
  const errors: ParseError[] = [];
  const root: unknown = parse(body, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false });
  if (errors.length > 0) {
    const [first] = errors;
    const line = body.slice(0, first!.offset).split('\n').length;
    return { kind: 'invalid', reason: `not valid JSON (${printParseErrorCode(first!.error)} at line ${line})` };
  }
  if (!isObject(root)) return { kind: 'invalid', reason: 'the top level is not a JSON object' };
  const servers = root[config.serversKey] ?? {};
  if (!isObject(servers)) return { kind: 'invalid', reason: `"${config.serversKey}" is not a JSON object` };
  const previous = servers[config.serverName];
  const options = formattingOf(body);
  let text = body;
  if (!isObject(previous)) {
    text = setValue(text, [config.serversKey, config.serverName], config.entry, options);
  } else {
    for (const [key, value] of Object.entries(config.entry)) {
      const ours = LAUNCH_KEYS.has(key);
      if (ours ? JSON.stringify(previous[key]) !== JSON.stringify(value) : !(key in previous)) {
        text = setValue(text, [config.serversKey, config.serverName, key], value, options);
      }
    }
  }
  if (text === body) return { kind: 'unchanged', text: existing };
  return { kind: 'updated', text: `${bom}${text}` };
}
