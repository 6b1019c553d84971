import { homedir } from 'node:os';
import { isAbsolute } from 'node:path';
import { defineCommand } from 'citty';
import { EDITORS, type EditorConfig, type Environment, configDocument, editorConfig, isEditorName } from '../editors/editors.ts';
import { type FileProbe, commandOnPath, realProbe, stableExecutablePath } from '../editors/launch-command.ts';
import { LINK_EDITORS, installLink } from '../editors/install-link.ts';
import { formatJson } from '../editors/merge-config.ts';
import { type WriteOutcome, writeEditorConfig } from '../editors/write-config.ts';
import { PraxisError } from '../errors.ts';
import { locateProject } from '../project/locate.ts';
import { selfCommand } from '../runtime.ts';
import { didYouMean } from './closest.ts';
import { projectArg } from './serve.ts';

/** What `runConfig` reads from the world; tests inject their own. */
export interface ConfigDeps {
  world?: Environment;
  /** The command that launches praxis-mcp (the binary's absolute path, or runtime + entry). */
  self?: string[];
  /** Answers where files are and what they link to (Homebrew's links, PATH). */
  probe?: FileProbe;
  cwd?: string;
  /** Variables that name the project (PRAXIS_MCP_PROJECT, AGENT_OS_BASE_PATH), as for `serve`. */
  env?: Record<string, string | undefined>;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
}

/** The config for `editor` and the project given by `--project` (or found from the working directory). */
export function resolveEditorConfig(
  editor: unknown,
  project: string | undefined,
  deps: Pick<ConfigDeps, 'world' | 'self' | 'cwd' | 'env' | 'probe'> = {},
  options: { npx?: boolean } = {},
): EditorConfig {
  if (!isEditorName(editor)) {
    const given = editor === undefined || editor === '' ? 'Missing editor' : `Unknown editor "${String(editor)}"`;
    const hint = typeof editor === 'string' ? didYouMean(editor, EDITORS) : '';
    throw new PraxisError('E_USAGE', `${given}: choose one of ${EDITORS.join(', ')}.${hint}`);
  }
  const world = deps.world ?? { home: homedir(), platform: process.platform, env: process.env };
  const probe = deps.probe ?? realProbe;
  const located = locateProject({ flag: project, env: deps.env ?? process.env, ...(deps.cwd ? { cwd: deps.cwd } : {}) });
  const where = { projectRoot: located.root, projectName: located.name };
  // `npx -y praxis-mcp`: the npm launcher package picks the binary for the platform (issue 15).
  if (options.npx) return editorConfig(editor, { command: 'npx', pre: ['-y', 'praxis-mcp'], ...where }, world);
  const [self, ...pre] = deps.self ?? selfCommand();
  const command = stableExecutablePath(self!, probe);
  const onPath = pre.length === 0 ? commandOnPath(command, world.env, world.platform, probe) : undefined;
  return editorConfig(editor, { command, pre, onPath, ...where }, world);
}

/** A person-readable line saying what `--write` did. */
export function describeOutcome(outcome: WriteOutcome, config: EditorConfig): string {
  const what =
    outcome.kind === 'unchanged'
      ? `${outcome.path} already launches praxis-mcp as "${config.serverName}"; nothing to do.`
      : `${outcome.kind === 'created' ? 'Created' : 'Updated'} ${outcome.path}: server "${config.serverName}".`;
  const backup = outcome.backup ? ` Previous file kept as ${outcome.backup}.` : '';
  const next = outcome.kind === 'unchanged' ? '' : ` Restart ${config.editor} (or reload its MCP servers) to start it.`;
  return `${what}${backup}${next}\n`;
}

/** `praxis-mcp config`: prints the editor's MCP config, or merges it into the editor's file with --write. */
export async function runConfig(args: Record<string, unknown>, deps: ConfigDeps = {}): Promise<void> {
  const { stdout = (t) => process.stdout.write(t), stderr = (t) => process.stderr.write(t) } = deps;
  const config = resolveEditorConfig(args.editor, typeof args.project === 'string' ? args.project : undefined, deps, { npx: args.npx === true });
  if (args.link === true) {
    if (args.write === true) throw new PraxisError('E_USAGE', '--link and --write are two ways to add the server: choose one.');
    const link = installLink(config);
    if (!link) {
      throw new PraxisError('E_USAGE', `${config.editor} has no install link; ${LINK_EDITORS.join(', ')} do. Run \`praxis-mcp config ${config.editor} --write\` instead.`);
    }
    // The link alone on stdout, so that `open "$(praxis-mcp config vscode --link)"` works.
    stderr(`Open this link to add "${config.serverName}" to ${config.editor} (it asks before it installs):\n`);
    stdout(`${link}\n`);
    return;
  }
  const command = String(config.entry.command);
  if (config.scope === 'project' && isAbsolute(command)) {
    // A committed project file that names one machine's path breaks on a teammate's machine.
    stderr(`Note: the entry launches praxis-mcp by the absolute path ${command}, which a teammate's machine may not have; put praxis-mcp on your PATH and run config again to name it by its name.\n`);
  }
  if (args.write === true) {
    stdout(describeOutcome(await writeEditorConfig(config), config));
    return;
  }
  // The JSON alone goes to stdout so that it can be redirected into a new file as is.
  stderr(
    `${config.editor} reads ${config.path} (${config.scope === 'user' ? 'one file for all your projects' : 'in the project'}). ` +
      `Merge this into it, or run again with --write:\n`,
  );
  stdout(formatJson(configDocument(config)));
}

/** `praxis-mcp config <editor>`. */
export const configCommand = defineCommand({
  meta: { name: 'config', description: `Print (or --write) an editor's MCP config that launches this binary for the project: ${EDITORS.join(', ')}` },
  args: {
    editor: { type: 'positional', description: EDITORS.join(' | '), required: false },
    ...projectArg,
    write: { type: 'boolean', description: 'Merge into the editor\'s config file (keeps other servers, comments and a .bak copy)', default: false },
    link: { type: 'boolean', description: `Print the editor's install link instead (${LINK_EDITORS.join(', ')})`, default: false },
    npx: { type: 'boolean', description: 'Launch through `npx -y praxis-mcp` (the npm package) instead of this binary', default: false },
  },
  run: ({ args }) => runConfig(args),
});
