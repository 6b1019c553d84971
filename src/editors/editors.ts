// Where each editor keeps its MCP server list, and the shape of one entry there (issue 5).
// Project-scoped files name the server `praxis-mcp`; user-wide files (one file for every project)
// name it `praxis-mcp-<project>` so that two projects never overwrite each other's entry.
import { join } from 'node:path';

/** The editors `praxis-mcp config` knows. */
export const EDITORS = ['cursor', 'claude-desktop', 'claude-code', 'vscode', 'windsurf', 'cline'] as const;
export type EditorName = (typeof EDITORS)[number];

/** Whether `value` names a known editor. */
export function isEditorName(value: unknown): value is EditorName {
  return typeof value === 'string' && (EDITORS as readonly string[]).includes(value);
}

/** What an editor entry is built from: the launch command and the project. */
export interface LaunchSpec {
  command: string;
  args: string[];
  projectRoot: string;
  projectName: string;
}

/** Where the world is, for user-wide config paths; tests pass their own. */
export interface Environment {
  home: string;
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
}

/** One editor's MCP config: its file, the key holding servers, the server name and the entry. */
export interface EditorConfig {
  editor: EditorName;
  path: string;
  /** Project file (commit it or not) or the user's file shared by every project. */
  scope: 'project' | 'user';
  serversKey: 'mcpServers' | 'servers';
  serverName: string;
  entry: Record<string, unknown>;
}

function appData(world: Environment): string {
  return world.env.APPDATA ?? join(world.home, 'AppData', 'Roaming');
}

/** The per-OS folder holding an app's user settings (`~/Library/Application Support`, `%APPDATA%`, `~/.config`). */
function userConfigDir(world: Environment): string {
  if (world.platform === 'darwin') return join(world.home, 'Library', 'Application Support');
  if (world.platform === 'win32') return appData(world);
  return world.env.XDG_CONFIG_HOME ?? join(world.home, '.config');
}

/** A server name safe in every editor: the project name reduced to [a-z0-9-]. */
export function userScopedName(projectName: string): string {
  const slug = projectName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug ? `praxis-mcp-${slug}` : 'praxis-mcp';
}

/** The config `editor` needs to launch `spec`, and where it goes. */
export function editorConfig(editor: EditorName, spec: LaunchSpec, world: Environment): EditorConfig {
  const launch = { command: spec.command, args: spec.args };
  const inProject = (path: string[], serversKey: EditorConfig['serversKey'], entry: Record<string, unknown>): EditorConfig =>
    ({ editor, path: join(spec.projectRoot, ...path), scope: 'project', serversKey, serverName: 'praxis-mcp', entry });
  const forUser = (path: string, entry: Record<string, unknown>): EditorConfig =>
    ({ editor, path, scope: 'user', serversKey: 'mcpServers', serverName: userScopedName(spec.projectName), entry });
  switch (editor) {
    case 'cursor':
      // Cursor reads <project>/.cursor/mcp.json (docs.cursor.com, "Model Context Protocol").
      return inProject(['.cursor', 'mcp.json'], 'mcpServers', launch);
    case 'claude-code':
      // Claude Code's project scope is <project>/.mcp.json, entries typed like `claude mcp add --scope project`.
      return inProject(['.mcp.json'], 'mcpServers', { type: 'stdio', ...launch, env: {} });
    case 'vscode':
      // VS Code's workspace file uses `servers` (not `mcpServers`) and an explicit type.
      return inProject(['.vscode', 'mcp.json'], 'servers', { type: 'stdio', ...launch });
    case 'claude-desktop':
      // Claude Desktop has one user-wide file; Linux builds follow XDG.
      return forUser(join(userConfigDir(world), 'Claude', 'claude_desktop_config.json'), launch);
    case 'windsurf':
      return forUser(join(world.home, '.codeium', 'windsurf', 'mcp_config.json'), launch);
    case 'cline':
      // Cline keeps its settings in VS Code's global storage, under its extension id.
      return forUser(
        join(userConfigDir(world), 'Code', 'User', 'globalStorage', 'saoudrizwan.claude-dev', 'settings', 'cline_mcp_settings.json'),
        { ...launch, disabled: false, autoApprove: [] },
      );
  }
}

/** The document a fresh config file holds: just this server. */
export function configDocument(config: EditorConfig): Record<string, unknown> {
  return { [config.serversKey]: { [config.serverName]: config.entry } };
}
