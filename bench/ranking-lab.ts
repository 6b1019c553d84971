// Ranking lab for the dev set (issue 12; README "Search quality"): a JS re-implementation of the
// index's ranking (FTS5's bm25 with column weights, candidates, document blend, whole-document
// bm25, per-file cap) over every chunk, which reproduces `bench/search-quality.ts --in-process`
// (0.862 / 0.763 / 0.730 at the time of writing), so that scoring and chunking variants can be
// measured without touching the index. Slow (brute force over all chunks); not product code.
//
//   bun bench/ranking-lab.ts '[{}, {"prox":0.2,"proxWin":3}, {"bm25f":true}]'
//     one line per variant of the knobs `P`: R@5 overall, per kind, MRR@10, and both halves.
//   Environment switches for index-side variants: NOH1=1 (no H1 in the headings field when it is
//   the title), MERGE=N (a section under N words merged into its first subsection), MERGEBACK=N,
//   CTX='{"intro":true}' (parent sections' intro text in a `ctx` field) or '{"kids":true}'
//   (subsection headings in a `kids` field), OWN=1 (the chunk's own heading in `kids`),
//   TRUNC=N (stems cut to N letters), EXPSRC=field (source of the co-occurrence expansion).
//   Word embeddings (README "Search quality", third round): EMB=/tmp/wemb/sub (vectors cut to the
//   corpus and query words by bench/emb-extract.ts), EMBN=N (only the N most frequent words of the
//   full list), EMBQ=1 (int8 round trip); knobs emb, embMode mean|soft|miss, embNorm, embThr,
//   embPow, embField all|head|idf2|both, embExp/embExpK/embExpThr (expansion).
//   `bun bench/ranking-lab.ts detail '[{}, {...}]'` prints R@1, R@5 and MRR@10 per kind and half.
//   `... moves '{...}'` lists the paraphrases missed at 5: their depth and their rank under a variant.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCorpus } from '../src/standards/corpus.ts';
import { resolveRoots } from '../src/standards/roots.ts';
import { FtsIndex } from '../src/standards/search-index.ts';
import { planQuery, STOP_WORDS, stemWord, tokenize } from '../src/standards/query.ts';
import { openStore } from '../src/store/index.ts';
import { DEVSET, isHit } from './search-quality.ts';

interface Answer { file: string; section: string }
interface Query { q: string; kind: string; answers: Answer[] }
const all: Query[] = JSON.parse(readFileSync(join(DEVSET, 'queries.json'), 'utf8'));
const project = mkdtempSync(join(tmpdir(), 'praxis-exp-'));
mkdirSync(join(project, '.praxis-os'));
cpSync(join(DEVSET, 'corpus'), join(project, '.praxis-os', 'standards'), { recursive: true });
const store = openStore({ path: ':memory:' });
const fts = new FtsIndex(store);
fts.update((await loadCorpus(resolveRoots(project, join(project, '.praxis-os'), undefined).roots)).files);
rmSync(project, { recursive: true, force: true });

