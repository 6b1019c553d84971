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

  test('a misspelling that stems differently from its word is fixed before stemming', () => {
    // Porter leaves "paginaton" whole but stems "pagination" to "pagin": 4 edits apart as stems,
    // one edit apart as words.
    expect(stemWord('paginaton')).toBe('paginaton');
    const plan = planQuery('paginaton paramters', source({ pagination: 3, parameters: 4, page: 20 }))!;
    expect(plan.words).toEqual([stemWord('pagination'), stemWord('parameters')]);
  });

  test('a doubled letter and a swapped letter are fixed, a known word is left alone', () => {
    const plan = planQuery('gracefull shutdwon of workers', source({ graceful: 3, shutdown: 5, workers: 2, shut: 9 }))!;
    expect(plan.words).toEqual([stemWord('graceful'), stemWord('shutdown'), 'workers']);
  });

  test('two neighbouring words the index knows as one are also searched joined', () => {
    const src = source({ setup: 6, stacktraces: 3, stack: 4, traces: 5, along: 9, long: 4, howto: 5, mybranch: 1, branch: 7 });
    const plan = planQuery('how to set up stack traces', src)!;
    expect(plan.words).toContain('setup');
    expect(plan.words).toContain('stacktraces');
    // Not both stop words ("how to"), no one-letter part ("a long"), not a word of one chunk ("my branch").
    const other = planQuery('a long name for my branch', src)!;
    expect(other.words).not.toContain('along');
    expect(other.words).not.toContain('mybranch');
    expect(plan.words).not.toContain('howto');
  });
});
