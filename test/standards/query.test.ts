// The query planner (src/standards/query.ts) against a small in-memory vocabulary: what it searches for.
import { describe, expect, test } from 'bun:test';
import { planQuery, stemWord, type TermSource } from '../../src/standards/query.ts';

/** A TermSource over a list of words, as the index would hold them (Porter stems, chunk counts). */
function source(words: Record<string, number>): TermSource {
  const df = new Map<string, number>();
  for (const [w, n] of Object.entries(words)) df.set(/^[a-z]+$/.test(w) ? stemWord(w) : w, n);
  const byLength = new Map<number, { term: string; doc: number }[]>();
  for (const [term, doc] of df) {
    if (!/^[a-z]+$/.test(term)) continue;
    if (!byLength.has(term.length)) byLength.set(term.length, []);
    byLength.get(term.length)!.push({ term, doc });
  }
  return { docFreq: (s) => df.get(s) ?? 0, chunkCount: () => 100, terms: () => byLength };
}

describe('planQuery', () => {
  test('a camelCase identifier is searched whole and by its parts', () => {
    const plan = planQuery('require(variablePath)', source({ require: 5, variable: 3, path: 9 }))!;
    expect(plan.words).toContain('require');
    expect(plan.words).toContain('variable');
    expect(plan.words).toContain('path');
    // The whole identifier too: a document may spell it as one word.
    expect(plan.match).toContain('"variablepath"');
  });

  test('a plain word is not split, and stop words are dropped', () => {
    const plan = planQuery('how should I handle the timeout', source({ handle: 4, timeout: 2 }))!;
    expect(plan.words).toEqual(['handle', 'timeout']);
  });
});
