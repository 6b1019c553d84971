// A minimal JSON-RPC client over a child's stdio (newline-delimited frames, as MCP's stdio
// transport uses): just enough to time round trips without a client library's own overhead.
import type { Proc } from './procs.ts';
import { PROTOCOL_VERSION } from './targets.ts';

/** A connected stdio client. */
export interface StdioClient {
  /** Sends one request and resolves with its reply line. */
  request(method: string, params: unknown): Promise<string>;
  notify(method: string, params?: unknown): void;
  /** Writes `count` requests at once and resolves when every reply has arrived. */
  pipelined(count: number, method: string, params: unknown): Promise<void>;
}

/** Wraps the stdio of `proc`; frames arriving for unknown ids are ignored. */
export function stdioClient(proc: Proc): StdioClient {
  const waiting = new Map<number, (line: string) => void>();
  let nextId = 1;
  let buffered = '';
  proc.child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let end: number;
    while ((end = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      const match = /"id":(\d+)/.exec(line);
      const id = match ? Number(match[1]) : -1;
      const resolve = waiting.get(id);
      if (resolve) {
        waiting.delete(id);
        resolve(line);
      }
    }
  });
  const frame = (id: number, method: string, params: unknown) => `${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`;
  const stdin = proc.child.stdin!;
  return {
    request(method, params) {
      const id = nextId++;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        stdin.write(frame(id, method, params));
      });
    },
    notify(method, params) {
      stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method, ...(params === undefined ? {} : { params }) })}\n`);
    },
    async pipelined(count, method, params) {
      const replies: Promise<string>[] = [];
      let text = '';
      for (let i = 0; i < count; i++) {
        const id = nextId++;
        replies.push(new Promise((resolve) => waiting.set(id, resolve)));
        text += frame(id, method, params);
      }
      stdin.write(text);
      await Promise.all(replies);
    },
  };
}

/** The MCP handshake: initialize, then the initialized notification. Returns the reply. */
export async function initialize(client: StdioClient): Promise<string> {
  const reply = await client.request('initialize', {
    protocolVersion: PROTOCOL_VERSION,
    capabilities: {},
    clientInfo: { name: 'praxis-bench', version: '1.0.0' },
  });
  client.notify('notifications/initialized');
  return reply;
}
