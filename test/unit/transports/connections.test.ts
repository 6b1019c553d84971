// Server-to-client requests over HTTP streams (issue 14): only the asked connection can answer,
// a stream's end fails what it left unanswered, and only IDEs behind bridges are offered for asking.
import { expect, test } from 'bun:test';
import { createHttpConnections, isReply } from '../../../src/transports/connections.ts';

const elicitParams = { capabilities: { elicitation: { form: {} } }, clientInfo: { name: 'ide' } };

test('a request goes down the connection\'s stream, and only that connection\'s reply answers it', async () => {
  const c = createHttpConnections();
  const sent: any[] = [];
  c.initialized('bridge-1', elicitParams, true);
  c.streamOpened('bridge-1', (m) => (sent.push(m), true));
  const pending = c.request('bridge-1', 'elicitation/create', { message: 'ok?' });
  expect(sent).toEqual([{ jsonrpc: '2.0', id: expect.any(String), method: 'elicitation/create', params: { message: 'ok?' } }]);
  const id = sent[0].id;
  expect(c.answer('someone-else', { jsonrpc: '2.0', id, result: { action: 'accept' } })).toBe(false);
  expect(c.answer('bridge-1', { jsonrpc: '2.0', id: 'other', result: {} })).toBe(false);
  expect(c.answer('bridge-1', { jsonrpc: '2.0', id, result: { action: 'accept' } })).toBe(true);
  expect(await pending).toEqual({ action: 'accept' });
  expect(c.answer('bridge-1', { jsonrpc: '2.0', id, result: {} })).toBe(false); // answered once only
});

test('an error reply rejects; a stream that ends rejects what is unanswered; no stream, no request', async () => {
  const c = createHttpConnections();
  const sent: any[] = [];
  c.initialized('b', elicitParams, true);
  const end = c.streamOpened('b', (m) => (sent.push(m), true));
  const failing = c.request('b', 'x', {});
  c.answer('b', { jsonrpc: '2.0', id: sent[0].id, error: { code: -1, message: 'declined' } });
  await expect(failing).rejects.toThrow('declined');
  const orphan = c.request('b', 'x', {});
  end();
  await expect(orphan).rejects.toThrow('stream ended');
  await expect(c.request('b', 'x', {})).rejects.toThrow('no stream');
});

test('canElicit: IDEs behind bridges with a stream and form elicitation, never a plain HTTP client', () => {
  const c = createHttpConnections();
  c.initialized('session:http', elicitParams, false);
  c.initialized('bridge-no-elicit', { capabilities: {} }, true);
  c.initialized('bridge-url-only', { capabilities: { elicitation: { url: {} } } }, true);
  c.initialized('bridge-no-stream', elicitParams, true);
  c.initialized('bridge-ok', { ...elicitParams, clientInfo: { name: 'cursor' } }, true);
  c.initialized('bridge-old', { capabilities: { elicitation: {} } }, true);
  for (const conn of ['session:http', 'bridge-no-elicit', 'bridge-url-only', 'bridge-ok', 'bridge-old']) c.streamOpened(conn, () => true);
  expect(c.canElicit()).toEqual([{ connection: 'bridge-ok', client: 'cursor' }, { connection: 'bridge-old' }]);
});

test.each([
  [{ jsonrpc: '2.0', id: 1, result: {} }, true],
  [{ jsonrpc: '2.0', id: 1, error: { code: 1, message: 'x' } }, true],
  [{ jsonrpc: '2.0', id: 1, method: 'ping' }, false],
  [{ jsonrpc: '2.0', method: 'notifications/x' }, false],
  [[{ jsonrpc: '2.0', id: 1, result: {} }], false],
  [null, false],
])('isReply(%j) is %p', (m, expected) => expect(isReply(m)).toBe(expected));

test('subscriptions per connection: updates only for subscribed URIs; other notifications always; forget clears', () => {
  const c = createHttpConnections();
  const updated = (uri: string) => ({ method: 'notifications/resources/updated', params: { uri } });
  c.subscribe('a', 'praxis://workflows/sessions/1', true);
  c.subscribe('b', 'praxis://workflows/sessions/1', true);
  expect(c.wants('a', updated('praxis://workflows/sessions/1'))).toBe(true);
  expect(c.wants('a', updated('praxis://workflows/sessions/2'))).toBe(false);
  expect(c.wants('never', updated('praxis://workflows/sessions/1'))).toBe(false);
  expect(c.wants('never', { method: 'notifications/resources/list_changed' })).toBe(true);
  expect(c.subscribers('praxis://workflows/sessions/1')).toBe(2);
  c.subscribe('a', 'praxis://workflows/sessions/1', false);
  expect(c.wants('a', updated('praxis://workflows/sessions/1'))).toBe(false);
  c.forget('b');
  expect(c.subscribers('praxis://workflows/sessions/1')).toBe(0);
});
