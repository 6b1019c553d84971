import type { JSONRPCMessage, MessageExtraInfo, Transport, TransportSendOptions } from '@modelcontextprotocol/server';
import type { serveStdio } from '@modelcontextprotocol/server/stdio';
import type { Readable, Writable } from 'node:stream';
import { type LightProtocol, type PlainRequest, type ResultResponse, asPlainRequest, isPlainObject } from '../protocol/light.ts';
import type { ServerFactory } from '../registry/create-server.ts';
import { collectGarbage } from '../runtime.ts';

/** What stdio needs of the MCP SDK, loaded the first time a message needs it. */
export interface StdioSdk {
  factory: ServerFactory;
  serveStdio: typeof serveStdio;
  /** The SDK's own check of a parsed line against its JSON-RPC message schema. */
  parseMessage(value: unknown): JSONRPCMessage;
}

/** Options of `startStdio`; the defaults are the process's own stdio. */
export interface StdioOptions {
  stdin?: Readable;
  stdout?: Writable;
  /** Called once when the client is gone: stdin ended, closed or failed. */
  onEnd?: (reason: string) => void;
  onRequest?: () => void;
  inflight?: { enter(): void; leave(): void };
  onError?: (error: Error) => void;
  /** Something the user should hear of: a message dropped, a hand-over that did not go as planned. */
  onWarn?: (message: string) => void;
  /** Answers plain 2025-era requests without the SDK; absent, every message goes to the SDK. */
  light?: LightProtocol;
}

/** A running stdio connection. */
export interface StdioHandle {
  /** Tells the client the resource list changed, unless an SDK server (which tells it itself) serves the connection. */
  resourceListChanged(): void;
  close(): Promise<void>;
}

/** The SDK's limit for one message on stdio. */
const MAX_LINE_BYTES = 10 * 1024 * 1024;
/** How long the hand-over waits for the SDK's answer to the replayed `initialize`. */
const REPLAY_WAIT_MS = 5000;
const LIST_CHANGED = '{"jsonrpc":"2.0","method":"notifications/resources/list_changed"}\n';
// JSON-RPC 2.0 section 5.1: a line that is not JSON, or JSON that is not a JSON-RPC message, is
// answered with id null, as HTTP answers such a body (issue 10). Blank lines are skipped.
const PARSE_ERROR = '{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error: the line is not valid JSON"}}\n';
const INVALID_REQUEST = '{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Invalid Request: the line is not a valid JSON-RPC message"}}\n';

const isRequest = (m: JSONRPCMessage) => 'method' in m && 'id' in m;
const isResponse = (m: JSONRPCMessage) => !('method' in m) && 'id' in m;

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
 * Splits a byte stream into lines (without `\n` or a trailing `\r`), at most `max` bytes each.
 * An unfinished line is kept as the list of its chunks and joined once, when its end arrives: a
 * line that outgrows `max` is dropped at that moment and the rest of it is skipped as it streams
 * by, so memory stays bounded by `max` (issue 11; joining at every chunk copied the line over and
 * over, and a 50 MB line took RSS from 41 to 205 MB).
 */
export function createLineSplitter(onLine: (line: string) => void, onOverflow: (bytes: number) => void, max = MAX_LINE_BYTES) {
  let parts: Buffer[] = [];
  let size = 0;
  let skipping = false;
  const drop = (bytes: number) => {
    parts = [];
    size = 0;
    onOverflow(bytes);
    collectGarbage();
  };
  return (chunk: Buffer) => {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      const length = size + nl - start;
      if (skipping) {
        skipping = false;
        collectGarbage(); // the dropped line's bytes, at once rather than on the collector's schedule
      }
      // One oversized message is dropped, not the connection: the next line is read as usual.
      else if (length > max) drop(length);
      else {
        const part = chunk.subarray(start, nl);
        const bytes = parts.length === 0 ? part : Buffer.concat([...parts, part], length);
        parts = [];
        size = 0;
        const line = bytes.toString('utf8');
        onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
      }
      start = nl + 1;
    }
    if (start === chunk.length || skipping) return;
    const rest = chunk.length - start;
    if (size + rest > max) {
      drop(size + rest);
      skipping = true;
      return;
    }
    // A view of a chunk that is all line; a copy of a short tail (a view would keep the whole chunk alive).
    parts.push(start === 0 ? chunk : Buffer.from(chunk.subarray(start)));
    size += rest;
  };
}

/** The SDK side of the connection: its server reads what we deliver and writes through us. */
class DeliveryTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;
  /** The id of a replayed request whose answer the client already has. */
  swallow?: { id: string | number; answered: () => void };

  constructor(private readonly write: (text: string) => Promise<void>, private readonly inflight?: StdioOptions['inflight']) {}

  async start(): Promise<void> {}

  async send(message: JSONRPCMessage, _options?: TransportSendOptions): Promise<void> {
    if (isResponse(message) && this.swallow && (message as { id: string | number }).id === this.swallow.id) {
      this.swallow.answered();
      this.swallow = undefined;
      return;
    }
    try {
      await this.write(`${JSON.stringify(message)}\n`);
    } finally {
      if (isResponse(message)) this.inflight?.leave();
    }
  }

  async close(): Promise<void> {
    this.onclose?.();
  }
}

/**
 * Serves MCP over stdio. Plain 2025-era requests after a plain `initialize` are answered by the
 * light protocol; the first message that needs more loads the SDK, which is first told the
 * `initialize` (and `notifications/initialized`) the client already sent, its answer kept from the
 * client, so it serves the rest of the session as if it had seen all of it. The end, close or
 * error of stdin is reported to `onEnd` ourselves (a server that outlives its IDE is an orphan).
 */
