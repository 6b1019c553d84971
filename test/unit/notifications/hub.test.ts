import { expect, test } from 'bun:test';
import { RESOURCES_LIST_CHANGED, createNotificationHub } from '../../../src/notifications/hub.ts';
import { createNotificationStreams } from '../../../src/transports/event-stream.ts';

test('the hub delivers in order to every subscriber; a throwing one does not stop the others', () => {
  const errors: unknown[] = [];
  const hub = createNotificationHub((e) => errors.push(e));
  const got: string[] = [];
  hub.subscribe({ notify: () => { throw new Error('boom'); } });
  const off = hub.subscribe({ notify: (n) => got.push(`a ${n.method}`) });
  hub.subscribe({ notify: (n) => got.push(`b ${n.method}`) });
  hub.publish(RESOURCES_LIST_CHANGED);
  off();
  off();
  hub.publish({ method: 'notifications/resources/updated', params: { uri: 'praxis://x' } });
  expect(got).toEqual(['a notifications/resources/list_changed', 'b notifications/resources/list_changed', 'b notifications/resources/updated']);
  expect(errors).toHaveLength(2);
  expect(hub.subscriberCount).toBe(2);
});

test('closing the hub closes every subscriber once; a later subscriber is closed at once', () => {
  const hub = createNotificationHub();
  let closed = 0;
  hub.subscribe({ notify: () => {}, close: () => void closed++ });
  hub.close();
  hub.close();
  hub.subscribe({ notify: () => {}, close: () => void closed++ });
  hub.publish(RESOURCES_LIST_CHANGED);
  expect(closed).toBe(2);
  expect(hub.subscriberCount).toBe(0);
});

const get = (accept = 'text/event-stream', signal?: AbortSignal) =>
  new Request('http://127.0.0.1/mcp', { method: 'GET', headers: { accept }, signal });

async function readUntil(response: Response, text: string): Promise<string> {
  const reader = response.body!.getReader();
  let seen = '';
  while (!seen.includes(text)) {
    const { done, value } = await reader.read();
    if (done) break;
    seen += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return seen;
}

test('a GET stream carries each notification as an SSE message, and unsubscribes when the client aborts', async () => {
  const hub = createNotificationHub();
  const open = createNotificationStreams(hub, { keepAliveMs: 0 });
  const abort = new AbortController();
  const response = open(get('application/json, text/event-stream', abort.signal));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  expect(hub.subscriberCount).toBe(1);
  hub.publish(RESOURCES_LIST_CHANGED);
  const text = await readUntil(response, 'list_changed"}\n\n');
  expect(text).toContain('event: message\ndata: {"jsonrpc":"2.0","method":"notifications/resources/list_changed"}\n\n');
  abort.abort();
  expect(hub.subscriberCount).toBe(0);
});

test('a GET without Accept: text/event-stream gets 406; streams beyond the bound get 503', () => {
  const hub = createNotificationHub();
  const open = createNotificationStreams(hub, { keepAliveMs: 0, maxStreams: 1 });
  expect(open(get('application/json')).status).toBe(406);
  expect(open(get()).status).toBe(200);
  expect(open(get()).status).toBe(503);
  hub.close();
  expect(open(get()).status).toBe(200); // the closed stream no longer counts
});
