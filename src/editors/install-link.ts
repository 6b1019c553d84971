// Editor install links (issue 15): one click in a browser or a README opens the editor and asks
// to add the server. VS Code (and Insiders) take `vscode:mcp/install?<URL-encoded JSON>` with the
// server's name inside the JSON (code.visualstudio.com, "Add and manage MCP servers"); Cursor takes
// `cursor://anysphere.cursor-deeplink/mcp/install?name=<name>&config=<base64 JSON>`
// (cursor.com/docs/mcp/install-links). Both carry the very entry `config` writes.
import { Buffer } from 'node:buffer';
import type { EditorConfig } from './editors.ts';

/** The editors that have an install link. */
export const LINK_EDITORS = ['vscode', 'vscode-insiders', 'cursor'] as const;

/** The editor's install link for `config`'s entry, or undefined when the editor has none. */
export function installLink(config: EditorConfig): string | undefined {
  switch (config.editor) {
    case 'vscode':
    case 'vscode-insiders': {
      const scheme = config.editor === 'vscode' ? 'vscode' : 'vscode-insiders';
      return `${scheme}:mcp/install?${encodeURIComponent(JSON.stringify({ name: config.serverName, ...config.entry }))}`;
    }
    case 'cursor': {
      const base64 = Buffer.from(JSON.stringify(config.entry), 'utf8').toString('base64');
      return `cursor://anysphere.cursor-deeplink/mcp/install?name=${encodeURIComponent(config.serverName)}&config=${encodeURIComponent(base64)}`;
    }
    default:
      return undefined;
  }
}

/**
 * VS Code's link as a web address, for a README badge: GitHub renders only http(s) links, and this
 * page (the one VS Code's own docs use) hands the link to the installed VS Code or Insiders.
 */
export function webInstallLink(config: EditorConfig): string | undefined {
  if (config.editor !== 'vscode' && config.editor !== 'vscode-insiders') return undefined;
  const quality = config.editor === 'vscode-insiders' ? '&quality=insiders' : '';
  return `https://insiders.vscode.dev/redirect/mcp/install?name=${encodeURIComponent(config.serverName)}&config=${encodeURIComponent(JSON.stringify(config.entry))}${quality}`;
}
