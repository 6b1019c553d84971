import { describe, expect, test } from 'bun:test';
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import { createServerPool } from '../../../src/registry/server-pool.ts';

const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' };

/** A handler over a pool whose factory counts the instances it builds; the tool waits for `gate` when given. */
function setup(gate?: Promise<void>) {
  const built: McpServer[] = [];
  const pool = createServerPool(() => {
    const server = new McpServer({ name: 'pool-test', version: '1.0.0' }, { capabilities: { tools: {} } });
    server.registerTool('echo', { description: 'echo' }, async () => {
      await gate;
      return { content: [{ type: 'text', text: 'ok' }] };
    });
    built.push(server);
    return server;
  });
  const mcp = createMcpHandler(pool);
  const post = async (body: unknown) => {
    const response = await mcp.fetch(new Request('http://127.0.0.1/mcp', { method: 'POST', headers: HEADERS, body: JSON.stringify(body) }));
    return { status: response.status, text: await response.text() };
  };
  const fetch = (body: unknown, signal?: AbortSignal) =>
    mcp.fetch(new Request('http://127.0.0.1/mcp', { method: 'POST', headers: HEADERS, body: JSON.stringify(body), signal }));
  return { built, post, fetch };
}

const call = (id: number) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'echo', arguments: {} } });
const initialize = (id: number) => ({
  jsonrpc: '2.0', id, method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'c', version: '1' } },
});

describe('createServerPool', () => {
  test('sequential stateless requests reuse one idle instance, each answered in full', async () => {
    const { built, post } = setup();
    for (let id = 1; id <= 5; id++) {
      const reply = await post(call(id));
      expect(reply.status).toBe(200);
      expect(reply.text).toContain(`"id":${id}`);
      expect(reply.text).toContain('"text":"ok"');
    }
    expect(built.length).toBe(1);
  });

  test('concurrent requests get distinct instances (one exchange per instance), then return to the pool', async () => {
    let open!: () => void;
    const { built, post } = setup(new Promise<void>((resolve) => (open = resolve)));
    const replies = [1, 2, 3].map((id) => post(call(id)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    open();
    for (const reply of await Promise.all(replies)) expect(reply.status).toBe(200);
    expect(built.length).toBe(3);
    await Promise.all([4, 5, 6].map((id) => post(call(id))));
    expect(built.length).toBe(3);
  });

  test('a request the client abandons frees its instance; the late result never reaches the next exchange', async () => {
    let open!: () => void;
    const { built, post, fetch } = setup(new Promise<void>((resolve) => (open = resolve)));
    const abort = new AbortController();
    const abandoned = fetch(call(1), abort.signal).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 20));
    abort.abort();
    await abandoned;
    open();
    const reply = await post(call(2));
    expect(reply.status).toBe(200);
    expect(reply.text).toContain('"id":2');
    expect(reply.text).not.toContain('"id":1');
    expect(built.length).toBeLessThanOrEqual(2);
  });

  test('an instance that served initialize holds client state and is never reused', async () => {
    const { built, post } = setup();
    expect((await post(initialize(1))).text).toContain('"serverInfo"');
    expect(built.length).toBe(1);
    expect((await post(call(2))).status).toBe(200);
    expect(built.length).toBe(2);
    expect(built[1]!.server.getClientVersion()).toBeUndefined();
  });
});
