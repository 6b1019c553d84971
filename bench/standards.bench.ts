// Benchmark of the standards index (issue 4) on a generated corpus of 10,000 chunks: build time,
// query latency p50/p99, memory, and the time from a file change to the change being searchable;
// with a compiled binary, also the time to the state file with that corpus (readiness must not
// wait for the index). Not a timed test: it prints a Markdown table.
//   bun bench/standards.bench.ts [--chunks 10000] [--queries 2000] [--binary dist/praxis-mcp]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../src/log.ts';
import { loadCorpus } from '../src/standards/corpus.ts';
import { resolveRoots } from '../src/standards/roots.ts';
import { FtsIndex } from '../src/standards/search-index.ts';
import { openStore } from '../src/store/index.ts';
import { createStandardsIndex } from '../src/standards/standards-index.ts';

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1]! : fallback;
};
const CHUNKS = Number(arg('chunks', '10000'));
const QUERIES = Number(arg('queries', '2000'));
const SECTIONS_PER_FILE = 20;
const root = join(import.meta.dirname, '..');
const binary = arg('binary', join(root, 'dist', process.platform === 'win32' ? 'praxis-mcp.exe' : 'praxis-mcp'));

/** A small deterministic PRNG (mulberry32), so every run indexes the same corpus. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = rng(42);
/** Real English: the words of the bundled example's standards, most frequent first, drawn with a Zipf-like skew. */
function exampleVocabulary(): string[] {
  const counts = new Map<string, number>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.md')) {
        for (const w of readFileSync(join(dir, e.name), 'utf8').toLowerCase().match(/[a-z]{3,}/g) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
      }
    }
  };
  walk(join(root, 'example', '.praxis-os'));
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([w]) => w);
}
const VOCAB = exampleVocabulary();
const word = () => VOCAB[Math.floor(VOCAB.length * random() ** 3)]!;
const words = (n: number) => Array.from({ length: n }, word).join(' ');

