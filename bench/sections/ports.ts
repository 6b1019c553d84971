// Port allocation with the first 50 ports of the range taken: `listenFirstFree` with the server's
// own bind (src/net/listen.ts + src/runtime.ts), in this process; and the whole binary started
// into that range, spawn to /health 200.
import { listenFirstFree } from '../../src/net/listen.ts';
import { listenHttp } from '../../src/runtime.ts';
import type { BenchContext } from '../lib/context.ts';
import { startProc, waitHttpOk } from '../lib/procs.ts';
import { Runs } from '../lib/stats.ts';

/** Results: `allocate_ms` (in process) and `start_ms` (binary, spawn to /health 200), 50 ports taken. */
export interface PortResults {
  runs: Runs;
}

/** Occupies 50 ports, then allocates the 51st repeatedly. */
export async function portsSection(ctx: BenchContext): Promise<PortResults> {
  const runs = new Runs();
  const start = ctx.port(60);
  const range = { start, end: start + 59 };
  const taken = Array.from({ length: 50 }, (_, i) =>
    Bun.serve({ hostname: '127.0.0.1', port: start + i, reusePort: false, fetch: () => new Response('taken') }),
  );
  try {
    const rounds = Math.max(10, ctx.options.rounds);
    for (let round = 0; round < rounds; round++) {
      const t0 = performance.now();
      const bound = listenFirstFree('127.0.0.1', start, range, (port) => listenHttp({ hostname: '127.0.0.1', port, fetch: () => new Response('ok') }));
      runs.add('allocate_ms', performance.now() - t0);
      if (bound.port !== start + 50) throw new Error(`expected port ${start + 50}, got ${bound.port}`);
      await bound.listener.stop(true);
    }
    for (let round = 0; round < Math.min(5, rounds); round++) {
      const t0 = performance.now();
      const proc = startProc('praxis-mcp', ctx.praxis, ['serve', '--transport', 'http', '--project', ctx.project.root, '--port', String(start), '--port-range', `${range.start}-${range.end}`, '--log-level', 'warn']);
      await waitHttpOk(`http://127.0.0.1:${start + 50}/health`, proc);
      runs.add('start_ms', performance.now() - t0);
      await proc.stop();
    }
    ctx.log(`ports: allocate ${runs.summary('allocate_ms')!.median.toFixed(2)} ms with 50 taken`);
    return { runs };
  } finally {
    for (const s of taken) s.stop(true);
  }
}
