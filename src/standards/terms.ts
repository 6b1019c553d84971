import { stemmer } from 'stemmer';

// Words too common to rank by. BM25's IDF already discounts them, but with prefix matching on,
// "a" or "in" would also prefix-match half the vocabulary, so they are dropped outright.
const STOP_WORDS = new Set(
  (
    'a an and are as at be but by do does for from has have how i if in into is it its me my of on or ' +
    'our so than that the their then there these they this to was we were what when where which who why ' +
    'will with you your should can'
  ).split(' '),
);

// Stemming is the costliest step of indexing (about 1 µs a word, measured); a vocabulary is small
// and repeats, so a bounded cache halves the build time of a large corpus.
const MAX_CACHED_STEMS = 100_000;
const stems = new Map<string, string>();

/**
 * Turns a token into an index term: lower case, stop words dropped, English (Porter) stem.
 * Used for both documents and queries, so "testing", "tests" and "tested" all meet at "test".
 */
export function processTerm(token: string): string | null {
  const term = token.toLowerCase();
  if (term.length < 2 && !/\d/.test(term)) return null;
  if (STOP_WORDS.has(term)) return null;
  // Numbers and code-ish tokens (snake_case, dotted) are kept as written: stemming would mangle them.
  if (!/^[a-z]+$/.test(term)) return term;
  let stem = stems.get(term);
  if (stem === undefined) {
    if (stems.size >= MAX_CACHED_STEMS) stems.clear();
    stem = stemmer(term);
    stems.set(term, stem);
  }
  return stem;
}

/** Prefix matching for query terms long enough that a prefix still means something. */
export function prefixFor(term: string): boolean {
  return term.length >= 3;
}

/** Fuzzy tolerance for a query term: one typo from 4 letters on, two from 9 (MiniSearch counts a fraction of the length). */
export function fuzzyFor(term: string): number | boolean {
  if (term.length < 4) return false;
  return term.length < 9 ? 1 : 2;
}
