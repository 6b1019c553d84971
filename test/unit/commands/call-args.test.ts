import { describe, expect, test } from 'bun:test';
import { buildToolArguments } from '../../../src/commands/call-args.ts';
import { renderToolResult } from '../../../src/commands/call.ts';
import { formatDuration } from '../../../src/commands/status.ts';

const schema = {
  properties: {
    query: { type: 'string' },
    n_results: { type: 'integer' },
    exact: { type: 'boolean' },
    filter_tags: { type: 'array', items: { type: 'string' } },
    filter_phase: { type: ['number', 'null'] },
  },
};

describe('buildToolArguments', () => {
  test.each<[string[], Record<string, unknown>]>([
    [[], {}],
    [['query=error handling'], { query: 'error handling' }],
    [['--query', '123'], { query: '123' }],
    [['--query=a=b'], { query: 'a=b' }],
    [['n_results=3'], { n_results: 3 }],
    [['exact=true'], { exact: true }],
    [['filter_tags=testing, git'], { filter_tags: ['testing', 'git'] }],
    [['filter_tags=["a","b"]'], { filter_tags: ['a', 'b'] }],
    [['filter_phase=2'], { filter_phase: 2 }],
    [['--args', '{"query":"x","n_results":2}', 'n_results=7'], { query: 'x', n_results: 7 }],
    [['unknown=[1,2]'], { unknown: [1, 2] }],
    [['unknown=plain'], { unknown: 'plain' }],
  ])('%p -> %p', (words, expected) => {
    expect(buildToolArguments(words, schema)).toEqual(expected);
  });

  test.each([
    [['n_results=many'], /must be a number/],
    [['exact=yes'], /true or false/],
    [['--args', 'nope'], /JSON object/],
    [['--args', '[1]'], /JSON object/],
    [['--query'], /needs a value/],
    [['bare'], /key=value/],
  ])('%p is refused', (words, message) => {
    expect(() => buildToolArguments(words, schema)).toThrow(message);
  });
});

test.each([
  [0, '0s'],
  [59.9, '59s'],
  [61, '1m 1s'],
  [3600, '1h'],
  [90_061, '1d 1h'],
])('formatDuration(%p) = %p', (seconds, text) => {
  expect(formatDuration(seconds)).toBe(text);
});

test('renderToolResult shows text as text and other content as JSON', () => {
  const text = renderToolResult({ content: [{ type: 'text', text: 'hello' }, { type: 'image', data: 'AA==', mimeType: 'image/png' }] });
  expect(text.split('\n')[0]).toBe('hello');
  expect(text).toContain('"mimeType": "image/png"');
});
