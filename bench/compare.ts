// A/B of two praxis-mcp binaries over HTTP tools/call, interleaved, for before/after numbers of a
// single change:  bun bench/compare.ts BEFORE AFTER [--rounds 5] [--duration 3] [--c 1,10,64] [--tool current_date]
import type { BenchContext } from './lib/context.ts';
import { pickGenerator, runLoad } from './lib/load.ts';
import { cpuMs, stopAll } from './lib/procs.ts';
import { benchProject } from './lib/project.ts';
import { Runs } from './lib/stats.ts';
import { type HttpServer, preflight, startPraxis, toolCallBody } from './lib/targets.ts';
import { fmt } from './lib/report.ts';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1]! : fallback;
};
const [before, after] = args.filter((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
if (!before || !after) throw new Error('usage: bun bench/compare.ts BEFORE_BINARY AFTER_BINARY [--rounds N] [--duration S] [--c 1,10]');
const rounds = Number(flag('rounds', '5'));
const durationS = Number(flag('duration', '3'));
const levels = flag('c', '1,10').split(',').map(Number);
const tool = flag('tool', 'current_date');
const generator = pickGenerator();
const log: BenchContext['log'] = (m) => process.stderr.write(`compare: ${m}\n`);

const projects = [benchProject(), benchProject()];
const runs = new Runs();
try {
  const servers: HttpServer[] = [await startPraxis(before, projects[0]!, 47800), await startPraxis(after, projects[1]!, 47820)];
  const body = toolCallBody(tool, tool === 'search_standards' ? { query: 'error handling timeouts' } : {});
  for (const s of servers) await preflight({ id: s.id, label: s.label, server: s, body });
  for (const s of servers) await runLoad(generator, { url: s.url, headers: s.headers, body, connections: 10, durationS: 1 });
  for (let round = 0; round < rounds; round++) {
    for (const c of levels) {
      for (const i of round % 2 ? [1, 0] : [0, 1]) {
        const s = servers[i]!;
        const cpu0 = cpuMs(s.proc.pid);
        const r = await runLoad(generator, { url: s.url, headers: s.headers, body, connections: c, durationS });
        const cpu = cpuMs(s.proc.pid)! - cpu0!;
        const name = i === 0 ? 'before' : 'after';
        runs.add(`${name}@${c}:rps`, r.rps);
        runs.add(`${name}@${c}:p50`, r.p50us);
        runs.add(`${name}@${c}:p99`, r.p99us);
        runs.add(`${name}@${c}:cpu`, (cpu * 1000) / r.ok);
        log(`round ${round + 1} c=${c} ${name}: ${Math.round(r.rps)} rps, p50 ${r.p50us} us, ${((cpu * 1000) / r.ok).toFixed(0)} us CPU/req`);
      }
    }
  }
} finally {
  await stopAll();
  for (const p of projects) p.cleanup();
}
const rows = levels.map((c) => {
  const b = runs.summary(`before@${c}:rps`)!;
  const a = runs.summary(`after@${c}:rps`)!;
  return `| ${c} | ${fmt(b)} | ${fmt(a)} | ${(a.median / b.median).toFixed(2)}x | ${fmt(runs.summary(`before@${c}:p50`))} | ${fmt(runs.summary(`after@${c}:p50`))} | ${fmt(runs.summary(`before@${c}:cpu`))} | ${fmt(runs.summary(`after@${c}:cpu`))} |`;
});
process.stdout.write(`${tool} over HTTP, ${generator}, ${rounds} rounds x ${durationS} s, median [min-max]\n\n| c | before req/s | after req/s | after/before | before p50 us | after p50 us | before server CPU us/req | after server CPU us/req |\n|---|---|---|---|---|---|---|---|\n${rows.join('\n')}\n`);
process.exit(0);
