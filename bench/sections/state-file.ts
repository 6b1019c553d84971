// State file: read-and-validate and atomic write operations per second, in this process, through
// the same modules the server uses; plain reads and writes (no validation, no fsync and rename)
// are the floor that shows what the guarantees cost.
import { readFileSync, writeFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readState, writeState } from '../../src/state/state-file.ts';
import type { ServerState } from '../../src/state/schema.ts';
import type { BenchContext } from '../lib/context.ts';
import { Runs } from '../lib/stats.ts';

/** Results: ops/s of `read_validate`, `atomic_write` and their floors. */
export interface StateResults {
  runs: Runs;
}

async function opsPerSecond(ms: number, op: () => Promise<unknown>): Promise<number> {
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    await op();
    n++;
  }
  return n / ((performance.now() - t0) / 1000);
}

/** Measures each operation for a fixed time per round, rotating their order. */
export async function stateFileSection(ctx: BenchContext): Promise<StateResults> {
  const runs = new Runs();
  const path = join(ctx.project.root, '.praxis-os', 'bench_state.json');
  const state: ServerState = {
    version: '1.0.0', transport: 'dual', port: 4242, host: '127.0.0.1', path: '/mcp', url: 'http://127.0.0.1:4242/mcp',
    pid: process.pid, started_at: new Date().toISOString(), project: { name: 'bench', root: ctx.project.root },
    instance_id: crypto.randomUUID(), auth: { type: 'bearer', token: 'x'.repeat(43) }, server_version: '0.0.0',
  };
  await writeState(path, state);
  if ((await readState(path))?.instance_id !== state.instance_id) throw new Error('state file round trip failed');
  const text = readFileSync(path, 'utf8');
  const ops: [string, () => Promise<unknown>][] = [
    ['read_validate', () => readState(path)],
    ['read_floor', async () => JSON.parse(await readFile(path, 'utf8'))],
    ['atomic_write', () => writeState(path, state)],
    ['write_floor', () => writeFile(`${path}.plain`, text)],
  ];
  const ms = ctx.options.quick ? 300 : 1000;
  for (let round = 0; round < Math.max(3, ctx.options.rounds); round++) {
    for (let i = 0; i < ops.length; i++) {
      const [name, op] = ops[(i + round) % ops.length]!;
      runs.add(name, await opsPerSecond(ms, op));
    }
  }
  writeFileSync(`${path}.plain`, '');
  ctx.log(`state: read ${Math.round(runs.summary('read_validate')!.median)}/s, atomic write ${Math.round(runs.summary('atomic_write')!.median)}/s`);
  return { runs };
}
