// Turns a user's query into an FTS5 MATCH expression: words split as FTS5's unicode61 tokenizer
// splits them, stop words dropped, each remaining word quoted and ORed (agent questions rarely have
// every word in the answer), and a word the index does not know replaced by the nearest frequent
// word it does know (the spelling fixer).
import { stemmer } from 'stemmer';

// Words too common to rank by. bm25 discounts them anyway, but in an OR query each one still
// matches most chunks, which costs time and adds noise to long questions.
export const STOP_WORDS = new Set(
  (
    'a about above after again all also am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each few for from further had has have having he her here hers him his how ' +
    'i if in into is it its itself just me more most my no nor not of off on once only or other our ours out over own ' +
    'same she should so some such than that the their theirs them then there these they this those through to too under ' +
    'until up very was we were what when where which while who whom why will with would you your yours'
  ).split(' '),
);

/** What the index offers the query planner. */
export interface TermSource {
  /** How many chunks contain this (Porter) stem. */
  docFreq(stem: string): number;
  /** How many chunks the index holds. */
  chunkCount(): number;
  /** The index's alphabetic stems that occur in at least 2 chunks (1 in a small index), grouped by length. */
  terms(): Map<number, { term: string; doc: number }[]>;
}

export interface QueryPlan {
  /** The FTS5 MATCH expression. */
  match: string;
  /** The words searched for (after stop words and spelling fixes), for logs and tests. */
  words: string[];
}

/** Splits like FTS5's unicode61 tokenizer: runs of letters and digits, lower-cased, diacritics kept. */
export function tokenize(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

// Three rows of the distance matrix, reused: the fixer compares one word with thousands.
let rowBuf = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/** Optimal string alignment distance (Levenshtein plus swapped neighbours), or `max + 1` once it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (b.length + 1 > rowBuf[0]!.length) rowBuf = [0, 1, 2].map(() => new Int32Array(b.length * 2 + 2));
  let [prev2, prev, cur] = rowBuf as [Int32Array, Int32Array, Int32Array];
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let best = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const cb = b.charCodeAt(j - 1);
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ca === cb ? 0 : 1));
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
      if (d < best) best = d;
    }
    if (best > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[b.length]!;
}

/** The allowed distance for a word of this length: none below 4 letters, 1 up to 5, 2 from 6. */
const maxDistance = (length: number) => (length < 4 ? 0 : length <= 5 ? 1 : 2);

// The index's terms as a map from term to chunk count, per terms() map (for edits of the word).
const termSets = new WeakMap<Map<number, { term: string; doc: number }[]>, Map<string, number>>();
function termSet(terms: Map<number, { term: string; doc: number }[]>): Map<string, number> {
  let set = termSets.get(terms);
  if (!set) {
    set = new Map();
    for (const list of terms.values()) for (const t of list) set.set(t.term, t.doc);
    termSets.set(terms, set);
  }
  return set;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** Every string one edit (delete, swap of neighbours, replace, insert) away from `word`. */
function edits1(word: string): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i <= word.length; i++) {
    const a = word.slice(0, i);
    const b = word.slice(i);
    if (b) out.add(a + b.slice(1));
    if (b.length > 1) out.add(a + b[1] + b[0] + b.slice(2));
    for (const c of LETTERS) {
      if (b) out.add(a + c + b.slice(1));
      out.add(a + c + b);
    }
  }
  return out;
}

/**
 * The nearest frequent index stem to an unknown word: least distance, then most chunks. The word
 * is corrected before stemming (one edit, then stemmed) as well as after (its stem against the
 * index's stems): a misspelling can stem differently from the word it misspells ("paginaton" keeps
 * its ending, "pagination" stems to "pagin"), so only the first finds it.
 */
export function nearestTerm(stem: string, source: TermSource, word = stem): string | undefined {
  const max = maxDistance(stem.length);
  if (max === 0) return undefined;
  const terms = source.terms();
  let best: { term: string; d: number; doc: number } | undefined;
  // Misspellings nearly always keep the first letter, or swap the first two: checking only those
  // candidates cuts the comparisons about fifteen-fold.
  const first = stem[0];
  const swapped = stem.length > 1 ? stem[1]! + stem[0]! : '';
  for (let len = stem.length - max; len <= stem.length + max; len++) {
    for (const t of terms.get(len) ?? []) {
      if (t.term[0] !== first && !t.term.startsWith(swapped)) continue;
      const d = editDistance(stem, t.term, max);
      if (d > max) continue;
      if (!best || d < best.d || (d === best.d && t.doc > best.doc)) best = { term: t.term, d, doc: t.doc };
    }
  }
  // No stem one edit away: try the word one edit away, stemmed (a few hundred stemmer calls, so
  // only when needed). Its best beats a stem two edits away.
  if (TUNING.edits && (!best || best.d > 1) && word.length >= 4 && /^[a-z]+$/.test(word)) {
    const set = termSet(terms);
    let byEdit: typeof best;
    for (const e of edits1(word)) {
      const t = stemmer(e);
      const doc = set.get(t);
      if (doc !== undefined && (!byEdit || doc > byEdit.doc)) byEdit = { term: t, d: 1, doc };
    }
    if (byEdit) best = byEdit;
  }
  return best?.term;
}