const FIELDS = ['title', 'headings', 'body', 'meta', 'ctx', 'kids'] as const;
type Field = (typeof FIELDS)[number];
interface Row { id: number; doc_id: number; heading_path: string; title: string; headings: string; body: string; meta: string; ctx: string; kids: string }
let rows = store.prepare('SELECT id, doc_id, heading_path, title, headings, body, meta FROM std_chunks ORDER BY id').all() as unknown as Row[];
if (process.env.NOH1) for (const r of rows) { const p = r.heading_path.split(' > '); if (p[0] === r.title) r.headings = p.slice(1).join(' '); }
const MERGE = Number(process.env.MERGE ?? 0), MERGEBACK = Number(process.env.MERGEBACK ?? 0);
if (MERGE) {
  const out: Row[] = [];
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!, n = rows[i + 1];
    if (n && n.doc_id === r.doc_id && n.heading_path.startsWith(r.heading_path + ' > ') && tokenize(r.body).length < MERGE) { n.body = r.body + '\n' + n.body; continue; }
    out.push(r);
  }
  rows = out;
}
if (MERGEBACK) {
  // a tiny chunk's text also goes into its parent's intro chunk (the tiny one stays)
  const out: Row[] = [];
  for (const r of rows) {
    const prev = out.at(-1);
    if (prev && prev.doc_id === r.doc_id && r.heading_path.startsWith(prev.heading_path + ' > ') && tokenize(r.body).length < MERGEBACK) { prev.body += '\n' + r.body; }
    out.push(r);
  }
}
const docsRows = store.prepare('SELECT id, file, title, text FROM std_docs').all() as { id: number; file: string; title: string; text: string }[];
const docFile = new Map(docsRows.map((d) => [d.id, d.file]));
const CTX = JSON.parse(process.env.CTX ?? '{}') as { intro?: boolean; kids?: boolean; introMax?: number; mergeTiny?: number };
{
  // hierarchical context: parent section's intro text, and the headings of a chunk's subsections
  const byD = new Map<number, Row[]>(); for (const r of rows) { let a = byD.get(r.doc_id); if (!a) byD.set(r.doc_id, (a = [])); a.push(r); }
  for (const list of byD.values()) {
    const paths = list.map((r) => r.heading_path.split(' > '));
    const key = (p: string[]) => p.join('\u0000');
    const firstOf = new Map<string, Row>(); list.forEach((r, i) => { const k = key(paths[i]!); if (!firstOf.has(k)) firstOf.set(k, r); });
    list.forEach((r, i) => {
      const p = paths[i]!; const ctx: string[] = []; const kids = new Set<string>();
      if (CTX.intro) for (let l = p.length - 1; l >= 1; l--) { const par = firstOf.get(key(p.slice(0, l))); if (par && par !== r) ctx.push(CTX.introMax ? par.body.slice(0, CTX.introMax) : par.body); }
      if (CTX.kids && firstOf.get(key(p)) === r) list.forEach((o, j) => { const q = paths[j]!; if (q.length > p.length && key(q.slice(0, p.length)) === key(p)) kids.add(q.at(-1)!); });
      r.ctx = ctx.join(' '); r.kids = [...kids].join(' ');
      if (process.env.OWN) r.kids = p.length > 1 ? p.at(-1)! : '';
    });
  }
}

const TRUNC = Number(process.env.TRUNC ?? 0);
const st = (w: string) => { const s = stemWord(w); return TRUNC && /^[a-z]+$/.test(s) ? s.slice(0, TRUNC) : s; };
const toks = (s: string) => tokenize(s).map(st);
function tf(ts: string[]) { const m = new Map<string, number[]>(); ts.forEach((t, i) => { let a = m.get(t); if (!a) m.set(t, (a = [])); a.push(i); }); return m; }
export interface Chunk { id: number; doc: number; hp: string; f: Record<Field, Map<string, number[]>>; len: Record<Field, number>; total: number }
const chunks: Chunk[] = rows.map((r) => {
  const f = {} as Record<Field, Map<string, number[]>>; const len = {} as Record<Field, number>; let total = 0;
  for (const k of FIELDS) { const t = toks(r[k]); f[k] = tf(t); len[k] = t.length; total += t.length; }
  return { id: r.id, doc: r.doc_id, hp: r.heading_path, f, len, total };
});
const N = chunks.length;
const df = new Map<string, number>();
for (const c of chunks) { const s = new Set<string>(); for (const k of FIELDS) for (const t of c.f[k].keys()) s.add(t); for (const t of s) df.set(t, (df.get(t) ?? 0) + 1); }
const avg = {} as Record<Field, number>; for (const k of FIELDS) avg[k] = chunks.reduce((n, c) => n + c.len[k], 0) / N;
const avgTotal = chunks.reduce((n, c) => n + c.total, 0) / N;
// body-term -> heading-term co-occurrence (global association)
const co = new Map<string, Map<string, number>>(); const bodyDf = new Map<string, number>(); const headDf = new Map<string, number>();
{
  const src = (process.env.EXPSRC ?? 'headings') as Field;
  for (const c of chunks) {
    const H = [...c.f[src].keys()].filter((t) => /^[a-z]+$/.test(t));
    for (const h of H) headDf.set(h, (headDf.get(h) ?? 0) + 1);
    for (const b of c.f.body.keys()) {
      bodyDf.set(b, (bodyDf.get(b) ?? 0) + 1);
      let row = co.get(b); if (!row) co.set(b, (row = new Map()));
      for (const h of H) row.set(h, (row.get(h) ?? 0) + 1);
    }
  }
}
// documents
const docs = docsRows.map((d) => { const t = toks(d.title), x = toks(d.text); return { id: d.id, title: tf(t), text: tf(x), total: t.length + x.length }; });
const ND = docs.length; const ddf = new Map<string, number>();
for (const d of docs) { const s = new Set([...d.title.keys(), ...d.text.keys()]); for (const t of s) ddf.set(t, (ddf.get(t) ?? 0) + 1); }
const avgDoc = docs.reduce((n, d) => n + d.total, 0) / ND;
const docById = new Map(docs.map((d) => [d.id, d]));
const byDoc = new Map<number, Chunk[]>(); for (const c of chunks) { let a = byDoc.get(c.doc); if (!a) byDoc.set(c.doc, (a = [])); a.push(c); }

