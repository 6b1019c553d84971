// Bounded memory on bad input (issue 11): a message far over the limits is refused or dropped
// without being buffered whole, the connection goes on, and the binary's peak RSS (VmHWM) grows by
// a bounded amount. The bounds here are generous behavioural bounds (the stdio limit alone lets
// 10 MiB be held); the precise figures come from bench/oversized-input.ts (README, Security).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { type Spawned, type TempProject, readJson, spawnBinary, tempProject, waitFor } from '../helpers/process.ts';

const LINUX = process.platform === 'linux';
const MB = 1024 * 1024;
const SIZE = 50 * MB;
const CHUNK = 'a'.repeat(64 * 1024);

/** VmRSS and VmHWM (peak) of a process in MB. */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const mb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)![1]) / 1024;
  return { rss: mb('VmRSS'), peak: mb('VmHWM') };
}

let project: TempProject;
const children: Spawned[] = [];
const cleanups: (() => void)[] = [];
beforeAll(() => void (project = tempProject({ prefix: 'praxis-oversized-' })));
afterAll(async () => {
  for (const child of children) {
    child.proc.stdin?.end();
    await child.kill();
  }
  project.cleanup();
  for (const cleanup of cleanups) cleanup();
});

/** Writes to a child's stdin, waiting for each write to be taken. */
const write = (child: Spawned, text: string) => new Promise<void>((resolve) => child.proc.stdin!.write(text, () => resolve()));
const replied = (child: Spawned, id: number) => child.stdout().split('\n').some((l) => l.includes(`"id":${id}`) && l.includes('"result"'));

async function stdioSession(args: string[]): Promise<Spawned> {
  const child = spawnBinary(args);
  children.push(child);
  await write(child, `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'oversized', version: '1' } } })}\n`);
  await waitFor(() => replied(child, 1), 'initialize', 15_000);
  await write(child, '{"jsonrpc":"2.0","method":"notifications/initialized"}\n{"jsonrpc":"2.0","id":2,"method":"tools/list"}\n');
  await waitFor(() => replied(child, 2), 'tools/list');
  return child;
}

/** Sends a 50 MB line (a ping with a huge pad), then a ping; returns the peak RSS growth in MB. */
async function sendHugeLine(child: Spawned): Promise<number> {
  const idle = LINUX ? memory(child.pid).rss : 0;
  await write(child, '{"jsonrpc":"2.0","id":3,"method":"ping","params":{"pad":"');
  for (let sent = 0; sent < SIZE; sent += CHUNK.length) await write(child, CHUNK);
  await write(child, '"}}\n{"jsonrpc":"2.0","id":4,"method":"ping"}\n');
  await waitFor(() => replied(child, 4), 'the ping after the 50 MB line', 20_000);
  expect(replied(child, 3)).toBe(false);
  expect(child.stderr()).toContain('dropped a message of over');
  return LINUX ? memory(child.pid).peak - idle : 0;
}

describe('stdio', () => {
  test('a 50 MB line is dropped without being buffered whole; the next message is answered', async () => {
    const child = await stdioSession(['serve', '--transport', 'stdio', '--project', project.root]);
    const growth = await sendHugeLine(child);
    console.log(`stdio, 50 MB line: peak RSS +${growth.toFixed(1)} MB over idle`);
    // Holding the 10 MiB limit (and some garbage) is allowed: measured +11 to +18 MB. Buffering the
    // line whole, or copying it over and over as before issue 11 (+86 to +131 MB), is not.
    if (LINUX) expect(growth).toBeLessThan(40);
  }, 60_000);

  test('the same through a bridge: the bridge drops the line and forwards the next message', async () => {
    const shared = tempProject({ prefix: 'praxis-oversized-bridge-' });
    cleanups.push(shared.cleanup);
    const args = ['serve', '--transport', 'dual', '--port', '0', '--project', shared.root];
    const owner = spawnBinary(args);
    children.push(owner);
    await waitFor(() => readJson(shared.statePath), 'the owner\'s state file');
    const bridge = await stdioSession(args);
    await waitFor(() => /bridging this stdio/.test(bridge.stderr()), 'the bridge\'s log line');
    const growth = await sendHugeLine(bridge);
    console.log(`bridge, 50 MB line: peak RSS +${growth.toFixed(1)} MB over idle`);
    if (LINUX) expect(growth).toBeLessThan(40);
  }, 60_000);
});

/** Sends a raw HTTP request on one connection; resolves with the status code of the reply, 0 when the server reset the connection first. */
function rawRequest(port: number, head: string, body: (send: (b: string) => Promise<void>) => Promise<void>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    const done = () => {
      const status = Number(/^HTTP\/1\.1 (\d+)/.exec(reply)?.[1]);
      if (status || reply === '') resolve(status || 0);
      else reject(new Error(`no HTTP status in ${JSON.stringify(reply.slice(0, 80))}`));
      socket.destroy();
    };
    socket.on('data', (d) => {
      reply += d;
      if (reply.includes('\r\n')) done();
    });
    socket.on('error', () => done());
    const send = (b: string) =>
      new Promise<void>((ok) => {
        if (socket.destroyed) return ok();
        try {
          socket.write(b, () => ok());
        } catch {
          ok(); // the server answered and closed: its status is what counts
        }
      });
    socket.on('connect', () => void send(head).then(() => body(send)).catch(() => {}));
  });
}

describe('HTTP', () => {
  let server: Spawned;
  let port: number;
  beforeAll(async () => {
    const own = tempProject({ prefix: 'praxis-oversized-http-' });
    cleanups.push(own.cleanup);
    server = spawnBinary(['serve', '--transport', 'http', '--port', '0', '--no-auth', '--project', own.root]);
    children.push(server);
    port = Number(await waitFor(() => /127\.0\.0\.1:(\d+)\/mcp/.exec(server.stderr())?.[1], 'the HTTP port'));
  });
  const head = (framing: string) =>
    `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n${framing}\r\n`;
  const stream = async (send: (b: string) => Promise<void>, frame: (b: string) => string) => {
    for (let sent = 0; sent < SIZE; sent += CHUNK.length) await send(frame(CHUNK));
  };

  test.each<[string, string, (send: (b: string) => Promise<void>) => Promise<void>, number[]]>([
    ['a declared 50 MB body is refused before it is read', `Content-Length: ${SIZE}\r\n`, (send) => stream(send, (b) => b), [413]],
    [
      'a chunked 50 MB body is cut off at the limit',
      'Transfer-Encoding: chunked\r\n',
      (send) => stream(send, (b) => `${b.length.toString(16)}\r\n${b}\r\n`).then(() => send('0\r\n\r\n')),
      [413],
    ],
    // The 1000 bytes are not JSON (400); what follows is not HTTP, so the server may reset the connection before its answer is read (0).
    ['a Content-Length that lies (1000, then 50 MB) is read as 1000 bytes', 'Content-Length: 1000\r\n', (send) => stream(send, (b) => b), [400, 0]],
  ])('%s', async (_name, framing, body, expected) => {
    const idle = LINUX ? memory(server.pid).rss : 0;
    const status = await rawRequest(port, head(framing), body);
    expect(expected).toContain(status);
    const growth = LINUX ? memory(server.pid).peak - idle : 0;
    console.log(`http, ${_name}: ${status}, peak RSS +${growth.toFixed(1)} MB over idle`);
    if (LINUX) expect(growth).toBeLessThan(30);
    // The server goes on serving.
    const ping = await fetch(`http://127.0.0.1:${port}/health`);
    expect(ping.status).toBe(200);
  }, 60_000);
});
