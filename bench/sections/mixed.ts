// Both at once: one praxis-mcp in dual mode, loaded over HTTP (c=10) and over stdio (one call at
// a time) together, against each transport alone on the same process. Nothing may starve. The
// floors are a bare Bun.serve doing 150 us of work per request (as much as a praxis-mcp call did
// before the light protocol) and one doing none, each with a stdin echo, measured the same way: the
// second shows the least that Bun's event loop and the shared cores add to stdio latency.
import { benchFile } from '../lib/build.ts';
import type { BenchContext } from '../lib/context.ts';
import { runLoad } from '../lib/load.ts';
import { type Proc, startProc, waitHttpOk } from '../lib/procs.ts';
import { type StdioClient, initialize, stdioClient } from '../lib/stdio-client.ts';
import { Runs, quantile } from '../lib/stats.ts';
import { MCP_HEADERS, startPraxis, toolCallBody } from '../lib/targets.ts';
import { sequentialCalls } from './stdio.ts';

/** Results: `<praxis|floor>:<http|stdio>:<solo|mixed>:<p50|p99|rps>`. */
export interface MixedResults {
  runs: Runs;
}

interface Target {
  id: 'praxis' | 'floor' | 'floor0';
  proc: Proc;
  client: StdioClient;
  url: string;
  headers: Record<string, string>;
}

/** Runs solo HTTP, solo stdio and both together on each target, `rounds` times, alternating targets. */
export async function mixedSection(ctx: BenchContext): Promise<MixedResults> {
  const runs = new Runs();
  const targets: Target[] = [];
  try {
    const server = await startPraxis(ctx.praxis, ctx.project, ctx.port(10), 'dual');
    targets.push({ id: 'praxis', proc: server.proc, client: stdioClient(server.proc), url: server.url, headers: server.headers });
    await initialize(targets[0]!.client);
    for (const [id, busyUs] of [['floor', 150], ['floor0', 0]] as const) {
      const floorPort = ctx.port();
      const floor = startProc(`mixed ${id}`, process.execPath, [benchFile('peers/mixed-floor.ts'), String(floorPort), String(busyUs)]);
      await waitHttpOk(`http://127.0.0.1:${floorPort}/health`, floor);
      targets.push({ id, proc: floor, client: stdioClient(floor), url: `http://127.0.0.1:${floorPort}/mcp`, headers: { ...MCP_HEADERS } });
    }

    const ms = ctx.options.durationS * 1000;
    const body = toolCallBody('current_date');
    const http = (t: Target) => runLoad(ctx.generator, { url: t.url, headers: t.headers, body, connections: 10, durationS: ctx.options.durationS });
    const record = (t: Target, transport: string, mode: string, p50: number | null, p99: number | null, rps: number) => {
      runs.add(`${t.id}:${transport}:${mode}:p50`, p50);
      runs.add(`${t.id}:${transport}:${mode}:p99`, p99);
      runs.add(`${t.id}:${transport}:${mode}:rps`, rps);
    };
    for (const t of targets) {
      await http(t);
      await sequentialCalls(t.client, 300);
    }
    for (let round = 0; round < ctx.options.rounds; round++) {
      for (const t of round % 2 ? [...targets].reverse() : targets) {
        const h = await http(t);
        record(t, 'http', 'solo', h.p50us, h.p99us, h.rps);
        const s = await sequentialCalls(t.client, ms);
        record(t, 'stdio', 'solo', quantile(s, 0.5), quantile(s, 0.99), s.length / (ms / 1000));
        const [hm, sm] = await Promise.all([http(t), sequentialCalls(t.client, ms)]);
        record(t, 'http', 'mixed', hm.p50us, hm.p99us, hm.rps);
        record(t, 'stdio', 'mixed', quantile(sm, 0.5), quantile(sm, 0.99), sm.length / (ms / 1000));
        ctx.log(`mixed: round ${round + 1} ${t.id}: http p99 ${h.p99us} -> ${hm.p99us} us; stdio p99 ${quantile(s, 0.99).toFixed(0)} -> ${quantile(sm, 0.99).toFixed(0)} us`);
      }
    }
    return { runs };
  } finally {
    await Promise.all(targets.map((t) => t.proc.stop()));
  }
}