export const P = {
  w: { title: 2, headings: 2, body: 1, meta: 0.5, ctx: 0, kids: 0 } as Record<Field, number>,
  b: { title: 0.75, headings: 0.75, body: 0.75, meta: 0.75, ctx: 0.75, kids: 0.75 } as Record<Field, number>,
  bm25f: false, k1: 1.2, bAll: 0.75,
  cand: 30, perFile: 3, docBlend: 0.3, whole: 0.6, wholeTitle: 4, wholeK1: 1.2, wholeB: 0.75,
  prox: 0, proxWin: 8, longMin: 99, longOver: {} as Record<string, unknown>, lm: 0, lmEps: 1, exp: 0, expN: 5, expMinCo: 2, expSrc: 'headings', cov: 0, idfPow: 1, lenPen: 0, headCov: 0,
  emb: 0, embMode: 'mean' as 'mean' | 'soft' | 'miss', embThr: 0.6, embNorm: false, embPow: 1, embExp: 0, embExpK: 3, embExpThr: 0.7, embField: 'all' as 'all' | 'head' | 'idf2' | 'both',
};
const idfOf = (n: number, tot: number) => Math.max(1e-6, Math.log((tot - n + 0.5) / (n + 0.5)));
// Word-embedding rerank (EMB=/tmp/wemb/sub from bench/emb-extract.ts; EMBN=N keeps the N most
// frequent words of the full list): each candidate's similarity to the query is blended in.
const EMB = process.env.EMB; const EMBN = Number(process.env.EMBN ?? 1e9);
const vec = new Map<string, Float32Array>(); let DIM = 100;
if (EMB) {
  const meta = JSON.parse(readFileSync(`${EMB}.json`, 'utf8')) as { dims: number; words: string[]; ranks: number[] };
  const buf = readFileSync(`${EMB}.bin`); const all32 = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4); DIM = meta.dims;
  meta.words.forEach((w, i) => {
    if (meta.ranks[i]! >= EMBN) return;
    let v = all32.subarray(i * DIM, (i + 1) * DIM);
    if (process.env.EMBQ) { const sc = Math.max(...v.map(Math.abs)) / 127; v = v.map((x) => Math.round(x / sc) * sc); const n = Math.hypot(...v); v = v.map((x) => x / n); } // int8 round trip
    vec.set(w, v);
  });
}
const dot = (a: Float32Array, b: Float32Array) => { let s = 0; for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!; return s; };
const isContent = (t: string) => !STOP_WORDS.has(t) && t.length > 1 && /^[a-z]/.test(t);
const eIdf = (w: string) => idfOf(df.get(st(w)) ?? 0, N);
const embWords: string[] = [...vec.keys()]; const embIx = new Map(embWords.map((w, i) => [w, i]));
interface EmbC { ids: Int32Array; mean: Float32Array | undefined; head: Float32Array | undefined; mean2: Float32Array | undefined }
const embC = new Map<number, EmbC>();
function meanVec(ws: Iterable<[string, number]>): Float32Array | undefined {
  const m = new Float32Array(DIM); let any = false;
  for (const [w, k] of ws) { const v = vec.get(w); if (!v) continue; any = true; for (let i = 0; i < DIM; i++) m[i]! += k * v[i]!; }
  if (!any) return undefined; const n = Math.hypot(...m) || 1; for (let i = 0; i < DIM; i++) m[i]! /= n; return m;
}
let embSetupMs = 0;
if (EMB) {
  const t0 = performance.now();
  for (const r of rows) {
    const cnt = new Map<string, number>(); for (const t of tokenize(`${r.title} ${r.headings} ${r.body}`)) if (isContent(t) && vec.has(t)) cnt.set(t, (cnt.get(t) ?? 0) + 1);
    const hc = new Map<string, number>(); for (const t of tokenize(`${r.title} ${r.headings}`)) if (isContent(t) && vec.has(t)) hc.set(t, (hc.get(t) ?? 0) + 1);
    embC.set(r.id, { ids: Int32Array.from([...cnt.keys()].map((w) => embIx.get(w)!)), mean: meanVec([...cnt].map(([w, n]) => [w, n * eIdf(w)] as [string, number])),
      head: meanVec([...hc].map(([w, n]) => [w, n * eIdf(w)] as [string, number])), mean2: meanVec([...cnt].map(([w, n]) => [w, (1 + Math.log(n)) * eIdf(w) ** 2] as [string, number])) });
  }
  embSetupMs = performance.now() - t0;
}
export const embStats = { setupMs: () => embSetupMs, queryMs: [] as number[] };
function embSims(q: string, planWords: string[], cands: Chunk[]): number[] {
  const t0 = performance.now();
  const qw = [...new Set([...tokenize(q).filter(isContent), ...planWords.filter((w) => /^[a-z]+$/.test(w))])].filter((w) => vec.has(w));
  let out: number[];
  if (!qw.length) out = cands.map(() => 0);
  else if (P.embMode === 'mean') {
    const m = meanVec(qw.map((w) => [w, eIdf(w)]))!;
    const m2 = meanVec(qw.map((w) => [w, eIdf(w) ** 2]))!;
    out = cands.map((c) => {
      const e = embC.get(c.id)!;
      const x = P.embField === 'head' ? (e.head ? dot(m, e.head) : 0) : P.embField === 'idf2' ? (e.mean2 ? dot(m2, e.mean2) : 0) : P.embField === 'both' ? ((e.mean ? dot(m, e.mean) : 0) + (e.head ? dot(m, e.head) : 0)) / 2 : e.mean ? dot(m, e.mean) : 0;
      return Math.max(0, x) ** P.embPow;
    });
  } else {
    const qv = qw.map((w) => vec.get(w)!); const wi = qw.map(eIdf); const sumW = wi.reduce((a, b) => a + b, 0);
    const qst = qw.map(st);
    out = cands.map((c) => {
      const e = embC.get(c.id)!; let s = 0;
      qv.forEach((v, j) => {
        const present = FIELDS.some((k) => c.f[k].has(qst[j]!));
        if (present) { if (P.embMode === 'soft') s += wi[j]!; return; }
        let best = 0; for (const id of e.ids) { const d = dot(v, vec.get(embWords[id]!)!); if (d > best) best = d; }
        if (best >= P.embThr) s += wi[j]! * best ** P.embPow;
      });
      return s / sumW;
    });
  }
  if (P.embNorm) { const lo = Math.min(...out), hi = Math.max(...out); out = out.map((x) => (hi > lo ? (x - lo) / (hi - lo) : 0)); }
  embStats.queryMs.push(performance.now() - t0);
  return out;
}

