// Memory: RSS of one praxis-mcp process idle, after 10k and after 100k HTTP tools/call requests
// (counted exactly, hence autocannon's `amount`), and stdio calls on top; it must stay flat.
// Each reading is taken once the process has settled: Bun's idle GC runs some 10 s after load
// stops, and a reading before it counts garbage still to be collected (the same server read 1 s
// after 100k calls showed 40 MB of private memory, 28 MB ten seconds later, whether it had served
// 10k or 300k calls). The peak (VmHWM) is reported too, so nothing is hidden by waiting.
import type { BenchContext } from '../lib/context.ts';
import { runLoad } from '../lib/load.ts';
import { rssMb } from '../lib/procs.ts';
import { initialize, stdioClient } from '../lib/stdio-client.ts';
import { Runs, pause } from '../lib/stats.ts';
import { startPraxis, toolCallBody } from '../lib/targets.ts';

/** Results in MB: `idle`, `after_10k`, `after_100k` (settled; `_1s`: a second after the load), `peak`. */
export interface MemoryResults {
  runs: Runs;
}

/**
 * Waits until private memory stops moving: two readings a second apart within 0.5 MB, after at
 * least 2 s and at most 20 s. Returns how long it waited.
 */
async function settle(pid: number): Promise<number> {
  const started = Date.now();
  let last = rssMb(pid, 'RssAnon') ?? 0;
  for (let waited = 1; waited <= 20; waited++) {
    await pause(1000);
    const now = rssMb(pid, 'RssAnon') ?? 0;
    if (waited >= 2 && Math.abs(now - last) < 0.5) break;
    last = now;
  }
  return Date.now() - started;
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
    await settle(server.proc.pid);
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
      runs.add(`${key}_1s`, rssMb(server.proc.pid));
      const waitedMs = await settle(server.proc.pid);
      runs.add(key, rssMb(server.proc.pid));
      runs.add(`${key}_anon`, rssMb(server.proc.pid, 'RssAnon'));
      ctx.log(`memory: ${key}: ${rssMb(server.proc.pid)?.toFixed(1)} MB after ${(waitedMs / 1000).toFixed(0)} s to settle`);
    }
    runs.add('peak', rssMb(server.proc.pid, 'VmHWM'));
    return { runs };
  } finally {
    await server.proc.stop();
  }
}
