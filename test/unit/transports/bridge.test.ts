// The bridge's forwarding rules, in-process: a fake owner (an in-process fetch handler) stands in
// for the HTTP endpoint, PassThrough streams for the IDE's stdio.
import { afterEach, expect, test } from 'bun:test';
import { PassThrough } from 'node:stream';
import { silentLogger } from '../../../src/log.ts';
import { type BridgeHandle, startBridge } from '../../../src/transports/bridge.ts';

const started: { bridge: BridgeHandle; stdin: PassThrough }[] = [];
afterEach(async () => {
  for (const { bridge, stdin } of started.splice(0)) {
    await bridge.close();
    stdin.end();
  }
});

/** A bridge to `owner`; returns what the IDE sends and reads. */
function bridgeTo(owner: (request: Request) => Response | Promise<Response>, options: { responds?: () => Promise<boolean>; checkAfterMs?: number } = {}) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (d) => (out += d));
  const bridge = startBridge({
    target: () => ({ url: 'http://127.0.0.1:1/mcp', token: 't', fetch: owner }),
    recover: async () => {},
    ownerResponds: options.responds,
    describeOwner: () => 'pid 42 at http://127.0.0.1:1/mcp',
    checkAfterMs: options.checkAfterMs,
    onEnd: () => {},
    log: silentLogger,
    stdin,
    stdout,
  });
  started.push({ bridge, stdin });
  const lines = () => out.split('\n').filter(Boolean).map((l) => JSON.parse(l));
  return { send: (text: string) => stdin.write(`${text}\n`), lines };
}

const until = async (check: () => boolean, ms = 2000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
};

test('each message carries the protocol headers an HTTP client would send', async () => {
  const seen: Record<string, string | null>[] = [];
  const ide = bridgeTo(async (request) => {
    if (request.method === 'GET') return new Response(null, { status: 405 }); // the 2025-era relay's stream
    seen.push({ version: request.headers.get('mcp-protocol-version'), method: request.headers.get('mcp-method'), name: request.headers.get('mcp-name') });
    const body = await request.json();
    const result = body.method === 'initialize' ? { protocolVersion: '2025-06-18' } : {};
    return Response.json({ jsonrpc: '2.0', id: body.id, result });
  });
  ide.send('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}');
  await until(() => ide.lines().length === 1);
  ide.send('{"jsonrpc":"2.0","id":2,"method":"tools/list"}');
  ide.send('{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"current_date","_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}');
  await until(() => ide.lines().length === 3);
  expect(seen).toEqual([
    { version: null, method: null, name: null },
    { version: '2025-06-18', method: null, name: null },
    { version: '2026-07-28', method: 'tools/call', name: 'current_date' },
  ]);
});

test('a line that is not JSON goes to the owner as it came, and its answer comes back', async () => {
  const bodies: string[] = [];
  const ide = bridgeTo(async (request) => {
    bodies.push(await request.text());
    return Response.json({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } }, { status: 400 });
  });
  ide.send('{not json');
  await until(() => ide.lines().length === 1);
  expect(bodies).toEqual(['{not json']);
  expect(ide.lines()[0]).toMatchObject({ id: null, error: { code: -32700 } });
});

test('an owner that does not answer, and whose /health does not either: an error naming the owner', async () => {
  let asked = 0;
  const ide = bridgeTo(() => new Promise<Response>(() => {}), {
    checkAfterMs: 50,
    responds: async () => (++asked, asked < 3),
  });
  ide.send('{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"current_date"}}');
  await until(() => ide.lines().length === 1);
  // Asked twice while it answered (the request stays its to finish), the third time it did not.
  expect(asked).toBe(3);
  expect(ide.lines()[0]).toMatchObject({ id: 7, error: { code: -32603, data: { reason: 'owner_unresponsive' } } });
  expect(ide.lines()[0].error.message).toContain('pid 42 at http://127.0.0.1:1/mcp');
});

test('notifications/cancelled aborts the forwarded request, and no reply is written for it', async () => {
  let aborted = false;
  const ide = bridgeTo(async (request) => {
    const body = await request.json();
    if (body.method === 'notifications/cancelled') return new Response(null, { status: 202 });
    return new Promise<Response>((_, reject) =>
      request.signal.addEventListener('abort', () => {
        aborted = true;
        reject(new DOMException('aborted', 'AbortError'));
      }),
    );
  });
  ide.send('{"jsonrpc":"2.0","id":"listen:1","method":"subscriptions/listen","params":{}}');
  await new Promise((r) => setTimeout(r, 20));
  ide.send('{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"listen:1"}}');
  await until(() => aborted);
  await new Promise((r) => setTimeout(r, 50));
  expect(ide.lines()).toEqual([]);
});