let QW = new Map<string, number>();
const cf = new Map<string, number>(); let CL = 0;
for (const c of chunks) for (const k of ['title', 'headings', 'body', 'meta'] as Field[]) for (const [t, p] of c.f[k]) { cf.set(t, (cf.get(t) ?? 0) + p.length); CL += p.length; }
function chunkScore(c: Chunk, stems: string[], idf: Map<string, number>): number {
  let s = 0;
  if (P.lm) {
    let any = false; let len = 0; for (const k of FIELDS) len += P.w[k] * c.len[k];
    for (const t of stems) {
      let w = 0; for (const k of FIELDS) w += P.w[k] * (c.f[k].get(t)?.length ?? 0);
      if (w) any = true;
      const pc = ((cf.get(t) ?? 0) + 1) / CL;
      s += Math.log(1 + w / (P.lm * pc)) + Math.log(P.lm / (len + P.lm));
    }
    return any ? Math.max(1e-9, s + 100) : 0;
  }
  for (const t of stems) {
    const i = idf.get(t)! * (QW.get(t) ?? 1);
    if (P.bm25f) {
      let w = 0;
      for (const k of FIELDS) { const n = c.f[k].get(t)?.length ?? 0; if (n) w += (P.w[k] * n) / (1 - P.b[k] + (P.b[k] * c.len[k]) / (avg[k] || 1)); }
      if (w) s += (i * w * (P.k1 + 1)) / (w + P.k1);
    } else {
      let w = 0;
      for (const k of FIELDS) w += P.w[k] * (c.f[k].get(t)?.length ?? 0);
      if (w) s += (i * w * (P.k1 + 1)) / (w + P.k1 * (1 - P.bAll + (P.bAll * c.total) / avgTotal));
    }
  }
  return s;
}
function wholeScore(d: (typeof docs)[number], stems: string[]): number {
  let s = 0;
  for (const t of stems) {
    const w = P.wholeTitle * (d.title.get(t)?.length ?? 0) + (d.text.get(t)?.length ?? 0);
    if (w) s += (P.embExp ? QW.get(t) ?? 1 : 1) * (idfOf(ddf.get(t) ?? 0, ND) * w * (P.wholeK1 + 1)) / (w + P.wholeK1 * (1 - P.wholeB + (P.wholeB * d.total) / avgDoc));
  }
  return s;
}
/** smallest window (in body+headings positions of body) containing >= 2 distinct query stems; returns a 0..1 score */
function proximity(c: Chunk, stems: string[], idf: Map<string, number>): number {
  const pos: [number, string][] = [];
  for (const t of stems) for (const p of c.f.body.get(t) ?? []) pos.push([p, t]);
  if (pos.length < 2) return 0;
  pos.sort((a, b) => a[0] - b[0]);
  // sum over adjacent pairs of distinct terms within window of idf-min weight
  let s = 0;
  for (let i = 1; i < pos.length; i++) {
    const [p0, t0] = pos[i - 1]!, [p1, t1] = pos[i]!;
    if (t0 !== t1 && p1 - p0 <= P.proxWin) s += Math.min(idf.get(t0)!, idf.get(t1)!) / (p1 - p0);
  }
  return s;
}

