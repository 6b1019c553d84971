import type { JSONRPCMessage, MessageExtraInfo, Transport, TransportSendOptions } from '@modelcontextprotocol/server';
import { StdioServerTransport, serveStdio } from '@modelcontextprotocol/server/stdio';
import type { Readable, Writable } from 'node:stream';
import type { ServerFactory } from '../registry/create-server.ts';

/** Options of `startStdio`; the defaults are the process's own stdio. */
export interface StdioOptions {
  stdin?: Readable;
  stdout?: Writable;
  /** Called once when the client is gone: stdin ended, closed or failed. */
  onEnd?: (reason: string) => void;
  onRequest?: () => void;
  inflight?: { enter(): void; leave(): void };
  onError?: (error: Error) => void;
}

/** A running stdio connection. */
export interface StdioHandle {
  close(): Promise<void>;
}

const isRequest = (m: JSONRPCMessage) => 'method' in m && 'id' in m;
const isResponse = (m: JSONRPCMessage) => !('method' in m) && 'id' in m;

/** Wraps a transport to count requests and track the ones not yet answered. */
class ObservedTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;

  constructor(
    private readonly inner: Transport,
    private readonly hooks: Pick<StdioOptions, 'onRequest' | 'inflight'>,
  ) {}

  start(): Promise<void> {
    this.inner.onmessage = (message, extra) => {
      if (isRequest(message)) {
        this.hooks.onRequest?.();
        this.hooks.inflight?.enter();
      }
      this.onmessage?.(message, extra);
    };
    this.inner.onclose = () => this.onclose?.();
    this.inner.onerror = (error) => this.onerror?.(error);
    return this.inner.start();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    try {
      await this.inner.send(message, options);
    } finally {
      if (isResponse(message)) this.hooks.inflight?.leave();
    }
  }

  close(): Promise<void> {
    return this.inner.close();
  }

}

/** Calls `onEnd` once when stdin ends, closes or fails: the client is gone. */
export function watchStdinEnd(stdin: Readable, onEnd: (reason: string) => void): void {
  let ended = false;
  const end = (reason: string) => {
    if (ended) return;
    ended = true;
    onEnd(reason);
  };
  stdin.once('end', () => end('stdin ended'));
  stdin.once('close', () => end('stdin closed'));
  stdin.once('error', (error) => end(`stdin failed: ${error.message}`));
}

/**
 * Serves MCP over stdio: one SDK server from the factory for the connection's lifetime. The end,
 * close or error of stdin is reported to `onEnd` ourselves rather than trusting the SDK to notice
 * (a server that outlives its IDE is an orphan).
 */
export function startStdio(factory: ServerFactory, options: StdioOptions = {}): StdioHandle {
  const { stdin = process.stdin, stdout = process.stdout, onEnd, onRequest, inflight, onError } = options;
  if (onEnd) watchStdinEnd(stdin, onEnd);
  const transport = new ObservedTransport(new StdioServerTransport(stdin, stdout), { onRequest, inflight });
  const handle = serveStdio(factory, { transport, onerror: onError });
  return { close: () => handle.close() };
}
