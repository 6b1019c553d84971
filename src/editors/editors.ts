// Where each editor keeps its MCP server list, and the shape of one entry there (issue 5).
// Project-scoped files name the server `praxis-mcp`; user-wide files (one file for every project)
// name it `praxis-mcp-<project>` so that two projects never overwrite each other's entry.
import { join } from 'node:path';

/** The editors `praxis-mcp config` knows. */
export const EDITORS = ['cursor', 'claude-desktop', 'claude-code', 'vscode', 'vscode-insiders', 'windsurf', 'cline'] as const;
export type EditorName = (typeof EDITORS)[number];

/** Whether `value` names a known editor. */
export function isEditorName(value: unknown): value is EditorName {
  return typeof value === 'string' && (EDITORS as readonly string[]).includes(value);
}

/** What an editor entry is built from: the launch command and the project. */
export interface LaunchSpec {
  /** This binary by absolute path (a stable one: never Homebrew's versioned Cellar path). */
  command: string;
  /** Words before `serve`: a runtime's entry script when not run as the compiled binary. */
  pre?: string[];
  /** The command's name, when that name on PATH launches this very binary. */
  onPath?: string | undefined;
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
  return world.env.APPDATA || join(world.home, 'AppData', 'Roaming');
}

/** The per-OS folder holding an app's user settings (`~/Library/Application Support`, `%APPDATA%`, `~/.config`). */
function userConfigDir(world: Environment): string {
  if (world.platform === 'darwin') return join(world.home, 'Library', 'Application Support');
  if (world.platform === 'win32') return appData(world);
  // An empty XDG_CONFIG_HOME counts as unset (XDG Base Directory spec).
  return world.env.XDG_CONFIG_HOME || join(world.home, '.config');
}

/** A server name safe in every editor: the project name reduced to [a-z0-9-]. */
export function userScopedName(projectName: string): string {
  const slug = projectName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug ? `praxis-mcp-${slug}` : 'praxis-mcp';
}

const SERVE = ['serve', '--transport', 'dual'];

/**
 * The config `editor` needs to launch `spec`, and where it goes. A project file (which a team may
 * commit) names the command as found on PATH when it can, and the project by the editor's own
 * workspace-folder variable (VS Code and Cursor: `${workspaceFolder}`); Claude Code has none, and
 * starts servers in the folder `claude` runs in, where `serve` finds the project by itself. A user
 * file (one person's, for every project) names both by absolute path: apps started from the Dock
 * or Start menu often do not see the shell's PATH.
 */
export function editorConfig(editor: EditorName, spec: LaunchSpec, world: Environment): EditorConfig {
  const pre = spec.pre ?? [];
  const shared = pre.length === 0 && spec.onPath ? spec.onPath : spec.command;
  const inWorkspace = { command: shared, args: [...pre, ...SERVE, '--project', '${workspaceFolder}'] };
  const launch = { command: spec.command, args: [...pre, ...SERVE, '--project', spec.projectRoot] };
  const inProject = (path: string[], serversKey: EditorConfig['serversKey'], entry: Record<string, unknown>): EditorConfig =>
    ({ editor, path: join(spec.projectRoot, ...path), scope: 'project', serversKey, serverName: 'praxis-mcp', entry });
  const forUser = (path: string, entry: Record<string, unknown>): EditorConfig =>
    ({ editor, path, scope: 'user', serversKey: 'mcpServers', serverName: userScopedName(spec.projectName), entry });
  switch (editor) {
    case 'cursor':
      // Cursor reads <project>/.cursor/mcp.json and interpolates ${workspaceFolder} (cursor.com/docs/mcp).
      return inProject(['.cursor', 'mcp.json'], 'mcpServers', inWorkspace);
    case 'claude-code':
      // Claude Code's project scope is <project>/.mcp.json, entries typed like `claude mcp add --scope project`.
      // No workspace variable in .mcp.json (only ${VAR} from the environment); the server starts in
      // the folder `claude` was started in, and finds the project from there.
      return inProject(['.mcp.json'], 'mcpServers', { type: 'stdio', command: shared, args: [...pre, ...SERVE], env: {} });
    case 'vscode':
    case 'vscode-insiders':
      // VS Code's workspace file (Insiders reads the same one) uses `servers` (not `mcpServers`) and an explicit type.
      // ${workspaceFolder} is one of VS Code's predefined variables in mcp.json.
      return inProject(['.vscode', 'mcp.json'], 'servers', { type: 'stdio', ...inWorkspace });
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
