#!/usr/bin/env bun
import { type CommandDef, defineCommand, renderUsage, runCommand } from 'citty';
import { callCommand } from './commands/call.ts';
import { configCommand } from './commands/config.ts';
import { initCommand } from './commands/init.ts';
import { serveArgs, serveCommand, runServe } from './commands/serve.ts';
import { statusCommand } from './commands/status.ts';
import { stopCommand } from './commands/stop.ts';
import { urlCommand } from './commands/url.ts';
import { workflowCommand } from './commands/workflow.ts';
import { PraxisError, exitCodeFor, messageOf } from './errors.ts';
import { VERSION } from './version.ts';

const subCommands: Record<string, CommandDef<any>> = {
  serve: serveCommand,
  init: initCommand,
  config: configCommand,
  status: statusCommand,
  url: urlCommand,
  call: callCommand,
  stop: stopCommand,
  workflow: workflowCommand,
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
    if (rawArgs[0] !== undefined && Object.hasOwn(subCommands, rawArgs[0])) return;
    if (rawArgs.length > 0 && rawArgs[0] !== undefined && !rawArgs[0].startsWith('-')) {
      throw new PraxisError('E_USAGE', `Unknown command "${rawArgs[0]}". Commands: ${Object.keys(subCommands).join(', ')}.`);
    }
    await runServe(args);
  },
});

const MAIN_HELP = `praxis-mcp ${VERSION}: serve a project's MCP tools to its IDE (stdio) and to local agents
(Streamable HTTP on loopback) from one process, found through .praxis-os/.mcp_server_state.json.

USAGE
  praxis-mcp serve --transport dual|stdio|http [options]   run the server (what an editor launches)
  praxis-mcp init [--project DIR]                          create .praxis-os/ in a project
  praxis-mcp config <editor> [--project DIR] [--write]     an editor's MCP config for this binary
  praxis-mcp status [--json]                               is a server running for this project?
  praxis-mcp url                                           the running server's MCP URL
  praxis-mcp call TOOL [key=value ...] [--json]            call a tool (on the running server, or in-process)
  praxis-mcp stop                                          shut the running server down

  praxis-mcp --transport dual [options] is the same as serve, for configs written for the original.
  Every command finds the project from --project, $PRAXIS_MCP_PROJECT, $AGENT_OS_BASE_PATH, or the
  nearest folder above the working directory that holds .praxis-os/.

EXAMPLES
  praxis-mcp init && praxis-mcp config cursor --write
  praxis-mcp call search_standards query="error handling" n_results=3
  curl -s "$(praxis-mcp url | sed 's#/mcp$#/health#')"

Run \`praxis-mcp <command> --help\` for a command's options.`;

/** Usage text for people: no colour codes when stdout is not a terminal, no trailing blanks. */
async function usageOf(command: CommandDef<any>, tty: boolean): Promise<string> {
  const text = command === mainCommand ? MAIN_HELP : await renderUsage(command, mainCommand);
  const plain = tty && !process.env.NO_COLOR ? text : text.replace(/\x1b\[[0-9;]*m/g, '');
  return plain.replace(/[ \t]+$/gm, '');
}

function commandFor(rawArgs: string[]): CommandDef<any> {
  const name = rawArgs.find((a) => !a.startsWith('-'));
  return (name && subCommands[name]) || mainCommand;
}

/** Runs the CLI; maps every error to a message on stderr and an exit code, in one place. */
export async function runCli(rawArgs: string[] = process.argv.slice(2)): Promise<number> {
  if (rawArgs.includes('--version') || rawArgs.includes('-v')) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const command = commandFor(rawArgs);
  if (rawArgs.includes('--help') || rawArgs.includes('-h')) {
    process.stdout.write(`${await usageOf(command, process.stdout.isTTY === true)}\n`);
    return 0;
  }
  try {
    await runCommand(mainCommand, { rawArgs });
    return 0;
  } catch (error) {
    const code = exitCodeFor(error);
    if (messageOf(error)) process.stderr.write(`praxis-mcp: ${messageOf(error)}\n`);
    if (code === 2) {
      process.stderr.write(`\n${await usageOf(command, process.stderr.isTTY === true)}\n`);
    }
    return code;
  }
}

if (import.meta.main) {
  const code = await runCli();
  process.exit(code);
}
