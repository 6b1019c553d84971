// stdio: round-trip latency one request at a time, and throughput with requests pipelined, for
// praxis-mcp and the SDK v1 stdio server on Node and on Bun, interleaved.
import type { BenchContext } from '../lib/context.ts';
import { benchFile } from '../lib/build.ts';
import { type Proc, startProc } from '../lib/procs.ts';
import { type StdioClient, initialize, stdioClient } from '../lib/stdio-client.ts';
import { Runs, quantile } from '../lib/stats.ts';

/** Results: `<target>:p50|p99|seq_rps|pipelined_rps`. */
export interface StdioResults {
  targets: { id: string; label: string }[];
  runs: Runs;
}

const CALL = { name: 'current_date', arguments: {} };

/** Times `durationMs` of sequential calls; returns per-call latencies in microseconds. */
export async function sequentialCalls(client: StdioClient, durationMs: number, maxCalls = 200_000): Promise<number[]> {
  const latencies: number[] = [];
  const end = performance.now() + durationMs;
  while (performance.now() < end && latencies.length < maxCalls) {
    const t0 = performance.now();
    const reply = await client.request('tools/call', CALL);
    latencies.push((performance.now() - t0) * 1000);
    if (latencies.length === 1 && !reply.includes('"result"')) throw new Error(`stdio call failed: ${reply.slice(0, 300)}`);
  }
  return latencies;
}

/** Starts every stdio target and measures them in rotating order. */
export async function stdioSection(ctx: BenchContext): Promise<StdioResults> {
  const targets: { id: string; label: string; proc: Proc; client: StdioClient }[] = [];
  const runs = new Runs();
  const add = (id: string, label: string, proc: Proc) => targets.push({ id, label, proc, client: stdioClient(proc) });
  try {
    add('praxis', 'praxis-mcp (binary)', startProc('praxis-mcp stdio', ctx.praxis, ['serve', '--transport', 'stdio', '--project', ctx.project.root, '--log-level', 'warn']));
    add('sdk-v1-node', 'SDK v1 stdio, Node', startProc('sdk-v1 stdio node', 'node', [benchFile('peers/sdk-v1-server.mjs'), 'stdio']));
    add('sdk-v1-bun', 'SDK v1 stdio, Bun', startProc('sdk-v1 stdio bun', process.execPath, [benchFile('peers/sdk-v1-server.mjs'), 'stdio']));
    for (const t of targets) {
      await initialize(t.client);
      await sequentialCalls(t.client, 300);
      await t.client.pipelined(2000, 'tools/call', CALL);
    }
    const seqMs = ctx.options.durationS * 1000;
    const batch = ctx.options.quick ? 5000 : 20_000;
    for (let round = 0; round < ctx.options.rounds; round++) {
      for (let i = 0; i < targets.length; i++) {
        const t = targets[(i + round) % targets.length]!;
        const lat = await sequentialCalls(t.client, seqMs);
        runs.add(`${t.id}:p50`, quantile(lat, 0.5));
        runs.add(`${t.id}:p99`, quantile(lat, 0.99));
        runs.add(`${t.id}:seq_rps`, lat.length / (seqMs / 1000));
        const t0 = performance.now();
        await t.client.pipelined(batch, 'tools/call', CALL);
        const rps = batch / ((performance.now() - t0) / 1000);
        runs.add(`${t.id}:pipelined_rps`, rps);
        ctx.log(`stdio: round ${round + 1} ${t.label}: p50 ${quantile(lat, 0.5).toFixed(0)} us, pipelined ${Math.round(rps)}/s`);
      }
    }
    return { targets: targets.map(({ id, label }) => ({ id, label })), runs };
  } finally {
    await Promise.all(targets.map((t) => t.proc.stop()));
  }
}
