// Experiment helper (issue 12, embedding rerank; not product code): what shipping N word vectors
// would cost. `write SRC.json OUTDIR` writes the N most frequent words (N = 20k, 50k, 100k) as
// int8 vectors (one float32 scale per word) + a newline-separated word list; `load OUTDIR N`
// (one fresh process each) prints the file size, the load time (read + build the word map) and
// the RSS it adds; `query OUTDIR N` adds the per-query cost of the mean-vector rerank of 30
// candidates with precomputed chunk vectors.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
const [cmd, a, b] = process.argv.slice(2) as [string, string, string];
const NS = [20_000, 50_000, 100_000];
if (cmd === 'write') {
  const j = JSON.parse(readFileSync(a, 'utf8')) as { words: string[]; vectors: Record<string, number[]>; dimensions: number };
  const D = j.dimensions;
  for (const n of NS) {
    const words = j.words.slice(0, n); const q = new Int8Array(n * D); const sc = new Float32Array(n);
    words.forEach((w, i) => { const v = j.vectors[w]!.slice(0, D); const nn = Math.hypot(...v) || 1; const m = Math.max(...v.map(Math.abs)) / nn / 127 || 1; sc[i] = m; v.forEach((x, k) => (q[i * D + k] = Math.round(x / nn / m))); });
    writeFileSync(`${b}/emb-${n}.i8`, q); writeFileSync(`${b}/emb-${n}.scale`, sc); writeFileSync(`${b}/emb-${n}.words`, words.join('\n'));
  }
} else {
  const n = Number(b); const D = 100;
  Bun.gc(true); const rss0 = process.memoryUsage().rss; const t0 = performance.now();
  const q = new Int8Array(readFileSync(`${a}/emb-${n}.i8`).buffer.slice(0)); const sbuf = readFileSync(`${a}/emb-${n}.scale`);
  const sc = new Float32Array(sbuf.buffer, sbuf.byteOffset, sbuf.byteLength / 4);
  const ix = new Map<string, number>(); readFileSync(`${a}/emb-${n}.words`, 'utf8').split('\n').forEach((w, i) => ix.set(w, i));
  const ms = performance.now() - t0; Bun.gc(true); const rss1 = process.memoryUsage().rss;
  const size = ['i8', 'scale', 'words'].reduce((s, e) => s + statSync(`${a}/emb-${n}.${e}`).size, 0);
  let line = `N=${n} files ${(size / 1e6).toFixed(2)} MB, load ${ms.toFixed(1)} ms, RSS +${((rss1 - rss0) / 1e6).toFixed(1)} MB`;
  if (cmd === 'query') {
    // 30 candidate chunks of 150 content words each, a 6-word query: mean vectors, cosine, blend
    const words = [...ix.keys()]; const get = (w: string) => { const i = ix.get(w); if (i === undefined) return undefined; const v = new Float32Array(D); for (let k = 0; k < D; k++) v[k] = q[i * D + k]! * sc[i]!; return v; };
    const mean = (ws: string[]) => { const m = new Float32Array(D); for (const w of ws) { const v = get(w); if (v) for (let k = 0; k < D; k++) m[k]! += v[k]!; } let s = 0; for (let k = 0; k < D; k++) s += m[k]! ** 2; s = Math.sqrt(s) || 1; for (let k = 0; k < D; k++) m[k]! /= s; return m; };
    const pick = (k: number, seed: number) => Array.from({ length: k }, (_, i) => words[(seed * 7919 + i * 104729) % Math.min(words.length, 20000)]!);
    const chunkVecs = Array.from({ length: 3000 }, (_, c) => mean(pick(150, c)));
    const times: number[] = [];
    for (let r = 0; r < 2000; r++) {
      const t = performance.now(); const m = mean(pick(6, r + 5000)); const sims: number[] = [];
      for (let c = 0; c < 30; c++) { const v = chunkVecs[(r * 31 + c) % 3000]!; let s = 0; for (let k = 0; k < D; k++) s += m[k]! * v[k]!; sims.push(s); }
      const lo = Math.min(...sims), hi = Math.max(...sims); sims.map((x) => (x - lo) / (hi - lo || 1)); times.push(performance.now() - t);
    }
    times.sort((x, y) => x - y); line += `, rerank p50 ${(times[1000]! * 1000).toFixed(1)} us p99 ${(times[1980]! * 1000).toFixed(1)} us, chunk vectors (3000 x 100 float32) ${(3000 * D * 4 / 1e6).toFixed(1)} MB`;
  }
  console.log(line);
}
