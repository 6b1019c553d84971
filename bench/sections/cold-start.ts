// Cold start: spawn to the first `/health` 200 and to the state file being present (HTTP), and
// spawn to the `initialize` reply (stdio); the floor is a bare compiled Bun "hello" binary.
import { existsSync, rmSync } from 'node:fs';
import type { BenchContext } from '../lib/context.ts';
import { type Proc, answersAs, startProc } from '../lib/procs.ts';
import { initialize, stdioClient } from '../lib/stdio-client.ts';
import { Runs, pause } from '../lib/stats.ts';

/** Results: `praxis|hello:health|state|initialize` in ms. */
export interface ColdResults {
  runs: Runs;
}

/** Polls (about every 0.2 ms) until `/health` answers 200 and, for praxis, the state file exists. */
async function timeHttpStart(proc: Proc, port: number, statePath: string | undefined, t0: number) {
  let health: number | undefined;
  let state: number | undefined = statePath ? undefined : 0;
  const deadline = t0 + 10_000;
  while (health === undefined || state === undefined) {
    if (state === undefined && existsSync(statePath!)) state = performance.now() - t0;
    if (health === undefined) {
      if (await answersAs(`http://127.0.0.1:${port}/health`, proc.pid)) health = performance.now() - t0;
    }
    if (performance.now() > deadline || proc.child.exitCode !== null) throw new Error(`${proc.name} did not start: ${proc.stderr()}`);
    if (health === undefined || state === undefined) await pause(0.2);
  }
  return { health, state: statePath ? state : undefined };
}

/** Spawns each binary `rounds` times (at least 10), alternating, and times it to ready. */
export async function coldStartSection(ctx: BenchContext): Promise<ColdResults> {
  const runs = new Runs();
  const port = ctx.port();
  const rounds = Math.max(ctx.options.quick ? 5 : 10, ctx.options.rounds);
  for (let round = 0; round < rounds; round++) {
    rmSync(ctx.project.statePath, { force: true });
    let t0 = performance.now();
    let proc = startProc('praxis-mcp', ctx.praxis, ['serve', '--transport', 'dual', '--project', ctx.project.root, '--port', String(port), '--port-range', `${port}-${port}`, '--log-level', 'warn']);
    const p = await timeHttpStart(proc, port, ctx.project.statePath, t0);
    await proc.stop();
    runs.add('praxis:health', p.health);
    runs.add('praxis:state', p.state);

    t0 = performance.now();
    proc = startProc('hello', ctx.hello, [String(port)]);
    const h = await timeHttpStart(proc, port, undefined, t0);
    await proc.stop();
    runs.add('hello:health', h.health);

    for (const [id, cmd, args] of [
      ['praxis', ctx.praxis, ['serve', '--transport', 'stdio', '--project', ctx.project.root, '--log-level', 'warn']],
      ['hello', ctx.hello, ['0']],
    ] as const) {
      t0 = performance.now();
      proc = startProc(id, cmd, [...args]);
      await initialize(stdioClient(proc));
      runs.add(`${id}:initialize`, performance.now() - t0);
      await proc.stop();
    }
    ctx.log(`cold: round ${round + 1}: praxis health ${p.health.toFixed(1)} ms, state ${p.state?.toFixed(1)} ms; hello ${h.health.toFixed(1)} ms`);
  }
  return { runs };
}