const stems = new Map<string, string>();
/** The Porter stem of a lower-case word (cached: vocabularies repeat). */
export function stemWord(word: string): string {
  let stem = stems.get(word);
  if (stem === undefined) {
    if (stems.size > 50_000) stems.clear();
    stems.set(word, (stem = /^[a-z]+$/.test(word) ? stemmer(word) : word));
  }
  return stem;
}

/** Below this many chunks every query word is searched for. */
const MIN_CHUNKS_FOR_PRUNING = 200;

/** See planQuery. */
export const TUNING = {
  commonShare: 0.25,
  /** Also search the parts of a camelCase identifier ("variablePath": variablepath, variable, path). */
  camel: true,
  /** The spelling fixer also tries the word one edit away, stemmed (see nearestTerm). */
  edits: true,
  /** Two neighbouring query words are also searched joined, when the index knows the joined word. */
  compounds: true,
  compoundMinDf: 2,
};
let COMMON_SHARE = TUNING.commonShare;
/** Sets the share of chunks above which a query word is left out (bench and tuning). */
export function setCommonShare(share: number): void {
  COMMON_SHARE = TUNING.commonShare = share;
}

const quote = (word: string) => `"${word.replace(/"/g, '""')}"`;

/** Plans a query, or returns undefined when it has no searchable word. */
export function planQuery(text: string, source: TermSource): QueryPlan | undefined {
  let tokens = tokenize(text);
  // FTS5 indexes "variablePath" as one word; prose says "variable path". Searching both finds either.
  if (TUNING.camel) {
    const parts = (text.match(/[\p{L}\p{N}]+/gu) ?? []).flatMap((t) => {
      const split = t.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(' ');
      return split.length > 1 ? split : [];
    });
    tokens = [...tokens, ...parts];
  }
  const content = tokens.filter((t) => !STOP_WORDS.has(t) && (t.length > 1 || /\d/.test(t)));
  // A query of nothing but stop words ("how to") still searches for them.
  const kept = content.length > 0 ? content : tokens;
  const words: string[] = [];
  for (const word of new Set(kept)) {
    const alpha = /^[a-z]+$/.test(word);
    const stem = stemWord(word);
    if (alpha && source.docFreq(stem) === 0) {
      const fixed = nearestTerm(stem, source, word);
      if (fixed) {
        words.push(fixed);
        continue;
      }
    }
    words.push(word);
  }
  if (TUNING.compounds) {
    // "set up" / "setup", "stack traces" / "stacktraces", "log files" / "logfiles": two neighbouring
    // query words the index knows as one word are searched as that word too. Both parts at least 2
    // letters (not "a long", "what's"), not both stop words ("how to"), and the joined word in at
    // least 2 chunks, as for spelling fixes (a word in one chunk is more often an identifier).
    const seq = tokenize(text);
    for (let i = 0; i + 1 < seq.length; i++) {
      const [a, b] = [seq[i]!, seq[i + 1]!];
      if (a.length < 2 || b.length < 2 || (STOP_WORDS.has(a) && STOP_WORDS.has(b)) || !/^[a-z]+$/.test(a + b)) continue;
      if (source.docFreq(stemWord(a + b)) >= TUNING.compoundMinDf) words.push(a + b);
    }
  }
  let unique = [...new Set(words)];
  if (unique.length === 0) return undefined;
  // A word in more than `COMMON_SHARE` of the chunks barely ranks (bm25's IDF is near zero from
  // half the chunks on, where FTS5 clamps it) yet makes FTS5 score most of the index: leave it out
  // while rarer words remain. Measured on 10,000 chunks: see README "Search speed".
  // Only on an index large enough for shares to mean something, and only among words it contains.
  const total = source.chunkCount();
  if (unique.length > 1 && total >= MIN_CHUNKS_FOR_PRUNING) {
    const df = new Map(unique.map((w) => [w, source.docFreq(stemWord(w))]));
    const known = unique.filter((w) => df.get(w)! > 0);
    const rare = known.filter((w) => df.get(w)! <= total * COMMON_SHARE);
    if (known.length > 0) unique = rare.length > 0 ? rare : [known.reduce((a, b) => (df.get(a)! <= df.get(b)! ? a : b))];
  }
  return { match: unique.map(quote).join(' OR '), words: unique };
}
