// Measures what each compile flag costs and buys for the host binary: size, `--version` wall
// time (module load + exit) and time to the `initialize` reply over stdio. Prints a Markdown table.
//   bun build/measure-flags.ts [--runs N]
// Numbers feed CHOSEN_FLAGS in build/compile.ts and the README's "Build flags" table (issue 5).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FlagChoice, compile, packageVersion } from './compile.ts';
import { probeInitialize } from './stdio-probe.ts';

/** The variants measured: none, each flag alone, and the combinations worth shipping. */
export const VARIANTS: { name: string; choice: FlagChoice }[] = [
  { name: 'plain', choice: { minify: false, bytecode: false, sourcemap: false } },
  { name: 'minify', choice: { minify: true, bytecode: false, sourcemap: false } },
  { name: 'bytecode', choice: { minify: false, bytecode: true, sourcemap: false } },
  { name: 'sourcemap', choice: { minify: false, bytecode: false, sourcemap: true } },
  { name: 'minify+bytecode', choice: { minify: true, bytecode: true, sourcemap: false } },
  { name: 'minify+sourcemap', choice: { minify: true, bytecode: false, sourcemap: true } },
  { name: 'minify+bytecode+sourcemap', choice: { minify: true, bytecode: true, sourcemap: true } },
  { name: 'minify+bytecode+jit100', choice: { minify: true, bytecode: true, sourcemap: false, jitPolicy: 100 } },
];

/** The median of a non-empty list. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function timeVersion(binary: string): number {
  const started = performance.now();
  const result = spawnSync(binary, ['--version'], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) throw new Error(`${binary} --version exited ${result.status}`);
  return performance.now() - started;
}

/** Per-variant samples, taken round-robin so that machine load drifts over all variants alike. */
async function sample(binaries: string[], project: string, runs: number) {
  const samples = binaries.map(() => ({ version: [] as number[], init: [] as number[] }));
  for (const binary of binaries) timeVersion(binary); // the first run pays the page cache
  for (let i = 0; i < runs; i++) {
    for (const [j, binary] of binaries.entries()) {
      samples[j]!.version.push(timeVersion(binary));
      samples[j]!.init.push((await probeInitialize(binary, project)).replyMs);
    }
  }
  return samples;
}

const ms = (values: number[]) => `${median(values).toFixed(1)} (${Math.min(...values).toFixed(1)})`;

if (import.meta.main) {
  const at = process.argv.indexOf('--runs');
  const runs = at > 0 ? Number(process.argv[at + 1]) : 20;
  const work = mkdtempSync(join(tmpdir(), 'praxis-flags-'));
  const project = join(work, 'project');
  mkdirSync(join(project, '.praxis-os', 'standards'), { recursive: true });
  const rows = ['| flags | size (MB) | --version median (min) ms | initialize median (min) ms |', '|---|---:|---:|---:|'];
  try {
    const binaries = VARIANTS.map(({ name, choice }) => {
      const binary = join(work, `praxis-mcp-${name}${process.platform === 'win32' ? '.exe' : ''}`);
      compile(binary, packageVersion(), undefined, choice);
      return binary;
    });
    const samples = await sample(binaries, project, runs);
    for (const [j, { name }] of VARIANTS.entries()) {
      const mb = (statSync(binaries[j]!).size / 1e6).toFixed(1);
      rows.push(`| ${name} | ${mb} | ${ms(samples[j]!.version)} | ${ms(samples[j]!.init)} |`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  process.stdout.write(`${process.platform}-${process.arch}, bun ${process.versions.bun}, ${runs} runs each\n\n${rows.join('\n')}\n`);
}
