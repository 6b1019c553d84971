// Memory on bad input (issue 11): how much the compiled binary's RSS grows when a client sends a
// message far over the limits, on stdio (a 50 MB line; the limit is 10 MiB) and over HTTP (a 50 MB
// body with an honest Content-Length, chunked, and with a Content-Length that lies; the limit is
// 4 MiB). Prints idle RSS, RSS after, and the peak (VmHWM), Linux only (/proc).
//   bun bench/oversized-input.ts [--binary dist/praxis-mcp] [--mb 50]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const argv = process.argv.slice(2);
const flag = (name: string, fallback: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1]! : fallback);
const binary = flag('--binary', join(import.meta.dirname, '..', 'dist', 'praxis-mcp'));
const megabytes = Number(flag('--mb', '50'));
const SIZE = megabytes * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 'a');

/** VmRSS and VmHWM of a process, in MB. */
function memory(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)![1]) / 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 500));
const fmt = (n: number) => `${n.toFixed(1)} MB`;

const root = mkdtempSync(join(tmpdir(), 'praxis-bench-oversized-'));
mkdirSync(join(root, '.praxis-os', 'standards'), { recursive: true });

async function stdioCase(): Promise<void> {
  const child = spawn(binary, ['serve', '--transport', 'stdio', '--project', root], { stdio: ['pipe', 'pipe', 'ignore'] });
  try {
    await stdioRun(child);
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
}

async function stdioRun(child: ReturnType<typeof spawn>): Promise<void> {
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  const waitFor = async (id: number) => {
    while (!out.includes(`"id":${id}`)) await new Promise((resolve) => setTimeout(resolve, 20));
  };
  const send = (text: string) => new Promise<void>((resolve) => child.stdin!.write(text, () => resolve()));
  await send(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } })}\n`);
  await waitFor(1);
  await send('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');
  await send('{"jsonrpc":"2.0","id":2,"method":"tools/list"}\n');
  await waitFor(2);
  await settle();
  const idle = memory(child.pid!);
  await send('{"jsonrpc":"2.0","id":3,"method":"ping","params":{"pad":"');
  for (let sent = 0; sent < SIZE; sent += CHUNK.length) await send(CHUNK.toString());
  await send('"}}\n{"jsonrpc":"2.0","id":4,"method":"ping"}\n');
  await waitFor(4);
  await settle();
  const after = memory(child.pid!);
  console.log(`stdio, one ${megabytes} MB line: idle ${fmt(idle.rss)}, after ${fmt(after.rss)} (+${fmt(after.rss - idle.rss)}), peak ${fmt(after.peak)} (+${fmt(after.peak - idle.rss)})`);
  child.stdin!.end();
  await new Promise((resolve) => child.once('exit', resolve));
}

/** Sends raw bytes on one connection and resolves with the status line of the reply. */
function rawPost(port: number, head: string, body: (write: (b: Buffer | string) => Promise<void>) => Promise<void>): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.on('data', (d) => {
      reply += d;
      if (reply.includes('\r\n')) {
        resolve(reply.slice(0, reply.indexOf('\r\n')));
        socket.destroy();
      }
    });
    socket.on('error', (e) => resolve(reply ? reply.split('\r\n')[0]! : `connection reset before a reply (${(e as Error).message})`));
    const write = (b: Buffer | string) =>
      new Promise<void>((ok) => {
        if (socket.destroyed) return ok();
        try {
          socket.write(b, () => ok());
        } catch {
          ok(); // the server closed the connection: what it did is in its reply
        }
      });
    socket.on('connect', async () => {
      await write(head);
      await body(write).catch(() => {});
    });
  });
}

async function httpCase(): Promise<void> {
  const child = spawn(binary, ['serve', '--transport', 'http', '--port', '0', '--no-auth', '--project', root], { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    await httpRun(child);
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
  }
}

async function httpRun(child: ReturnType<typeof spawn>): Promise<void> {
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  let port = 0;
  while (!(port = Number(/127\.0\.0\.1:(\d+)\/mcp/.exec(err)?.[1] ?? 0))) await new Promise((resolve) => setTimeout(resolve, 20));
  const head = (extra: string) =>
    `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n${extra}\r\n`;
  const stream = async (write: (b: Buffer | string) => Promise<void>, framed: (b: Buffer) => Buffer | string) => {
    for (let sent = 0; sent < SIZE; sent += CHUNK.length) await write(framed(CHUNK));
  };
  await rawPost(port, head('Content-Length: 2\r\n'), (w) => w('{}'));
  await settle();
  const idle = memory(child.pid!);
  const cases: [string, string, (w: (b: Buffer | string) => Promise<void>) => Promise<void>][] = [
    [`Content-Length: ${SIZE} (honest)`, `Content-Length: ${SIZE}\r\n`, (w) => stream(w, (b) => b)],
    [`chunked, ${megabytes} MB`, 'Transfer-Encoding: chunked\r\n', async (w) => {
      await stream(w, (b) => Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from('\r\n')]));
      await w('0\r\n\r\n');
    }],
    [`Content-Length: 1000 that lies (${megabytes} MB follow)`, 'Content-Length: 1000\r\n', (w) => stream(w, (b) => b)],
  ];
  for (const [name, extra, body] of cases) {
    const status = await rawPost(port, head(extra), body);
    await settle();
    const after = memory(child.pid!);
    console.log(`http, ${name}: ${status}; idle ${fmt(idle.rss)}, after ${fmt(after.rss)} (+${fmt(after.rss - idle.rss)}), peak ${fmt(after.peak)} (+${fmt(after.peak - idle.rss)})`);
  }
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
}

try {
  await stdioCase();
  await httpCase();
} finally {
  rmSync(root, { recursive: true, force: true });
}
