import { defineCommand } from 'citty';
import { discoverServer } from '../discovery.ts';
import { PraxisError } from '../errors.ts';
import { projectArg } from './serve.ts';

/** `praxis-mcp url`: the MCP URL of the live server (exit 3 when there is none). */
export const urlCommand = defineCommand({
  meta: { name: 'url', description: 'Print the MCP URL of the server running for this project' },
  args: { ...projectArg },
  async run({ args }) {
    const { liveness, project } = await discoverServer(args.project);
    if (liveness.kind === 'unresponsive') {
      throw new PraxisError('E_UNRESPONSIVE', `The server for ${project.root} does not answer: ${liveness.why}. See \`praxis-mcp status\`.`);
    }
    if (liveness.kind === 'untrusted') throw new PraxisError('E_NO_SERVER', `No trusted praxis-mcp server for ${project.root}: ${liveness.why}.`);
    if (liveness.kind !== 'live' || !liveness.state.url) {
      throw new PraxisError(
        'E_NO_SERVER',
        liveness.kind === 'live'
          ? `The server for ${project.root} (pid ${liveness.state.pid}) serves stdio only; it has no URL.`
          : `No praxis-mcp server is running for ${project.root}. Your IDE starts one, or run \`praxis-mcp serve --transport http\`.`,
      );
    }
    process.stdout.write(`${liveness.state.url}\n`);
  },
});
