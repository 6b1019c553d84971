// Both at once: one praxis-mcp in dual mode, loaded over HTTP (c=10) and over stdio (one call at
// a time) together, against each transport alone on the same process. Nothing may starve.
import type { BenchContext } from '../lib/context.ts';
import { runLoad } from '../lib/load.ts';
import { initialize, stdioClient } from '../lib/stdio-client.ts';
import { Runs, quantile } from '../lib/stats.ts';
import { startPraxis, toolCallBody } from '../lib/targets.ts';
import { sequentialCalls } from './stdio.ts';

/** Results: `http|stdio:solo|mixed:p50|p99|rps`. */
export interface MixedResults {
  runs: Runs;
}

/** Runs solo HTTP, solo stdio and both together, `rounds` times, on one dual-mode server. */
export async function mixedSection(ctx: BenchContext): Promise<MixedResults> {
  const runs = new Runs();
  const server = await startPraxis(ctx.praxis, ctx.project, ctx.port(10), 'dual');
  try {
    const client = stdioClient(server.proc);
    await initialize(client);
    const ms = ctx.options.durationS * 1000;
    const http = () => runLoad(ctx.generator, { url: server.url, headers: server.headers, body: toolCallBody('current_date'), connections: 10, durationS: ctx.options.durationS });
    const record = (transport: string, mode: string, p50: number | null, p99: number | null, rps: number) => {
      runs.add(`${transport}:${mode}:p50`, p50);
      runs.add(`${transport}:${mode}:p99`, p99);
      runs.add(`${transport}:${mode}:rps`, rps);
    };
    await http();
    await sequentialCalls(client, 300);
    for (let round = 0; round < ctx.options.rounds; round++) {
      const h = await http();
      record('http', 'solo', h.p50us, h.p99us, h.rps);
      const s = await sequentialCalls(client, ms);
      record('stdio', 'solo', quantile(s, 0.5), quantile(s, 0.99), s.length / (ms / 1000));
      const [hm, sm] = await Promise.all([http(), sequentialCalls(client, ms)]);
      record('http', 'mixed', hm.p50us, hm.p99us, hm.rps);
      record('stdio', 'mixed', quantile(sm, 0.5), quantile(sm, 0.99), sm.length / (ms / 1000));
      ctx.log(`mixed: round ${round + 1}: http p99 ${h.p99us} -> ${hm.p99us} us; stdio p99 ${quantile(s, 0.99).toFixed(0)} -> ${quantile(sm, 0.99).toFixed(0)} us`);
    }
    return { runs };
  } finally {
    await server.proc.stop();
  }
}
