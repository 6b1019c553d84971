import { expect, test } from 'bun:test';
import { encodeHeaderValue, protocolHeadersOf } from '../../../src/transports/era-headers.ts';

const META = 'io.modelcontextprotocol/protocolVersion';
const modern = (method: string, params: Record<string, unknown> = {}, id: number | null = 1) => ({
  jsonrpc: '2.0',
  ...(id !== null && { id }),
  method,
  params: { ...params, _meta: { [META]: '2026-07-28' } },
});

test.each<[string, unknown, string | undefined, Record<string, string>]>([
  ['a 2025 initialize: no header', { jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }, undefined, {}],
  ['a 2025 request after initialize: the negotiated version', { jsonrpc: '2.0', id: 2, method: 'tools/list' }, '2025-11-25', { 'mcp-protocol-version': '2025-11-25' }],
  ['server/discover: version and method from the envelope', modern('server/discover'), undefined, { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'server/discover' }],
  ['tools/call: Mcp-Name is the tool', modern('tools/call', { name: 'current_date' }), '2026-07-28', { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'current_date' }],
  ['resources/read: Mcp-Name is the URI', modern('resources/read', { uri: 'praxis://standards/a.md' }), undefined, { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'resources/read', 'mcp-name': 'praxis://standards/a.md' }],
  ['an enveloped notification: the version only', modern('notifications/cancelled', {}, null), undefined, { 'mcp-protocol-version': '2026-07-28' }],
  ['a raw line that is not JSON: the session version', undefined, '2025-06-18', { 'mcp-protocol-version': '2025-06-18' }],
])('protocolHeadersOf: %s', (_name, message, session, expected) => {
  expect(protocolHeadersOf(message, session)).toEqual(expected);
});

test.each([
  ['current_date', 'current_date'],
  ['', '=?base64??='],
  [' padded', `=?base64?${Buffer.from(' padded').toString('base64')}?=`],
  ['héllo', `=?base64?${Buffer.from('héllo').toString('base64')}?=`],
  ['=?base64?abc?=', `=?base64?${Buffer.from('=?base64?abc?=').toString('base64')}?=`],
])('encodeHeaderValue(%p)', (value, expected) => {
  expect(encodeHeaderValue(value)).toBe(expected);
});
