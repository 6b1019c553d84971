import { defineCommand } from 'citty';
import { discoverServer, removeStale } from '../discovery.ts';
import { PraxisError } from '../errors.ts';
import { projectArg } from './serve.ts';

/** `3m 12s`, for uptimes. */
export function formatDuration(seconds: number): string {
  const s = Math.floor(seconds);
  const parts = [[Math.floor(s / 86400), 'd'], [Math.floor((s % 86400) / 3600), 'h'], [Math.floor((s % 3600) / 60), 'm'], [s % 60, 's']] as const;
  const shown = parts.filter(([n]) => n > 0).map(([n, u]) => `${n}${u}`);
  return shown.length ? shown.slice(0, 2).join(' ') : '0s';
}

/**
 * `praxis-mcp status`: running (exit 0); not running, stale or untrusted (exit 3; a stale file of
 * ours is removed, an untrusted one is reported and left alone); unresponsive (exit 4: the pid
 * lives but `/health` does not answer in time, e.g. a stopped process).
 */
export const statusCommand = defineCommand({
  meta: { name: 'status', description: 'Say whether a praxis-mcp server runs for this project, where, and since when' },
  args: { ...projectArg, json: { type: 'boolean', description: 'Print JSON', default: false } },
  async run({ args }) {
    const found = await discoverServer(args.project);
    const { liveness } = found;
    const out = (data: Record<string, unknown>, text: string) =>
      process.stdout.write(args.json ? `${JSON.stringify(data, null, 2)}\n` : `${text}\n`);
    if (liveness.kind === 'live') {
      const s = liveness.state;
      const uptime = (Date.now() - Date.parse(s.started_at)) / 1000;
      const requests = liveness.health?.requests as { stdio?: number; http?: number } | undefined;
      out(
        { status: 'running', pid: s.pid, url: s.url, transport: s.transport, started_at: s.started_at, uptime_seconds: uptime, instance_id: s.instance_id, project: s.project, requests: requests ?? null },
        `running: pid ${s.pid}, ${s.transport}${s.url ? ` at ${s.url}` : ' (stdio only)'}, up ${formatDuration(uptime)} (since ${s.started_at}), instance ${s.instance_id}` +
          (requests ? `; requests served: stdio ${requests.stdio ?? 0}, http ${requests.http ?? 0}` : ''),
      );
      return;
    }
    if (liveness.kind === 'unresponsive') {
      const s = liveness.state;
      out(
        { status: 'unresponsive', pid: s.pid, url: s.url, reason: liveness.why, instance_id: s.instance_id, project: s.project },
        `unresponsive: ${liveness.why}. It may be stopped (\`kill -CONT ${s.pid}\`) or stuck (\`kill ${s.pid}\`); ` +
          `a new \`praxis-mcp serve\` serves its own IDE meanwhile.`,
      );
      throw new PraxisError('E_UNRESPONSIVE', '', {});
    }
    if (liveness.kind === 'untrusted') {
      out(
        { status: 'untrusted', reason: liveness.why, path: found.statePath },
        `untrusted: ${liveness.why}. Nothing it names is contacted. If no server runs, a new \`praxis-mcp serve\` replaces it.`,
      );
      throw new PraxisError('E_NO_SERVER', '', {});
    }
    if (liveness.kind === 'stale') {
      const removed = await removeStale(found);
      out(
        { status: 'stale', pid: liveness.state.pid, url: liveness.state.url, reason: liveness.why, removed },
        `stale: the state file names pid ${liveness.state.pid} but ${liveness.why}; ${removed ? 'removed it' : 'left it'} (${found.statePath}). ` +
          `Start a server with \`praxis-mcp serve --transport dual\`.`,
      );
    } else {
      out({ status: 'not running', project: found.project.root }, `not running: no praxis-mcp server for ${found.project.root}. Your IDE starts one, or run \`praxis-mcp serve --transport http\`.`);
    }
    throw new PraxisError('E_NO_SERVER', '', {});
  },
});
