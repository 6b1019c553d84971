import { defineCommand } from 'citty';
import { discoverServer, removeStale } from '../discovery.ts';
import { PraxisError } from '../errors.ts';
import { isPidAlive } from '../state/liveness.ts';
import { projectArg } from './serve.ts';

/** `praxis-mcp stop`: SIGTERM to the live owner, then wait until it is gone. */
export const stopCommand = defineCommand({
  meta: { name: 'stop', description: 'Ask the server running for this project to shut down, and wait until it has' },
  args: { ...projectArg, timeout: { type: 'string', description: 'Seconds to wait', default: '10' } },
  async run({ args }) {
    const found = await discoverServer(args.project);
    if (found.liveness.kind === 'untrusted') {
      throw new PraxisError('E_NO_SERVER', `No trusted praxis-mcp server for ${found.project.root}: ${found.liveness.why}. Nothing was signalled.`);
    }
    if (found.liveness.kind !== 'live' && found.liveness.kind !== 'unresponsive') {
      if (found.liveness.kind === 'stale') await removeStale(found);
      throw new PraxisError('E_NO_SERVER', `No praxis-mcp server is running for ${found.project.root}; nothing to stop.`);
    }
    const { pid } = found.liveness.state;
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + Number(args.timeout) * 1000;
    while (isPidAlive(pid)) {
      if (Date.now() > deadline) {
        throw new PraxisError(
          'E_CONFLICT',
          `praxis-mcp (pid ${pid}) is still running ${args.timeout} s after SIGTERM. If it was stopped, \`kill -CONT ${pid}\` lets it finish; ` +
            `end it with \`kill -9 ${pid}\` if it is stuck.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    process.stdout.write(`stopped praxis-mcp (pid ${pid}) for ${found.project.root}\n`);
  },
});
