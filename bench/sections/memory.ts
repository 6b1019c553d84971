// Memory: RSS of one praxis-mcp process idle, after 10k and after 100k HTTP tools/call requests
// (counted exactly, hence autocannon's `amount`), and stdio calls on top; it must stay flat.
import type { BenchContext } from '../lib/context.ts';
import { runLoad } from '../lib/load.ts';
import { rssMb } from '../lib/procs.ts';
import { initialize, stdioClient } from '../lib/stdio-client.ts';
import { Runs, pause } from '../lib/stats.ts';
import { startPraxis, toolCallBody } from '../lib/targets.ts';

/** Results: `idle`, `after_10k`, `after_100k` in MB. */
export interface MemoryResults {
  runs: Runs;
}

/** Loads one dual-mode server in steps and reads its RSS after each step has settled. */
export async function memorySection(ctx: BenchContext): Promise<MemoryResults> {
  const runs = new Runs();
  const server = await startPraxis(ctx.praxis, ctx.project, ctx.port(10), 'dual');
  try {
    const client = stdioClient(server.proc);
    await initialize(client);
    const load = (amount: number) =>
      runLoad('autocannon', { url: server.url, headers: server.headers, body: toolCallBody('current_date'), connections: 10, amount });
    await pause(1000);
    runs.add('idle', rssMb(server.proc.pid));
    runs.add('idle_anon', rssMb(server.proc.pid, 'RssAnon'));
    let done = 0;
    for (const [target, key] of [[10_000, 'after_10k'], [100_000, 'after_100k']] as const) {
      // Nine in ten calls over HTTP, one in ten over stdio (100 pipelined at a time), like agents plus an IDE.
      const http = Math.round((target - done) * 0.9);
      const r = await load(http);
      if (r.errors > 0) ctx.log(`memory: ${r.errors} errors`);
      for (let left = target - done - http; left > 0; left -= 100) await client.pipelined(Math.min(100, left), 'tools/call', { name: 'current_date', arguments: {} });
      done = target;
      await pause(1000);
      runs.add(key, rssMb(server.proc.pid));
      runs.add(`${key}_anon`, rssMb(server.proc.pid, 'RssAnon'));
      ctx.log(`memory: ${key}: ${rssMb(server.proc.pid)?.toFixed(1)} MB`);
    }
    return { runs };
  } finally {
    await server.proc.stop();
  }
}
