import { expect, test } from 'bun:test';
import { createLineSplitter } from '../../../src/transports/stdio.ts';

function split(chunks: string[], max?: number) {
  const lines: string[] = [];
  const overflows: number[] = [];
  const feed = createLineSplitter((l) => lines.push(l), (n) => overflows.push(n), max);
  for (const c of chunks) feed(Buffer.from(c));
  return { lines, overflows };
}

test.each<[string, string[], string[]]>([
  ['one line', ['{"a":1}\n'], ['{"a":1}']],
  ['two lines in one chunk', ['a\nb\n'], ['a', 'b']],
  ['a line across chunks', ['{"a":', '1}', '\n'], ['{"a":1}']],
  ['CRLF endings', ['a\r\nb\r\n'], ['a', 'b']],
  ['an unfinished line waits', ['a\nb'], ['a']],
  ['empty lines are lines', ['\n\n'], ['', '']],
])('%s', (_name, chunks, expected) => {
  expect(split(chunks).lines).toEqual(expected);
});

test('a UTF-8 character cut between chunks is decoded whole', () => {
  const bytes = Buffer.from('"é"\n', 'utf8');
  const lines: string[] = [];
  const feed = createLineSplitter((l) => lines.push(l), () => {});
  feed(bytes.subarray(0, 2));
  feed(bytes.subarray(2));
  expect(lines).toEqual(['"é"']);
});

test('an oversized line is dropped and reported once; the next line is read as usual', () => {
  const { lines, overflows } = split(['x'.repeat(6), 'y'.repeat(6), 'z\n{"ok":1}\n'], 10);
  expect(lines).toEqual(['{"ok":1}']);
  expect(overflows).toHaveLength(1);
  expect(overflows[0]).toBeGreaterThan(10);
});

test.each<[string, string[]]>([
  ['that ends in the chunk it started in', [`${'x'.repeat(20)}\n{"ok":1}\n`]],
  ['that ends in the chunk after the one it outgrew the limit in', ['x'.repeat(8), `${'y'.repeat(8)}\n{"ok":1}\n`]],
  ['that ends several chunks later', ['x'.repeat(11), 'y'.repeat(11), 'z'.repeat(11), '\n{"ok":1}\n']],
])('an oversized line %s is dropped, reported once, and the next line is read', (_name, chunks) => {
  const { lines, overflows } = split(chunks, 10);
  expect(lines).toEqual(['{"ok":1}']);
  expect(overflows).toHaveLength(1);
});

test('a line of exactly the limit across chunks is kept whole', () => {
  expect(split(['x'.repeat(5), 'y'.repeat(5), '\n'], 10).lines).toEqual(['xxxxxyyyyy']);
});
