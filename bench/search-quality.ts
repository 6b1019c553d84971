// Search quality on the labelled dev set ../shared/search-devset (issue 12). Not a timed test.
//
//   bun bench/search-quality.ts                 runs the dev set's own runner (run.ts, its hit rule)
//                                               against dist/praxis-mcp over stdio, and prints its table
//   bun bench/search-quality.ts --binary PATH   the same against another binary
//   bun bench/search-quality.ts --in-process    the same queries and hit rule against the index in this
//                                               process (seconds, for trying ranking changes);
//                                               --ranking '{"docBlend":0.2}' overrides RANKING knobs
//   --half odd|even                             in process: only the queries at odd or even indices
//   SHOW_MISSES=1 prints every query missed at 5.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadCorpus } from '../src/standards/corpus.ts';
import { resolveRoots } from '../src/standards/roots.ts';
import { FtsIndex, RANKING } from '../src/standards/search-index.ts';
import { TUNING } from '../src/standards/query.ts';
import { openStore } from '../src/store/index.ts';

const root = join(import.meta.dirname, '..');
export const DEVSET = resolve(root, '..', 'shared', 'search-devset');
const arg = (name: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
};

interface Answer { file: string; section: string }
interface Query { q: string; kind: string; answers: Answer[] }
export interface Score { n: number; recall_at_1: number; recall_at_5: number; mrr_at_10: number }
export interface QualityResult { overall: Score; per_kind: Record<string, Score>; latency_ms?: { p50: number; p99: number } }

/** The dev set's hit rule (run.ts `isHit`): same file, heading path containing the labelled section. */
export function isHit(hit: { file: string; heading_path: string }, answers: Answer[]): boolean {
  const f = hit.file.replace(/\\/g, '/');
  const m = /(?:^|\/)\.praxis-os\/standards\/(.*)$/.exec(f);
  const file = (m ? m[1]! : f).replace(/^standards\//, '').replace(/^\.\//, '');
  const hp = (hit.heading_path ?? '').toLowerCase();
  return answers.some((a) => a.file === file && hp.includes(a.section.toLowerCase()));
}

const r3 = (x: number) => Math.round(x * 1000) / 1000;
function score(ranks: number[]): Score {
  return {
    n: ranks.length,
    recall_at_1: r3(ranks.filter((r) => r === 1).length / ranks.length),
    recall_at_5: r3(ranks.filter((r) => r >= 1 && r <= 5).length / ranks.length),
    mrr_at_10: r3(ranks.reduce((s, r) => s + (r >= 1 && r <= 10 ? 1 / r : 0), 0) / ranks.length),
  };
}

/** Runs the dev set against the index in this process (same queries, n_results 10, same hit rule). */
export async function inProcess(devset = DEVSET, showMisses = false, half?: 'odd' | 'even'): Promise<QualityResult> {
  const all: Query[] = JSON.parse(readFileSync(join(devset, 'queries.json'), 'utf8'));
  // A held-out half (by index) to check that a change tuned on one half also helps the other.
  const queries = half ? all.filter((_, i) => i % 2 === (half === 'odd' ? 1 : 0)) : all;
  const project = mkdtempSync(join(tmpdir(), 'praxis-quality-'));
  const praxisDir = join(project, '.praxis-os');
  mkdirSync(praxisDir);
  cpSync(join(devset, 'corpus'), join(praxisDir, 'standards'), { recursive: true });
  const store = openStore({ path: ':memory:' });
  try {
    const fts = new FtsIndex(store);
    fts.update((await loadCorpus(resolveRoots(project, praxisDir, undefined).roots)).files);
    const docs = new Map(fts.snapshot(new Date(), 0, 'full').docs.map((d) => [d.id, d]));
    const rows = queries.map((q) => {
      const hits = fts.search({ query: q.q, limit: 10 }, docs);
      const rank = hits.findIndex((h) => isHit(h, q.answers)) + 1;
      if (showMisses && (rank === 0 || rank > 5)) {
        console.log(`miss@5 [${q.kind}] ${q.q} (rank ${rank || '>10'})\n   top: ${hits.slice(0, 3).map((h) => `${h.file} > ${h.heading_path}`).join(' | ')}`);
      }
      return { kind: q.kind, rank };
    });
    const kinds = [...new Set(rows.map((r) => r.kind))].sort();
    return {
      overall: score(rows.map((r) => r.rank)),
      per_kind: Object.fromEntries(kinds.map((k) => [k, score(rows.filter((r) => r.kind === k).map((r) => r.rank))])),
    };
  } finally {
    store.close();
    rmSync(project, { recursive: true, force: true });
  }
}

/** Runs the dev set's own runner against a binary over stdio; returns its final JSON line. */
export function viaRunner(binary: string, devset = DEVSET): QualityResult {
  const run = spawnSync(join(root, 'node_modules', '.bin', 'bun'), [join(devset, 'run.ts'), binary], {
    encoding: 'utf8',
    env: { ...process.env, NODE_PATH: join(root, 'node_modules') },
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`run.ts failed (${run.status}): ${run.stderr}`);
  if (process.env.SHOW_MISSES) process.stdout.write(run.stdout.split('\n').filter((l) => l.startsWith('miss@5') || l.startsWith('   top')).join('\n') + '\n');
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!);
}

/** The per-kind table in Markdown. */
export function qualityTable(result: QualityResult, label = ''): string {
  const line = (kind: string, s: Score) =>
    `| ${kind} | ${s.n} | ${s.recall_at_1.toFixed(3)} | ${s.recall_at_5.toFixed(3)} | ${s.mrr_at_10.toFixed(3)} |`;
  return [
    `| kind${label ? ` (${label})` : ''} | n | R@1 | R@5 | MRR@10 |`,
    '|---|---:|---:|---:|---:|',
    line('overall', result.overall),
    ...Object.entries(result.per_kind)
      .sort((a, b) => b[1].n - a[1].n)
      .map(([k, s]) => line(k, s)),
  ].join('\n');
}

if (import.meta.main) {
  const ranking = arg('ranking');
  if (ranking) Object.assign(RANKING, JSON.parse(ranking));
  const tuning = arg('tuning');
  if (tuning) Object.assign(TUNING, JSON.parse(tuning));
  const inproc = process.argv.includes('--in-process');
  const result = inproc
    ? await inProcess(DEVSET, !!process.env.SHOW_MISSES, arg('half') as 'odd' | 'even' | undefined)
    : viaRunner(resolve(arg('binary') ?? join(root, 'dist', process.platform === 'win32' ? 'praxis-mcp.exe' : 'praxis-mcp')));
  console.log(qualityTable(result, inproc ? 'in process' : 'binary over stdio'));
  if (result.latency_ms) console.log(`\nlatency over stdio: p50 ${result.latency_ms.p50} ms, p99 ${result.latency_ms.p99} ms`);
  console.log(JSON.stringify({ overall: result.overall, per_kind: result.per_kind }));
}
