// `npm run bench`: measures the compiled praxis-mcp against the floor (bare Bun.serve, bare Hono,
// a compiled Bun hello) and the peers (official SDK v1 on Node and Bun), side by side in one run;
// prints a Markdown table and writes JSON to bench/results/latest.json. See README, Performance.
//   bun bench/run.ts [--quick] [--only http,stdio,...] [--binary PATH] [--rounds N] [--duration S]
import { cpus, totalmem } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { helloBinary, praxisBinary } from './lib/build.ts';
import type { BenchContext } from './lib/context.ts';
import { pickGenerator } from './lib/load.ts';
import { parseOptions } from './lib/options.ts';
import { portAllocator, stopAll } from './lib/procs.ts';
import { benchProject } from './lib/project.ts';
import { renderReport } from './lib/report.ts';
import { type BenchResults, checkTargets, toJson } from './lib/results.ts';
import { coldStartSection } from './sections/cold-start.ts';
import { httpSection } from './sections/http.ts';
import { memorySection } from './sections/memory.ts';
import { mixedSection } from './sections/mixed.ts';
import { portsSection } from './sections/ports.ts';
import { stateFileSection } from './sections/state-file.ts';
import { stdioSection } from './sections/stdio.ts';

const options = parseOptions(process.argv.slice(2), join(import.meta.dirname, 'results', 'latest.json'));
const log = (message: string) => process.stderr.write(`bench: ${message}\n`);
const started = performance.now();

log('building the praxis-mcp binary and the hello floor');
const praxis = praxisBinary(options.binary);
const hello = helloBinary();
const generator = pickGenerator(options.generator, options.installWrk);
if (generator === 'autocannon') log('wrk not found: using autocannon, whose own CPU cost caps the floor lower (--install-wrk installs wrk with apt-get)');
const project = benchProject();
const ctx: BenchContext = { options, praxis, hello, project, port: portAllocator(options.basePort), generator, log };

const cpu = cpus()[0]?.model ?? 'unknown CPU';
const results: BenchResults = {
  meta: {
    date: new Date().toISOString(),
    machine: `${cpus().length} x ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB, ${process.platform} ${process.arch}; Bun ${Bun.version}, Node ${nodeVersion()}; load generator ${generator}, one thread, same machine; HTTP with the bearer token, protocol 2025-11-25, SSE replies`,
    generator,
    rounds: options.rounds,
    durationS: options.durationS,
    concurrency: options.concurrency,
    quick: options.quick,
    binary: praxis,
  },
  targets: [],
};

const cleanup = async () => {
  await stopAll();
  project.cleanup();
};
process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));

try {
  const want = new Set(options.sections);
  if (want.has('http')) results.http = await httpSection(ctx);
  if (want.has('stdio')) results.stdio = await stdioSection(ctx);
  if (want.has('mixed')) results.mixed = await mixedSection(ctx);
  if (want.has('cold')) results.cold = await coldStartSection(ctx);
  if (want.has('memory')) results.memory = await memorySection(ctx);
  if (want.has('state')) results.state = await stateFileSection(ctx);
  if (want.has('ports')) results.ports = await portsSection(ctx);
} finally {
  await cleanup();
}

results.targets = checkTargets(results);
mkdirSync(dirname(options.out), { recursive: true });
writeFileSync(options.out, `${JSON.stringify(toJson(results), null, 2)}\n`);
process.stdout.write(`${renderReport(results)}\n`);
log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s; JSON in ${options.out}`);
process.exit(0);

function nodeVersion(): string {
  try {
    return Bun.spawnSync(['node', '--version']).stdout.toString().trim();
  } catch {
    return 'not found';
  }
}