export function search(q: string, limit = 10): Chunk[] {
  const plan = planQuery(q, fts);
  if (!plan) return [];
  let stems = [...new Set(plan.words.map(st))];
  if (stems.length >= P.longMin && !(P as any)._in) { const saved = JSON.parse(JSON.stringify(P)); Object.assign(P, P.longOver, { _in: true }); try { return search(q, limit); } finally { for (const k of Object.keys(P)) delete (P as any)[k]; Object.assign(P, saved); } }
  QW = new Map();
  if (P.exp > 0) {
    const cand = new Map<string, number>();
    for (const q of stems) {
      const row = co.get(q); const dq = bodyDf.get(q) ?? 0; if (!row || !dq) continue;
      const wq = idfOf(df.get(q) ?? 0, N);
      for (const [h, n] of row) { if (n < P.expMinCo || stems.includes(h)) continue; const lift = n / dq - (headDf.get(h) ?? 0) / N; if (lift > 0) cand.set(h, (cand.get(h) ?? 0) + wq * lift); }
    }
    const top = [...cand].sort((a, b) => b[1] - a[1]).slice(0, P.expN);
    const sumW = stems.reduce((n, q) => n + idfOf(df.get(q) ?? 0, N), 0);
    for (const [h, v] of top) { QW.set(h, P.exp * v / sumW); stems.push(h); }
  }
  if (P.embExp > 0 && EMB) {
    // embedding query expansion: each query word's nearest corpus words join the OR query, weighted
    const add = new Map<string, number>();
    for (const w of new Set(tokenize(q).filter(isContent))) {
      const v = vec.get(w); if (!v) continue;
      const near: [string, number][] = [];
      for (const u of embWords) { if (u === w) continue; const d = dot(v, vec.get(u)!); if (d >= P.embExpThr) near.push([u, d]); }
      near.sort((a, b) => b[1] - a[1]);
      let k = 0;
      for (const [u, d] of near) {
        const su = st(u); if (!df.has(su) || stems.includes(su)) continue;
        add.set(su, Math.max(add.get(su) ?? 0, P.embExp * d)); if (++k >= P.embExpK) break;
      }
    }
    for (const [t, wt] of add) { QW.set(t, wt); stems.push(t); }
  }
  const idf = new Map(stems.map((t) => [t, idfOf(df.get(t) ?? 0, N) ** P.idfPow]));
  const scored: { c: Chunk; s: number }[] = [];
  for (const c of chunks) { const s = chunkScore(c, stems, idf); if (s > 0) scored.push({ c, s }); }
  scored.sort((a, b) => b.s - a.s || a.c.id - b.c.id);
  const cands = scored.slice(0, Math.max(P.cand, limit + 20));
  if (P.lm && cands.length) { const lo = cands.at(-1)!.s - (P as any).lmEps; for (const x of cands) x.s -= lo; }
  if (!cands.length) return [];
  const wd = new Map<number, number>();
  if (P.whole > 0) { const ws = docs.map((d) => ({ id: d.id, s: wholeScore(d, stems) })).filter((x) => x.s > 0).sort((a, b) => b.s - a.s).slice(0, 100); const best = ws[0]?.s ?? 1; for (const w of ws) wd.set(w.id, w.s / best); }
  const docScore = new Map<number, number>(); const per = new Map<number, number>();
  for (const { c, s } of cands) { const n = per.get(c.doc) ?? 0; if (n < 3) docScore.set(c.doc, (docScore.get(c.doc) ?? 0) + s / (n + 1)); per.set(c.doc, n + 1); }
  const top = cands[0]!.s; const topDoc = Math.max(...docScore.values());
  let px: number[] = [];
  if (P.prox) { px = cands.map(({ c }) => proximity(c, stems, idf)); const m = Math.max(...px, 1e-9); px = px.map((x) => x / m); }
  const sumIdf = stems.reduce((n, t) => n + idf.get(t)!, 0);
  const es = P.emb && EMB ? embSims(q, plan.words, cands.map((x) => x.c)) : [];
  const res = cands.map(({ c, s }, i) => {
    let score = s / top + P.docBlend * (docScore.get(c.doc)! / topDoc) + P.whole * (wd.get(c.doc) ?? 0);
    if (P.prox) score += P.prox * px[i]!;
    if (es.length) score += P.emb * es[i]!;
    if (P.cov) { let h = 0; for (const t of stems) if (FIELDS.some((k) => c.f[k].has(t))) h += idf.get(t)!; score += P.cov * h / sumIdf; }
    if (P.headCov) { let h = 0; for (const t of stems) if (c.f.headings.has(t)) h += idf.get(t)!; score += P.headCov * h / sumIdf; }
    if (P.lenPen) score -= P.lenPen * Math.log(1 + c.total / avgTotal);
    return { c, score };
  }).sort((a, b) => b.score - a.score || a.c.id - b.c.id);
  const cnt = new Map<number, number>(); const first: Chunk[] = [], rest: Chunk[] = [];
  for (const { c } of res) { const n = (cnt.get(c.doc) ?? 0) + 1; cnt.set(c.doc, n); (n <= P.perFile ? first : rest).push(c); }
  return [...first, ...rest].slice(0, limit);
}

