// createHttpApp's in-flight tracking with a fake SDK handler: an SSE reply resolves `fetch` at once
// and streams the result later, so a call counts as in flight until its body has been sent, which
// is what lets shutdown wait for HTTP calls (and only for them, bounded, in app.ts).
import { describe, expect, test } from 'bun:test';
import type { McpHttpHandler } from '@modelcontextprotocol/server';
import { createInflight } from '../../../src/inflight.ts';
import { createHttpApp } from '../../../src/transports/http.ts';

/** A fake SDK handler whose SSE body sends one event when `release()` is called. */
function slowSse() {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let calls = 0;
  const mcp = {
    fetch: async () => {
      calls++;
      const body = new ReadableStream<Uint8Array>({
        async start(controller) {
          await released;
          controller.enqueue(new TextEncoder().encode('event: message\ndata: {"jsonrpc":"2.0","id":1,"result":{}}\n\n'));
          controller.close();
        },
      });
      return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
    },
    close: async () => {},
  } as unknown as McpHttpHandler;
  return { mcp, release, calls: () => calls };
}

function setup(mcp: McpHttpHandler) {
  const inflight = createInflight();
  const app = createHttpApp({ mcp, path: '/mcp', token: null, health: () => ({ status: 'ok' }), inflight, maxBodyBytes: 1024 });
  const post = (body: string) =>
    app.fetch(
      new Request('http://127.0.0.1/mcp', {
        method: 'POST',
        headers: { host: '127.0.0.1:4242', 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body,
      }),
    );
  return { inflight, post };
}

const call = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'slow', arguments: {} } });

describe('in-flight tracking over HTTP', () => {
  test('an SSE reply is in flight until its body has been sent', async () => {
    const { mcp, release } = slowSse();
    const { inflight, post } = setup(mcp);
    const response = await post(call);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(inflight.count).toBe(1);
    expect(await inflight.drained(20)).toBe(false);
    release();
    expect(await response.text()).toContain('"result":{}');
    expect(inflight.count).toBe(0);
    expect(await inflight.drained(20)).toBe(true);
  });

  test('a client that goes away (body cancelled) ends the call', async () => {
    const { mcp } = slowSse();
    const { inflight, post } = setup(mcp);
    const response = await post(call);
    expect(inflight.count).toBe(1);
    await response.body!.cancel();
    expect(inflight.count).toBe(0);
  });

  test('a subscriptions/listen stream is not a call to wait for', async () => {
    const { mcp } = slowSse();
    const { inflight, post } = setup(mcp);
    const response = await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'subscriptions/listen', params: {} }));
    expect(response.status).toBe(200);
    expect(inflight.count).toBe(0);
    await response.body!.cancel();
  });

  test('a reply without a body leaves at once', async () => {
    const mcp = { fetch: async () => new Response(null, { status: 202 }), close: async () => {} } as unknown as McpHttpHandler;
    const { inflight, post } = setup(mcp);
    expect((await post(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }))).status).toBe(202);
    expect(inflight.count).toBe(0);
  });

  test.each([
    ['malformed JSON (400)', '{"jsonrpc":', 400],
    ['a body over the limit (413)', JSON.stringify({ pad: 'x'.repeat(2048) }), 413],
  ])('%s never reaches the handler and leaves at once', async (_name, body, status) => {
    const { mcp, calls } = slowSse();
    const { inflight, post } = setup(mcp);
    expect((await post(body)).status).toBe(status);
    expect(calls()).toBe(0);
    expect(inflight.count).toBe(0);
  });

  test('a handler that throws leaves at once', async () => {
    const mcp = {
      fetch: async () => {
        throw new Error('boom');
      },
      close: async () => {},
    } as unknown as McpHttpHandler;
    const { inflight, post } = setup(mcp);
    expect((await post(call)).status).toBe(500);
    expect(inflight.count).toBe(0);
  });
});
