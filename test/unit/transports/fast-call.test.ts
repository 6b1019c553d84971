import { describe, expect, test } from 'bun:test';
import { z } from 'zod';
import type { AppContext } from '../../../src/context.ts';
import { defineTool, jsonResult } from '../../../src/registry/tool.ts';
import { createLightProtocol } from '../../../src/protocol/light.ts';
import { createFastPath } from '../../../src/transports/fast-call.ts';

const echo = defineTool({
  name: 'echo',
  description: 'echoes',
  inputSchema: z.object({ text: z.string(), times: z.number().int().min(1).default(1) }),
  outputSchema: z.object({ text: z.string() }),
  handler: ({ text, times }) => jsonResult({ text: text.repeat(times) }),
});
const boom = defineTool({ name: 'boom', description: 'throws', inputSchema: z.object({}), handler: () => { throw new Error('it broke'); } });
const liar = defineTool({
  name: 'liar',
  description: 'breaks its output schema',
  inputSchema: z.object({}),
  outputSchema: z.object({ n: z.number() }),
  handler: () => jsonResult({ n: 'not a number' }),
});

const fast = createFastPath(createLightProtocol({ version: '9.9.9' } as AppContext, [echo, boom, liar]));
const ACCEPT = 'application/json, text/event-stream';
const request = (headers: Record<string, string> = {}) =>
  new Request('http://127.0.0.1/mcp', { method: 'POST', headers: { 'content-type': 'application/json', accept: ACCEPT, ...headers } });
const call = (params: unknown, id: unknown = 1, extra = {}) => ({ jsonrpc: '2.0', id, method: 'tools/call', params, ...extra });

async function frame(response: Response | undefined) {
  expect(response).toBeDefined();
  expect(response!.status).toBe(200);
  expect(response!.headers.get('content-type')).toBe('text/event-stream');
  const text = await response!.text();
  expect(text.startsWith('event: message\ndata: ')).toBe(true);
  expect(text.endsWith('\n\n')).toBe(true);
  return JSON.parse(text.slice('event: message\ndata: '.length));
}

describe('answers plain calls itself', () => {
  test('the reply keeps the SDK key order and applies schema defaults', async () => {
    const reply = await frame(await fast(request(), call({ name: 'echo', arguments: { text: 'ab', times: 2 } }, 'x')));
    expect(Object.keys(reply)).toEqual(['result', 'jsonrpc', 'id']);
    expect(reply).toEqual({ result: { content: [{ type: 'text', text: '{\n  "text": "abab"\n}' }], structuredContent: { text: 'abab' } }, jsonrpc: '2.0', id: 'x' });
    const defaulted = await frame(await fast(request({ 'mcp-protocol-version': '2025-06-18' }), call({ name: 'echo', arguments: { text: 'a' } })));
    expect(defaulted.result.structuredContent).toEqual({ text: 'a' });
  });

  test('a throwing tool is an isError result, as the SDK makes it', async () => {
    const reply = await frame(await fast(request(), call({ name: 'boom' })));
    expect(reply.result).toEqual({ content: [{ type: 'text', text: 'it broke' }], isError: true });
  });

  test('output that breaks the output schema is an isError result', async () => {
    const reply = await frame(await fast(request(), call({ name: 'liar', arguments: {} })));
    expect(reply.result.isError).toBe(true);
    expect(reply.result.content[0].text).toContain('Output validation error: Invalid structured content for tool liar');
  });
});

test('a charset parameter is still plain JSON', async () => {
  const reply = await frame(await fast(request({ 'content-type': 'application/json; charset=utf-8' }), call({ name: 'echo', arguments: { text: 'a' } })));
  expect(reply.result.structuredContent).toEqual({ text: 'a' });
});

test('the other plain requests are framed the same way', async () => {
  const pong = await frame(await fast(request(), { jsonrpc: '2.0', id: 7, method: 'ping' }));
  expect(pong).toEqual({ result: {}, jsonrpc: '2.0', id: 7 });
  const list = await frame(await fast(request(), { jsonrpc: '2.0', id: 8, method: 'tools/list' }));
  expect(list.result.tools.map((t: { name: string }) => t.name)).toEqual(['echo', 'boom', 'liar']);
});

describe('leaves everything else to the SDK', () => {
  test.each<[string, unknown, Record<string, string>?]>([
    ['a batch', [call({ name: 'echo', arguments: { text: 'a' } })]],
    ['a method it does not serve', { jsonrpc: '2.0', id: 1, method: 'resources/list' }],
    ['a notification', { jsonrpc: '2.0', method: 'tools/call', params: { name: 'echo', arguments: { text: 'a' } } }],
    ['a fractional id', call({ name: 'echo', arguments: { text: 'a' } }, 1.5)],
    ['a null id', call({ name: 'echo', arguments: { text: 'a' } }, null)],
    ['an extra top-level key', call({ name: 'echo', arguments: { text: 'a' } }, 1, { extra: 1 })],
    ['params with _meta', call({ name: 'echo', arguments: { text: 'a' }, _meta: { progressToken: 1 } })],
    ['an unknown tool', call({ name: 'nope' })],
    ['arguments that are an array', call({ name: 'echo', arguments: ['a'] })],
    ['arguments that fail the schema', call({ name: 'echo', arguments: { text: 1 } })],
    ['wrong jsonrpc', { ...call({ name: 'echo', arguments: { text: 'a' } }), jsonrpc: '1.0' }],
    ['no SSE in Accept', call({ name: 'echo', arguments: { text: 'a' } }), { accept: 'application/json' }],
    ['a non-JSON content type', call({ name: 'echo', arguments: { text: 'a' } }), { 'content-type': 'text/plain' }],
    ['a JSON content type with other parameters', call({ name: 'echo', arguments: { text: 'a' } }), { 'content-type': 'application/json; profile=x' }],
    ['a modern protocol header', call({ name: 'echo', arguments: { text: 'a' } }), { 'mcp-protocol-version': '2026-07-28' }],
    ['an unknown protocol header', call({ name: 'echo', arguments: { text: 'a' } }), { 'mcp-protocol-version': '1999-01-01' }],
  ])('%s', (_name, body, headers = {}) => {
    expect(fast(request(headers), body)).toBeUndefined();
  });
});
