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
  /** The index's alphabetic stems that occur in at least 2 chunks, grouped by length. */
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

/** Optimal string alignment distance (Levenshtein plus swapped neighbours), or `max + 1` once it exceeds `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows = [new Array<number>(b.length + 1).fill(0), new Array<number>(b.length + 1).fill(0), new Array<number>(b.length + 1).fill(0)];
  for (let j = 0; j <= b.length; j++) rows[1]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    const [prev2, prev, cur] = [rows[0]!, rows[1]!, rows[2]!];
    cur[0] = i;
    let best = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, prev2[j - 2]! + 1);
      cur[j] = d;
      if (d < best) best = d;
    }
    if (best > max) return max + 1;
    rows[0] = prev;
    rows[1] = cur;
    rows[2] = prev2;
  }
  return rows[1]![b.length]!;
}

/** The allowed distance for a word of this length: none below 4 letters, 1 up to 5, 2 from 6. */
const maxDistance = (length: number) => (length < 4 ? 0 : length <= 5 ? 1 : 2);

/** The nearest frequent index stem to an unknown stem: least distance, then most chunks. */
export function nearestTerm(stem: string, source: TermSource): string | undefined {
  const max = maxDistance(stem.length);
  if (max === 0) return undefined;
  const terms = source.terms();
  let best: { term: string; d: number; doc: number } | undefined;
  for (let len = stem.length - max; len <= stem.length + max; len++) {
    for (const t of terms.get(len) ?? []) {
      const d = editDistance(stem, t.term, max);
      if (d > max) continue;
      if (!best || d < best.d || (d === best.d && t.doc > best.doc)) best = { term: t.term, d, doc: t.doc };
    }
  }
  return best?.term;
}

const quote = (word: string) => `"${word.replace(/"/g, '""')}"`;

/** Plans a query, or returns undefined when it has no searchable word. */
export function planQuery(text: string, source: TermSource): QueryPlan | undefined {
  const tokens = tokenize(text);
  const content = tokens.filter((t) => !STOP_WORDS.has(t) && (t.length > 1 || /\d/.test(t)));
  // A query of nothing but stop words ("how to") still searches for them.
  const kept = content.length > 0 ? content : tokens;
  const words: string[] = [];
  for (const word of new Set(kept)) {
    const alpha = /^[a-z]+$/.test(word);
    const stem = alpha ? stemmer(word) : word;
    if (alpha && source.docFreq(stem) === 0) {
      const fixed = nearestTerm(stem, source);
      if (fixed) {
        words.push(fixed);
        continue;
      }
    }
    words.push(word);
  }
  const unique = [...new Set(words)];
  if (unique.length === 0) return undefined;
  return { match: unique.map(quote).join(' OR '), words: unique };
}
