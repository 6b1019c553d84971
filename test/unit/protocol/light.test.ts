import { describe, expect, test } from 'bun:test';
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { AppContext } from '../../../src/context.ts';
import { LEGACY_PROTOCOL_VERSIONS, asPlainRequest, createLightProtocol } from '../../../src/protocol/light.ts';
import { defineTool, jsonResult } from '../../../src/registry/tool.ts';

const echo = defineTool({
  name: 'echo',
  title: 'Echo',
  description: 'echoes',
  inputSchema: z.object({ text: z.string().describe('what to echo') }),
  outputSchema: z.object({ text: z.string() }),
  annotations: { readOnlyHint: true },
  handler: ({ text }) => jsonResult({ text }),
});
const light = createLightProtocol({ version: '1.2.3' } as AppContext, [echo]);
const req = (method: string, params?: unknown, id: unknown = 1) => asPlainRequest({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
const init = (params: Record<string, unknown>) => req('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'c', version: '1' }, ...params });

test('the 2025-era versions are the SDK\'s own list, in its order', () => {
  expect(LEGACY_PROTOCOL_VERSIONS).toEqual([...SUPPORTED_PROTOCOL_VERSIONS]);
});

describe('asPlainRequest', () => {
  test.each<[string, unknown, boolean]>([
    ['a request without params', { jsonrpc: '2.0', id: 1, method: 'ping' }, true],
    ['a string id', { jsonrpc: '2.0', id: 'a', method: 'ping', params: {} }, true],
    ['a notification', { jsonrpc: '2.0', method: 'notifications/initialized' }, false],
    ['a response', { jsonrpc: '2.0', id: 1, result: {} }, false],
    ['a null id', { jsonrpc: '2.0', id: null, method: 'ping' }, false],
    ['a fractional id', { jsonrpc: '2.0', id: 0.5, method: 'ping' }, false],
    ['params with _meta', { jsonrpc: '2.0', id: 1, method: 'ping', params: { _meta: {} } }, false],
    ['array params', { jsonrpc: '2.0', id: 1, method: 'ping', params: [] }, false],
    ['an extra key', { jsonrpc: '2.0', id: 1, method: 'ping', x: 1 }, false],
    ['a batch', [{ jsonrpc: '2.0', id: 1, method: 'ping' }], false],
  ])('%s', (_name, message, plain) => {
    expect(asPlainRequest(message) !== undefined).toBe(plain);
  });
});

describe('initialize', () => {
  test('echoes a supported version, with the server identity, capabilities and instructions', () => {
    for (const version of LEGACY_PROTOCOL_VERSIONS) {
      const reply = light.answer(init({ protocolVersion: version })!) as { result: Record<string, unknown> };
      expect(reply.result.protocolVersion).toBe(version);
      expect(reply.result.serverInfo).toEqual({ name: 'praxis-mcp', version: '1.2.3' });
      expect(Object.keys(reply.result)).toEqual(['protocolVersion', 'capabilities', 'serverInfo', 'instructions']);
    }
  });

  test.each<[string, Record<string, unknown>]>([
    ['an unknown version (the SDK negotiates)', { protocolVersion: '1999-01-01' }],
    ['the 2026-07-28 protocol', { protocolVersion: '2026-07-28' }],
    ['no clientInfo', { clientInfo: undefined }],
    ['a clientInfo without a version', { clientInfo: { name: 'c' } }],
    ['a capability that is not an object', { capabilities: { roots: true } }],
    ['an extra param', { extra: 1 }],
  ])('leaves %s to the SDK', (_name, params) => {
    expect(light.answer(init(params)!)).toBeUndefined();
  });
});

test('ping and tools/list answer only the plain forms', async () => {
  expect(light.answer(req('ping')!)).toEqual({ result: {}, jsonrpc: '2.0', id: 1 });
  expect(light.answer(req('ping', { x: 1 })!)).toBeUndefined();
  expect(light.answer(req('tools/list', { cursor: 'next' })!)).toBeUndefined();
  const list = (await light.answer(req('tools/list')!)) as { result: { tools: Record<string, unknown>[] } };
  expect(list.result.tools).toHaveLength(1);
  const [tool] = list.result.tools;
  expect(Object.keys(tool!)).toEqual(['name', 'title', 'description', 'inputSchema', 'annotations', 'outputSchema']);
  expect((tool!.inputSchema as Record<string, unknown>).type).toBe('object');
  expect(Object.keys(tool!.inputSchema as object)[0]).toBe('type');
});

test('methods it does not serve are the SDK\'s', () => {
  for (const method of ['resources/list', 'resources/read', 'server/discover', 'logging/setLevel']) {
    expect(light.answer(req(method, {})!)).toBeUndefined();
  }
});
