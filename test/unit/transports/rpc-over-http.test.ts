import { expect, test } from 'bun:test';
import { isConnectionRefused, isConnectionReset, sseMessages } from '../../../src/transports/rpc-over-http.ts';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(encoder.encode(c));
      controller.close();
    },
  });
}

test.each<[string, string[], string[]]>([
  ['one event', ['event: message\ndata: {"a":1}\n\n'], ['{"a":1}']],
  ['split across chunks', ['data: {"a"', ':1}\n', '\ndata: {"b":2}\n\n'], ['{"a":1}', '{"b":2}']],
  ['CRLF line ends', ['data: {"a":1}\r\n\r\n'], ['{"a":1}']],
  ['priming event with empty data is skipped', ['id: 1\ndata: \n\n', 'data: {"x":0}\n\n'], ['{"x":0}']],
  ['multi-line data joins with newlines', ['data: [1,\ndata: 2]\n\n'], ['[1,\n2]']],
  ['comments and keep-alives are skipped', [': ping\n\n', 'data: {}\n\n'], ['{}']],
])('sseMessages: %s', async (_name, chunks, expected) => {
  const got: string[] = [];
  for await (const m of sseMessages(streamOf(chunks))) got.push(m);
  expect(got).toEqual(expected);
});

// Named by a label, not the error: bun prints an Error in a test name with its source excerpt and
// "error: ...", which reads like a failure in a passing run (issue 10).
test.each([
  ['code ECONNREFUSED', true, false, { code: 'ECONNREFUSED', message: 'x' }],
  ["Bun's message for a refused connection", true, false, new Error('Unable to connect. Is the computer able to access the url?')],
  ['code ECONNRESET', false, true, { code: 'ECONNRESET', message: 'The socket connection was closed unexpectedly' }],
  ['an unrelated error', false, false, new Error('Unexpected token')],
] as const)('classifies %s (refused %p, reset %p)', (_label, refused, reset, error) => {
  expect(isConnectionRefused(error)).toBe(refused);
  expect(isConnectionReset(error)).toBe(reset);
});