export function evaluate(half?: 'odd' | 'even', show = false) {
  const qs = half ? all.filter((_, i) => i % 2 === (half === 'odd' ? 1 : 0)) : all;
  const ranks = qs.map((q) => {
    const hits = search(q.q);
    const r = hits.findIndex((c) => isHit({ file: docFile.get(c.doc)!, heading_path: c.hp }, q.answers)) + 1;
    if (show && (r === 0 || r > 5)) console.log(`miss [${q.kind}] r=${r} ${q.q}`);
    return { kind: q.kind, r };
  });
  const sc = (rs: number[]) => ({ r5: rs.filter((r) => r >= 1 && r <= 5).length / rs.length, mrr: rs.reduce((s, r) => s + (r >= 1 && r <= 10 ? 1 / r : 0), 0) / rs.length });
  const o = sc(ranks.map((r) => r.r));
  const kind = (k: string) => sc(ranks.filter((r) => r.kind === k).map((r) => r.r)).r5;
  return { r5: o.r5, mrr: o.mrr, paraphrase: kind('paraphrase'), code: kind('code'), keyword: kind('keyword'), typo: kind('typo') };
}
const f3 = (x: number) => x.toFixed(3);
export function line(label: string) {
  const a = evaluate(), o = evaluate('odd'), e = evaluate('even');
  console.log(`${label.padEnd(50)} R5 ${f3(a.r5)} para ${f3(a.paraphrase)} mrr ${f3(a.mrr)} code ${f3(a.code)} kw ${f3(a.keyword)} typo ${f3(a.typo)} | odd ${f3(o.r5)}/${f3(o.mrr)} even ${f3(e.r5)}/${f3(e.mrr)}`);
}
export function withP(over: Partial<typeof P>, label: string) {
  const saved = JSON.parse(JSON.stringify(P));
  Object.assign(P, over); line(label); Object.assign(P, saved);
}

