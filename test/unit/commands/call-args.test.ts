import { describe, expect, test } from 'bun:test';
import { buildToolArguments, checkToolCall, listedTools } from '../../../src/commands/call-args.ts';
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
  ])('%j -> %j', (words, expected) => {
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

describe('listedTools (issue 11: a tools/list reply without tools)', () => {
  test.each([[{}], [null], [undefined], [{ tools: 'nope' }], [{ tools: null }]])('%j is a clear E_TOOL_FAILED, not a TypeError', (reply) => {
    let thrown: unknown;
    try {
      listedTools(reply);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ name: 'PraxisError', code: 'E_TOOL_FAILED' });
    expect((thrown as Error).message).toContain('has no "tools" list');
  });
  test('keeps the tools that have a name', () => {
    expect(listedTools({ tools: [{ name: 'a' }, { title: 'no name' }, 7, { name: 'b', inputSchema: {} }] })).toEqual([{ name: 'a' }, { name: 'b', inputSchema: {} }]);
  });
});

describe('checkToolCall', () => {
  const tools = [
    { name: 'search_standards', inputSchema: { ...schema, required: ['query'] } },
    { name: 'current_date', inputSchema: { properties: {} } },
    { name: 'free_form' },
  ];
  test.each<[string, Record<string, unknown>]>([
    ['search_standards', { query: 'x', n_results: 2 }],
    ['current_date', {}],
    ['free_form', { anything: 1 }],
  ])('%p with %j passes', (name, args) => {
    expect(() => checkToolCall(name, args, tools)).not.toThrow();
  });
  test.each<[string, Record<string, unknown>, string]>([
    ['search_standard', { query: 'x' }, 'Unknown tool "search_standard". Did you mean "search_standards"? Tools: search_standards, current_date, free_form.'],
    ['frob', {}, 'Unknown tool "frob". Tools: search_standards, current_date, free_form.'],
    ['search_standards', { qurey: 'x' }, 'Unknown argument "qurey" for search_standards. Did you mean "query"? Arguments: query, n_results, exact, filter_tags, filter_phase.'],
    ['search_standards', { n_results: 2 }, 'search_standards needs query (string): pass --query VALUE.'],
    ['current_date', { tz: 'UTC' }, 'Unknown argument "tz" for current_date. Arguments: none.'],
  ])('%p with %j: %p', (name, args, message) => {
    expect(() => checkToolCall(name, args, tools)).toThrow(message);
    try {
      checkToolCall(name, args, tools);
    } catch (error) {
      expect((error as { code?: string }).code).toBe('E_USAGE');
    }
  });
});
