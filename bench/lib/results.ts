// The shape of one bench run, what goes to bench/results/latest.json, and the targets
// checked against it.
import type { ColdResults } from '../sections/cold-start.ts';
import type { HttpResults } from '../sections/http.ts';
import type { MemoryResults } from '../sections/memory.ts';
import type { MixedResults } from '../sections/mixed.ts';
import type { PortResults } from '../sections/ports.ts';
import type { StateResults } from '../sections/state-file.ts';
import type { StdioResults } from '../sections/stdio.ts';

/** Everything one run measured. */
export interface BenchResults {
  meta: { date: string; machine: string; generator: string; rounds: number; durationS: number; concurrency: number[]; quick: boolean; binary: string };
  http?: HttpResults;
  stdio?: StdioResults;
  mixed?: MixedResults;
  cold?: ColdResults;
  memory?: MemoryResults;
  state?: StateResults;
  ports?: PortResults;
  targets: { name: string; measured: string; met?: boolean }[];
}

const f = (x: number | undefined, d = 0) => (x === undefined ? '-' : x.toFixed(d));

/** Checks the targets of issue 6 against the medians of a run. */
export function checkTargets(r: BenchResults): BenchResults['targets'] {
  const t: BenchResults['targets'] = [];
  const h = r.http?.runs;
  if (h) {
    const praxis = h.summary('praxis-current_date@c10:rps')?.median;
    const sdk = ['node', 'bun'].flatMap((rt) => ['stateful', 'stateless'].map((s) => h.summary(`sdk-v1-${s}-${rt}@c10:rps`)?.median ?? 0));
    const bestSdk = Math.max(...sdk);
    const floor = h.summary('bun-serve@c10:rps')?.median;
    const p50 = h.summary('praxis-current_date@c1:p50')?.median;
    const floorP50 = h.summary('bun-serve@c1:p50')?.median;
    if (praxis && bestSdk) t.push({ name: 'HTTP c=10 req/s >= 2x best SDK config', measured: `${f(praxis)} vs ${f(bestSdk)} (${f(praxis / bestSdk, 2)}x)`, met: praxis >= 2 * bestSdk });
    if (praxis && floor) t.push({ name: 'HTTP c=10 req/s >= 30% of bare Bun.serve', measured: `${f((100 * praxis) / floor)}%`, met: praxis >= 0.3 * floor });
    if (p50 && floorP50) t.push({ name: 'HTTP p50 at c=1 within 1.5x of the floor', measured: `${f(p50)} us vs ${f(floorP50)} us (${f(p50 / floorP50, 2)}x)`, met: p50 <= 1.5 * floorP50 });
  }
  const cold = r.cold?.runs.summary('praxis:health')?.median;
  const coldState = r.cold?.runs.summary('praxis:state')?.median;
  if (cold !== undefined && coldState !== undefined) {
    const ready = Math.max(cold, coldState);
    t.push({ name: 'cold start to /health 200 with state file <= 40 ms', measured: `${f(ready, 1)} ms`, met: ready <= 40 });
  }
  const m = r.memory?.runs;
  if (m) {
    const idle = m.summary('idle')?.median ?? 0;
    const a10 = m.summary('after_10k')?.median ?? 0;
    const a100 = m.summary('after_100k')?.median ?? 0;
    t.push({ name: 'RSS idle <= 50 MB', measured: `${f(idle, 1)} MB`, met: idle <= 50 });
    t.push({ name: 'RSS after 100k calls <= 80 MB', measured: `${f(a100, 1)} MB`, met: a100 <= 80 });
    // "Flat": allow 10% (allocator and JIT noise), not steady growth.
    t.push({ name: 'RSS flat from 10k to 100k calls (within 10%)', measured: `${f(a10, 1)} -> ${f(a100, 1)} MB`, met: a100 <= a10 * 1.1 });
  }
  const ports = r.ports?.runs.summary('allocate_ms')?.median;
  if (ports !== undefined) t.push({ name: 'port allocation with 50 taken < 50 ms', measured: `${f(ports, 2)} ms`, met: ports < 50 });
  const mx = r.mixed?.runs;
  if (mx) {
    for (const tr of ['http', 'stdio']) {
      const solo = mx.summary(`praxis:${tr}:solo:p99`)?.median;
      const mixed = mx.summary(`praxis:${tr}:mixed:p99`)?.median;
      if (solo && mixed) t.push({ name: `mixed load: ${tr} p99 <= 2x solo`, measured: `${f(mixed)} vs ${f(solo)} us (${f(mixed / solo, 2)}x)`, met: mixed <= 2 * solo });
    }
  }
  return t;
}

/** A JSON-safe copy (Runs become `{ key: { median, min, max, runs, values } }`). */
export function toJson(r: BenchResults): unknown {
  return JSON.parse(JSON.stringify(r));
}