export function diag() {
  const sizes = chunks.map((c) => c.total).sort((a, b) => a - b);
  console.log('chunk tokens p10/50/90/99', [0.1, 0.5, 0.9, 0.99].map((p) => sizes[Math.floor(p * N)]), 'avg', avgTotal.toFixed(0), 'avg body', avg.body.toFixed(0));
  const ansSizes: number[] = [];
  for (const q of all) {
    const hits = search(q.q, 10);
    const r = hits.findIndex((c) => isHit({ file: docFile.get(c.doc)!, heading_path: c.hp }, q.answers)) + 1;
    const ans = chunks.filter((c) => isHit({ file: docFile.get(c.doc)!, heading_path: c.hp }, q.answers));
    ans.forEach((c) => ansSizes.push(c.total));
    if (r === 0 || r > 5) console.log(`r=${r} [${q.kind}] ${q.q}\n   answers: ${ans.length} chunks, body tokens ${ans.map((c) => c.len.body).join(',')}; ${ans.slice(0, 4).map((c) => c.hp).join(' | ')}`);
  }
  ansSizes.sort((a, b) => a - b);
  console.log('answer chunk tokens p10/50/90', [0.1, 0.5, 0.9].map((p) => ansSizes[Math.floor(p * ansSizes.length)]));
}
export function depth() {
  P.cand = 3000;
  const buckets: Record<string, number> = {};
  for (const q of all) {
    const hits = search(q.q, 3000);
    const r = hits.findIndex((c) => isHit({ file: docFile.get(c.doc)!, heading_path: c.hp }, q.answers)) + 1;
    const b = r === 0 ? 'none' : r <= 5 ? '1-5' : r <= 10 ? '6-10' : r <= 20 ? '11-20' : r <= 50 ? '21-50' : r <= 100 ? '51-100' : '>100';
    buckets[`${q.kind} ${b}`] = (buckets[`${q.kind} ${b}`] ?? 0) + 1;
  }
  console.log(Object.entries(buckets).sort());
}

