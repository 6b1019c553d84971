#!/usr/bin/env bun
import { type CommandDef, defineCommand, renderUsage, runCommand } from 'citty';
import { callCommand } from './commands/call.ts';
import { checkArgv, withVariadicPositionals } from './commands/check-argv.ts';
import { configCommand } from './commands/config.ts';
import { initCommand } from './commands/init.ts';
import { serveArgs, serveCommand, runServe } from './commands/serve.ts';
import { statusCommand } from './commands/status.ts';
import { stopCommand } from './commands/stop.ts';
import { forStream } from './commands/terminal.ts';
import { urlCommand } from './commands/url.ts';
import { workflowCommand } from './commands/workflow.ts';
import { PraxisError, exitCodeFor, messageOf } from './errors.ts';
import { VERSION } from './version.ts';

// The command table: add a command here (and a line to MAIN_HELP); `checkArgv` and help follow it.
const subCommands: Record<string, CommandDef<any>> = {
  serve: serveCommand,
  init: initCommand,
  config: configCommand,
  status: statusCommand,
  url: urlCommand,
  call: callCommand,
  stop: stopCommand,
  // `workflow start TYPE TARGET`, `workflow act ACTION key=value ...`: the words after SUB are its own.
  workflow: withVariadicPositionals(workflowCommand, 'praxis-mcp workflow'),
};

/** The `praxis-mcp` command. */
export const mainCommand = defineCommand({
  meta: {
    name: 'praxis-mcp',
    version: VERSION,
    description: 'Serve a project\'s MCP tools to its IDE (stdio) and to local agents (HTTP on loopback) from one process.',
  },
  // `praxis-mcp --transport dual` with no subcommand serves, for configs written for the original.
  args: serveArgs,
  subCommands,
  run: async ({ args, rawArgs }) => {
    // citty calls the parent's `run` after a subcommand's own; the subcommand has done the work.
    // (`checkArgv` has already refused a word that names no command.)
    if (checkArgv(mainCommand, rawArgs).path.length > 0) return;
    await runServe(args);
  },
});

const MAIN_HELP = `praxis-mcp ${VERSION}: serve a project's MCP tools to its IDE (stdio) and to local agents
(Streamable HTTP on loopback) from one process, found through .praxis-os/.mcp_server_state.json.

USAGE
  praxis-mcp serve --transport dual|stdio|http [options]   run the server (what an editor launches)
  praxis-mcp init [--project DIR]                          create .praxis-os/ in a project
  praxis-mcp config <editor> [--write|--link] [--npx]      an editor's MCP config for this binary
  praxis-mcp status [--json]                               is a server running for this project?
  praxis-mcp url                                           the running server's MCP URL
  praxis-mcp call TOOL [key=value ...] [--json]            call a tool (on the running server, or in-process)
  praxis-mcp stop                                          shut the running server down
  praxis-mcp workflow list|start|status|watch|approve|...  phase-gated workflows (server or database)

  praxis-mcp --transport dual [options] is the same as serve, for configs written for the original.
  Every command finds the project from --project, $PRAXIS_MCP_PROJECT, $AGENT_OS_BASE_PATH, or the
  nearest folder above the working directory that holds .praxis-os/.

EXAMPLES
  praxis-mcp init && praxis-mcp config cursor --write
  praxis-mcp call search_standards query="error handling" n_results=3
  curl -s "$(praxis-mcp url | sed 's#/mcp$#/health#')"

Run \`praxis-mcp <command> --help\` for a command's options.`;

/** Usage text for people, without trailing blanks; colour is removed later, per stream. */
async function usageOf(command: CommandDef<any>): Promise<string> {
  const text = command === mainCommand ? MAIN_HELP : await renderUsage(command, mainCommand);
  return text.replace(/[ \t]+$/gm, '');
}

/** citty's own usage errors (a missing positional) are usage errors: exit 2, like ours. */
function asPraxisError(error: unknown): unknown {
  const citty = error as { name?: string; message?: string };
  return citty?.name === 'CLIError' ? new PraxisError('E_USAGE', String(citty.message)) : error;
}

/** Runs the CLI; maps every error to a message on stderr and an exit code, in one place. */
export async function runCli(rawArgs: string[] = process.argv.slice(2)): Promise<number> {
  const out = (text: string) => process.stdout.write(forStream(text, process.stdout));
  const err = (text: string) => process.stderr.write(forStream(text, process.stderr));
  const intent = checkArgv(mainCommand, rawArgs);
  if (!intent.problem && intent.version) {
    out(`${VERSION}\n`);
    return 0;
  }
  if (!intent.problem && intent.help) {
    out(`${await usageOf(intent.command)}\n`);
    return 0;
  }
  try {
    if (intent.problem) throw intent.problem;
    await runCommand(mainCommand, { rawArgs });
    return 0;
  } catch (thrown) {
    const error = asPraxisError(thrown);
    const code = exitCodeFor(error);
    if (messageOf(error)) err(`praxis-mcp: ${messageOf(error)}\n`);
    if (code === 2) err(`\n${await usageOf(intent.command)}\n`);
    return code;
  }
}

if (import.meta.main) {
  const code = await runCli();
  process.exit(code);
}