/** Writes the corpus: files of 20 sections (h2 + h3) of about 80 words, some with a code fence. */
export function writeCorpus(dir: string, chunks: number): number {
  const files = Math.ceil(chunks / SECTIONS_PER_FILE);
  for (let f = 0; f < files; f++) {
    const sub = join(dir, `area-${f % 25}`);
    mkdirSync(sub, { recursive: true });
    const parts = [`---\ntitle: ${words(3)}\ntags: [${word()}, ${word()}]\nphase: ${f % 4}\n---\n# ${words(3)}\n`];
    for (let s = 0; s < SECTIONS_PER_FILE; s++) {
      parts.push(`${s % 2 === 0 ? '##' : '###'} ${words(3)}\n\n${words(40)}.\n\n${words(40)}.\n`);
      if (s % 5 === 0) parts.push('```ts\nconst x = 1;\n```\n');
    }
    writeFileSync(join(sub, `doc-${f}.md`), parts.join('\n'));
  }
  return files;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 1)} ms`;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const gc = () => (globalThis as { Bun?: { gc(force: boolean): void } }).Bun?.gc(true);

/** Spawns the binary in http mode and measures the time until the state file exists. */
export async function timeToStateFile(project: string, exe = binary): Promise<number> {
  const statePath = join(project, '.praxis-os', '.mcp_server_state.json');
  rmSync(statePath, { force: true });
  const started = performance.now();
  const child = spawn(exe, ['serve', '--transport', 'http', '--port', '0', '--project', project], { stdio: 'ignore' });
  try {
    for (;;) {
      if (existsSync(statePath) && readFileSync(statePath, 'utf8').includes('"url"')) return performance.now() - started;
      if (performance.now() - started > 10_000) throw new Error('no state file after 10 s');
      await new Promise((r) => setTimeout(r, 1));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

async function main(): Promise<void> {
  const project = mkdtempSync(join(tmpdir(), 'praxis-std-bench-'));
  const praxisDir = join(project, '.praxis-os');
  const dir = join(praxisDir, 'standards');
  const rows: [string, string][] = [];
  try {
    const files = writeCorpus(dir, CHUNKS);
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    const rssBefore = process.memoryUsage().rss;
    let t = performance.now();
    const corpus = await loadCorpus(resolveRoots(project, praxisDir, undefined).roots);
    const loadMs = performance.now() - t;
    t = performance.now();
    const fts = new FtsIndex(openStore({ path: join(praxisDir, '.cache', 'bench.db') }));
    fts.update(corpus.files);
    const snapshot = fts.snapshot(new Date(), 0, 'full');
    const byId = new Map(snapshot.docs.map((d) => [d.id, d]));
    const searchSnapshot = (_s: unknown, q: { query: string; limit: number }) => fts.search(q, byId);
    const indexMs = performance.now() - t;
    gc();
    const heapAfter = process.memoryUsage().heapUsed;
    const rssAfter = process.memoryUsage().rss;
    rows.push(['corpus', `${files} files, ${snapshot.chunks.size} chunks`]);
    rows.push(['read + parse + chunk', ms(loadMs)]);
    rows.push(['index build (SQLite FTS5, one transaction)', ms(indexMs)]);
    rows.push(['heap held by corpus + index', mb(heapAfter - heapBefore)]);
    rows.push(['RSS growth', mb(rssAfter - rssBefore)]);

    const queries = Array.from({ length: QUERIES }, (_, i) => {
      const q = words(2 + (i % 3));
      // Every fourth query has a typo, to exercise fuzzy matching.
      return i % 4 === 0 ? q.replace(/([a-z])([a-z])/, '$2$1') : q;
    });
    for (const q of queries.slice(0, 200)) searchSnapshot(snapshot, { query: q, limit: 5 });
    const times: number[] = [];
    for (const q of queries) {
      const s = performance.now();
      searchSnapshot(snapshot, { query: q, limit: 5 });
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    rows.push([`query latency p50 (${QUERIES} queries, 2-4 words, 1 in 4 with a typo)`, ms(pct(times, 50))]);
    rows.push(['query latency p99', ms(pct(times, 99))]);
    rows.push(['query latency max', ms(times.at(-1)!)]);

    // Change to searchable: the real index with its watcher, as the server runs it.
    const index = createStandardsIndex({ projectRoot: project, praxisDir, log: silentLogger });
    index.start();
    await index.snapshot();
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      // Change one existing 20-chunk file, as an editor save does; wait until its new text is found.
      const token = `marker${'abcdefghij'[i]}${'jihgfedcba'[i]}q`;
      const file = `area-${i}/doc-${i}.md`;
      const s = performance.now();
      writeFileSync(join(dir, file), `${readFileSync(join(dir, file), 'utf8')}\n## Changed ${i}\n${token} ${words(20)}\n`);
      const found = async () => (await index.search({ query: token, limit: 1 })).hits[0]?.file === file;
      while (!(await found())) await new Promise((r) => setTimeout(r, 1));
      latencies.push(performance.now() - s);
    }
    const incremental = index.stats();
    index.close();
    latencies.sort((a, b) => a - b);
    rows.push(['change to searchable, median of 5 (debounce 25 ms + rebuild)', ms(pct(latencies, 50))]);
    rows.push(['change to searchable, max of 5', ms(latencies.at(-1)!)]);
    rows.push(['of which: re-read all files (content compare) + in-place index update', `${ms(incremental.build_ms as number)} (last change)`]);

    if (existsSync(binary)) {
      const empty = mkdtempSync(join(tmpdir(), 'praxis-std-bench-empty-'));
      mkdirSync(join(empty, '.praxis-os'));
      // Interleaved, so that machine noise hits both projects alike.
      const runs: { empty: number[]; corpus: number[] } = { empty: [], corpus: [] };
      for (let i = 0; i < 9; i++) {
        runs.empty.push(await timeToStateFile(empty));
        runs.corpus.push(await timeToStateFile(project));
      }
      const median = (v: number[]) => v.sort((a, b) => a - b)[4]!;
      rows.push(['binary: spawn to state file, empty project (median of 9)', ms(median(runs.empty))]);
      rows.push([`binary: spawn to state file, ${snapshot.chunks.size}-chunk corpus (median of 9)`, ms(median(runs.corpus))]);
      rmSync(empty, { recursive: true, force: true });
    } else {
      rows.push(['binary: spawn to state file', `skipped (no binary at ${binary})`]);
    }
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
  const machine = `${process.platform}-${process.arch}, ${navigator.hardwareConcurrency} cores, Bun ${process.versions.bun ?? '?'}`;
  process.stdout.write(`### search_standards benchmark (${machine})\n\n| measure | value |\n|---|---|\n`);
  for (const [k, v] of rows) process.stdout.write(`| ${k} | ${v} |\n`);
}

if (import.meta.main) await main();