if (import.meta.main) {
  if (process.argv[2] === 'vocab') {
    const v = new Set<string>(); for (const r of rows) for (const t of tokenize(`${r.title} ${r.headings} ${r.body}`)) v.add(t);
    for (const q of all) for (const t of tokenize(q.q)) v.add(t);
    console.log([...v].join('\n'));
  } else if (process.argv[2] === 'detail') {
    // per kind and half: R@1, R@5 (hits/n), MRR@10 for each variant
    for (const e of JSON.parse(process.argv[3] ?? '[{}]')) {
      const saved = JSON.parse(JSON.stringify(P)); Object.assign(P, e);
      const ranks = all.map((q, i) => { const hits = search(q.q); return { kind: q.kind, half: i % 2 ? 'odd' : 'even', r: hits.findIndex((c) => isHit({ file: docFile.get(c.doc)!, heading_path: c.hp }, q.answers)) + 1 }; });
      Object.assign(P, saved);
      const cell = (rs: { r: number }[]) => `R1 ${(rs.filter((x) => x.r === 1).length / rs.length).toFixed(3)} R5 ${rs.filter((x) => x.r >= 1 && x.r <= 5).length}/${rs.length}=${(rs.filter((x) => x.r >= 1 && x.r <= 5).length / rs.length).toFixed(3)} MRR ${(rs.reduce((s, x) => s + (x.r >= 1 && x.r <= 10 ? 1 / x.r : 0), 0) / rs.length).toFixed(3)}`;
      console.log(JSON.stringify(e));
      for (const k of ['all', 'paraphrase', 'code', 'keyword', 'typo']) for (const h of ['both', 'odd', 'even']) {
        const rs = ranks.filter((x) => (k === 'all' || x.kind === k) && (h === 'both' || x.half === h)); console.log(`  ${k.padEnd(10)} ${h.padEnd(4)} ${cell(rs)}`);
      }
    }
  } else if (process.argv[2] === 'moves') {
    // paraphrases missed at 5 by the current ranking: their depth (every matching chunk ranked) and their rank under a variant
    const rank = (q: Query, lim: number) => search(q.q, lim).findIndex((c) => isHit({ file: docFile.get(c.doc)!, heading_path: c.hp }, q.answers)) + 1;
    const v = JSON.parse(process.argv[3] ?? '{}'); const saved = JSON.parse(JSON.stringify(P));
    const out: Record<string, string[]> = {};
    for (const q of all.filter((x) => x.kind === 'paraphrase')) {
      Object.assign(P, saved); const r0 = rank(q, 10); if (r0 >= 1 && r0 <= 5) continue;
      P.cand = 3000; const d = rank(q, 3000); Object.assign(P, saved, v); const r1 = rank(q, 10); Object.assign(P, saved);
      const b = d === 0 ? 'none' : d <= 10 ? '6-10' : d <= 20 ? '11-20' : d <= 50 ? '21-50' : '>50';
      (out[b] ??= []).push(r1 >= 1 && r1 <= 5 ? `fixed(${r1})` : `r=${r1}`);
    }
    for (const [b, l] of Object.entries(out)) console.log(b, l.length, l.join(' '));
  } else if (process.argv[2] === 'depth') depth();
  else if (process.argv[2] === 'misses') diag();
  else {
    const exps = process.argv[2] ? JSON.parse(process.argv[2]) : [{}];
    for (const e of exps) withP(e, JSON.stringify(e));
    if (EMB) { const q = [...embStats.queryMs].sort((a, b) => a - b); console.log(`emb: ${vec.size} words, chunk vectors ${embSetupMs.toFixed(0)} ms, per query p50 ${q[q.length >> 1]?.toFixed(3)} ms p90 ${q[Math.floor(q.length * 0.9)]?.toFixed(3)} ms`); }
  }
}