export function startStdio(loadSdk: () => Promise<StdioSdk>, options: StdioOptions = {}): StdioHandle {
  const { stdin = process.stdin, stdout = process.stdout, onEnd, onRequest, inflight, onError, onWarn, light } = options;
  if (onEnd) watchStdinEnd(stdin, onEnd);
  let closed = false;
  // The session as the light protocol has served it: its initialize, and whether `initialized` came.
  let lightInit: PlainRequest | undefined;
  let initialized: JSONRPCMessage | undefined;
  let sdk: { transport: DeliveryTransport; parse: StdioSdk['parseMessage']; close(): Promise<void> } | undefined;
  // Messages that arrive while the SDK is loading wait, in order, behind the one that needed it.
  let queue: unknown[] | undefined;

  const write = (text: string) =>
    new Promise<void>((resolve, reject) => {
      if (closed) return reject(new Error('stdio is closed'));
      stdout.write(text, (error) => (error ? reject(error) : resolve()));
    });
  stdout.on('error', (error) => onError?.(error));

  const answerLight = (reply: Promise<ResultResponse> | ResultResponse) => {
    Promise.resolve(reply)
      .then((r) => write(`${JSON.stringify(r)}\n`))
      .catch((error) => onError?.(error instanceof Error ? error : new Error(String(error))))
      .finally(() => inflight?.leave());
  };

  /** The light protocol's answer, if the session is one it serves. */
  function tryLight(message: unknown): boolean {
    if (!light) return false;
    const request = asPlainRequest(message);
    if (request === undefined) {
      // `notifications/initialized` after our initialize: remembered for the SDK, nothing to answer.
      if (lightInit && !sdk && isPlainObject(message) && message.method === 'notifications/initialized' && !('id' in message)) {
        initialized = message as unknown as JSONRPCMessage;
        return true;
      }
      return false;
    }
    if (request.method === 'initialize' ? lightInit !== undefined || sdk !== undefined : lightInit === undefined) return false;
    const client = (lightInit?.params?.clientInfo as { name?: unknown } | undefined)?.name;
    const reply = light.answer(request, { transport: 'stdio', connection: 'stdio', client: typeof client === 'string' ? client : undefined });
    if (reply === undefined) return false;
    if (request.method === 'initialize') lightInit = request;
    onRequest?.();
    inflight?.enter();
    answerLight(reply);
    return true;
  }

  /** Hands a parsed line to the SDK the way its own stdio transport would: checked against its schema. */
  function deliver(value: unknown): void {
    const { transport, parse } = sdk!;
    let message: JSONRPCMessage;
    try {
      message = parse(value);
    } catch (error) {
      transport.onerror?.(error as Error);
      write(INVALID_REQUEST).catch((e) => onError?.(e));
      return;
    }
    if (isRequest(message)) {
      onRequest?.();
      inflight?.enter();
    }
    transport.onmessage?.(message);
  }

  async function engage(): Promise<void> {
    const loaded = await loadSdk();
    const transport = new DeliveryTransport(write, inflight);
    const handle = loaded.serveStdio(loaded.factory, { transport, onerror: onError });
    sdk = { transport, parse: loaded.parseMessage, close: () => handle.close() };
    if (lightInit) {
      // Replay the handshake the light protocol answered; the client has its answer already.
      // The SDK's queue keeps the order anyway; waiting for its answer (bounded) keeps it obvious.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const answered = new Promise<void>((resolve) => {
        transport.swallow = { id: lightInit!.id, answered: resolve };
        timer = setTimeout(() => {
          onWarn?.(`stdio: the MCP SDK did not answer the replayed initialize within ${REPLAY_WAIT_MS} ms; going on`);
          resolve();
        }, REPLAY_WAIT_MS);
      });
      transport.onmessage?.(lightInit as unknown as JSONRPCMessage);
      await answered;
      clearTimeout(timer);
      if (initialized) transport.onmessage?.(initialized);
    }
  }

  function onLine(line: string): void {
    if (closed) return;
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      if (line.trim() !== '') write(PARSE_ERROR).catch((error) => onError?.(error));
      return;
    }
    handle(message);
  }

  function handle(message: unknown): void {
    if (queue) {
      queue.push(message);
      return;
    }
    if (tryLight(message)) return;
    if (sdk) return deliver(message);
    queue = [message];
    engage().then(
      () => {
        const waiting = queue!;
        queue = undefined;
        for (const m of waiting) handle(m);
      },
      (error) => {
        queue = undefined;
        onError?.(new Error(`cannot load the MCP SDK: ${error instanceof Error ? error.message : String(error)}`));
      },
    );
  }

  const onData = createLineSplitter(onLine, (bytes) =>
    onWarn?.(`stdio: dropped a message of over ${bytes} bytes (the limit is ${MAX_LINE_BYTES}); the next line is read as usual`),
  );
  const onChunk = (chunk: Buffer | string) => onData(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  stdin.on('data', onChunk);

  return {
    resourceListChanged() {
      if (!closed && !sdk && lightInit) write(LIST_CHANGED).catch((error) => onError?.(error));
    },
    async close() {
      if (closed) return;
      stdin.off('data', onChunk);
      if (stdin.listenerCount('data') === 0) stdin.pause();
      await sdk?.close();
      closed = true;
    },
  };
}
