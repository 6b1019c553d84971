import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import type { Readable, Writable } from 'node:stream';
import { messageOf } from '../errors.ts';
import type { Logger } from '../log.ts';
import { envelopeVersionOf, protocolHeadersOf } from './era-headers.ts';
import { type RpcTarget, isConnectionRefused, isConnectionReset, listenRpc, postRpc } from './rpc-over-http.ts';
import { createLineSplitter, watchStdinEnd } from './stdio.ts';
import { randomUUID } from 'node:crypto';
import { CLIENT_HEADER, CONNECTION_HEADER, ORIGIN_HEADER } from '../registry/tool.ts';

/** Options of `startBridge`. */
export interface BridgeOptions {
  /** Where messages go now; it changes when the bridge re-targets after the owner is gone. */
  target: () => RpcTarget;
  /** Called when the target refuses connections; resolves once a new target is in place. */
  recover: () => Promise<void>;
  /**
   * Whether the owner still answers (its `/health`, bounded in time). Asked while a forwarded
   * request waits longer than `checkAfterMs`; absent, the owner is always believed to answer.
   */
  ownerResponds?: () => Promise<boolean>;
  /** How the owner is named in an error reply, e.g. `pid 123 at http://127.0.0.1:4242/mcp`. */
  describeOwner?: () => string;
  /** How long a forwarded request waits before the owner is asked whether it still answers (default 5 s). */
  checkAfterMs?: number;
  onEnd: (reason: string) => void;
  log: Logger;
  stdin?: Readable;
  stdout?: Writable;
  inflight?: { enter(): void; leave(): void };
}

/** A running bridge. */
export interface BridgeHandle {
  close(): Promise<void>;
}

/** How long the 2025-era notification relay waits before it opens its stream again, at first and at most. */
const RELAY_RETRY_MS = [250, 5000] as const;

/** Default wait before a forwarded request makes the bridge ask the owner's `/health` (see BridgeOptions.checkAfterMs). */
export const CHECK_AFTER_MS = 5000;

/** The code and `data.reason` of the error a bridge answers when its owner stops answering (issue 11). */
export const OWNER_UNRESPONSIVE = { code: -32603, reason: 'owner_unresponsive' } as const;

type Message = JSONRPCMessage & {
  id?: string | number | null;
  method?: string;
  params?: { requestId?: unknown };
  result?: { protocolVersion?: unknown };
};

const isRequestMessage = (m: Message) => typeof m.method === 'string' && m.id !== undefined && m.id !== null;

/** Why a forwarded request was given up on. */
class Unresponsive extends Error {}

/**
 * Serves an IDE's stdio by forwarding every JSON-RPC message to the project's owner over
 * Streamable HTTP and writing every reply back, so the IDE sees the owner's tools, index and
 * state. Each message carries the protocol headers an HTTP client would send (both eras, issue 10).
 * The owner serves HTTP statelessly, so any owner can answer any message: when the owner goes away
 * the bridge re-targets (or becomes the owner) and the IDE does not notice. A request is never left
 * hanging: when it waits longer than `checkAfterMs` the owner's `/health` is asked, and while the
 * owner does not answer that either, the request gets an error reply naming the owner (issue 11).
 */
export function startBridge(options: BridgeOptions): BridgeHandle {
  const { target, recover, onEnd, log, stdin = process.stdin, stdout = process.stdout, inflight } = options;
  const { ownerResponds, describeOwner = () => target().url, checkAfterMs = CHECK_AFTER_MS } = options;
  let closed = false;
  // The version `initialize` negotiated (2025 era), or the revision of the envelope (2026-07-28 era).
  let sessionVersion: string | undefined;
  // Whether the IDE initialized (2025 era): only then does the relay stream carry its notifications.
  let legacySession = false;
  const initializeIds = new Set<string | number>();
  // Forwarded requests still waiting for their reply, by JSON-RPC id: a cancellation aborts them.
  const pending = new Map<string | number, AbortController>();
  // Who the IDE is, told to the owner with every forward (workflow events name the agent, issue 13).
  let clientName: string | undefined;
  // This IDE's connection: the owner releases the claims taken over it when the relay stream ends (issue 14).
  const connection = randomUUID();
  // The resources the IDE subscribed to: the owner's stream carries every update, the IDE gets only these.
  const subscribed = new Set<string>();
  const identityHeaders = (): Record<string, string> => ({
    [ORIGIN_HEADER]: 'stdio',
    [CONNECTION_HEADER]: connection,
    ...(clientName && { [CLIENT_HEADER]: encodeURIComponent(clientName) }),
  });

  const reply = (message: JSONRPCMessage) => {
    if (closed) return;
    stdout.write(`${JSON.stringify(message)}\n`, (error) => error && log.debug(`bridge write: ${messageOf(error)}`));
  };
  const errorReply = (id: string | number, message: string, data?: Record<string, unknown>) =>
    reply({ jsonrpc: '2.0', id, error: { code: -32603, message: `praxis-mcp bridge: ${message}`, ...(data && { data }) } } as JSONRPCMessage);

  /** Aborts a forwarded request (reason: Unresponsive) once it has waited `checkAfterMs` and the owner's `/health` does not answer; asks again every `checkAfterMs` while it does. */
  function watchOwner(abort: AbortController): () => void {
    if (!ownerResponds) return () => {};
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = async () => {
      if (abort.signal.aborted) return;
      if (await ownerResponds().catch(() => false)) timer = setTimeout(check, checkAfterMs);
      else abort.abort(new Unresponsive());
    };
    timer = setTimeout(check, checkAfterMs);
    return () => clearTimeout(timer);
  }

  async function forward(message: Message | string): Promise<void> {
    const parsed = typeof message === 'string' ? undefined : message;
    const id = parsed && isRequestMessage(parsed) ? parsed.id! : undefined;
    if (parsed?.method === 'initialize' && id !== undefined) {
      initializeIds.add(id);
      const name = (parsed as { params?: { clientInfo?: { name?: unknown } } }).params?.clientInfo?.name;
      if (typeof name === 'string') clientName = name.slice(0, 200);
    }
    const uri = (parsed?.params as { uri?: unknown } | undefined)?.uri;
    if (parsed?.method === 'resources/subscribe' && typeof uri === 'string') subscribed.add(uri);
    if (parsed?.method === 'resources/unsubscribe' && typeof uri === 'string') subscribed.delete(uri);
    if (parsed?.method === 'notifications/cancelled') pending.get(parsed.params?.requestId as string | number)?.abort('cancelled');
    const claim = envelopeVersionOf(parsed);
    if (claim) {
      sessionVersion = claim;
      // A 2026-07-28 IDE listens with subscriptions/listen; the bridge still holds the owner's
      // stream, so that the claims taken over this connection end when the bridge does (issue 14).
      startRelay();
    }
    const abort = new AbortController();
    if (id !== undefined) pending.set(id, abort);
    const stopWatching = watchOwner(abort);
    let answered = false;
    let failure = 'no reply';
    try {
      for (let attempt = 0; attempt < 3 && !answered; attempt++) {
        try {
          const status = await postRpc(
            target(),
            message as JSONRPCMessage | string,
            (m: Message) => {
              if (m.id !== undefined && m.id !== null && initializeIds.delete(m.id) && typeof m.result?.protocolVersion === 'string') {
                sessionVersion = m.result.protocolVersion;
                legacySession = true;
                startRelay();
              }
              if (id !== undefined && m.id === id && !('method' in m)) answered = true;
              reply(m);
            },
            { headers: { ...identityHeaders(), ...protocolHeadersOf(parsed, sessionVersion) }, signal: abort.signal },
          );
          if (status === 401 && !answered) {
            failure = 'the owner refused our token';
            await recover();
            continue;
          }
          if (id === undefined) return;
          if (!answered) failure = `the owner answered HTTP ${status} without a reply`;
          break;
        } catch (error) {
          if (abort.signal.aborted) {
            const reason = abort.signal.reason;
            if (!(reason instanceof Unresponsive) || id === undefined || answered) return; // cancelled: no reply is due
            log.warn(`the owner (${describeOwner()}) does not answer; answered request ${JSON.stringify(id)} with an error`);
            errorReply(
              id,
              `the project's server (${describeOwner()}) is unresponsive: no reply after ${checkAfterMs / 1000} s or more, and its /health does not answer. It may be stopped or hung; retry later, or restart it.`,
              { reason: OWNER_UNRESPONSIVE.reason },
            );
            return;
          }
          failure = messageOf(error);
          const refused = isConnectionRefused(error);
          if (!refused && !isConnectionReset(error)) break;
          const before = target().url;
          log.info('the owner stopped answering; re-targeting');
          await recover();
          // A refused request never reached a server; a reset one may have, so it is sent again only
          // if the owner it went to is gone (a read-only tool at worst runs twice, instead of failing).
          if (!refused && target().url === before) break;
        }
      }
      if (id !== undefined && !answered) errorReply(id, failure);
    } finally {
      stopWatching();
      if (id !== undefined) pending.delete(id);
    }
  }

  /**
   * A 2025-era client is told of changes unasked: the bridge holds the owner's notification stream
   * (GET on its endpoint) open for it and writes every notification to the IDE. A 2026-07-28 client
   * asks with subscriptions/listen, which is forwarded like any request; the stream is held for it
   * too, carrying nothing to the IDE, because its end is what tells the owner this connection
   * ended. When the stream breaks (the owner went away, the bridge re-targeted), it is opened again
   * on the current target, and a 2025-era IDE is told the resource list changed, since it may have
   * while nobody listened.
   */
  let relaying: AbortController | undefined;
  function startRelay(): void {
    if (relaying || closed) return;
    const abort = (relaying = new AbortController());
    void (async () => {
      let wait: number = RELAY_RETRY_MS[0];
      let opened = false;
      while (!closed && !abort.signal.aborted) {
        let failure = '';
        try {
          const status = await listenRpc(
            target(),
            (m: Message) => {
              // Notifications, and requests the owner sends its IDE (elicitation: a person's approval, issue 14).
              if (!legacySession || typeof m.method !== 'string') return;
              if (m.method === 'notifications/resources/updated' && !subscribed.has(String((m.params as { uri?: unknown } | undefined)?.uri))) return;
              reply(m);
            },
            {
              headers: { ...identityHeaders(), ...protocolHeadersOf(undefined, sessionVersion) },
              signal: abort.signal,
              onOpen: () => {
                if (opened && legacySession) reply({ jsonrpc: '2.0', method: 'notifications/resources/list_changed' } as JSONRPCMessage);
                opened = true;
                wait = RELAY_RETRY_MS[0];
              },
            },
          );
          failure = `HTTP ${status}`;
        } catch (error) {
          failure = messageOf(error);
        }
        if (closed || abort.signal.aborted) return;
        log.debug(`bridge: the owner's notification stream ended (${failure}); opening it again in ${wait} ms`);
        await new Promise((resolve) => setTimeout(resolve, wait).unref?.());
        wait = Math.min(wait * 2, RELAY_RETRY_MS[1]);
      }
    })();
  }

  const onLine = (line: string) => {
    if (closed || line.trim() === '') return;
    let message: Message | string = line;
    try {
      const value: unknown = JSON.parse(line);
      // Anything but an object or a batch goes as it came: the owner answers it as HTTP does.
      if (typeof value === 'object' && value !== null) message = value as Message;
    } catch {
      // Not JSON: the owner answers it as HTTP does (-32700, id null).
    }
    // A subscriptions/listen stream lasts as long as its client listens: not a call for shutdown to wait on.
    const counted = typeof message === 'string' || message.method !== 'subscriptions/listen';
    if (counted) inflight?.enter();
    forward(message)
      .catch((error) => log.debug(`bridge: ${messageOf(error)}`))
      .finally(() => counted && inflight?.leave());
  };
  const onData = createLineSplitter(onLine, (bytes) =>
    log.warn(`bridge stdio: dropped a message of over ${bytes} bytes; the next line is read as usual`),
  );
  const onChunk = (chunk: Buffer | string) => onData(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  stdin.on('data', onChunk);
  stdout.on('error', (error) => log.debug(`bridge stdout: ${messageOf(error)}`));
  watchStdinEnd(stdin, onEnd);
  return {
    async close() {
      if (closed) return;
      closed = true;
      stdin.off('data', onChunk);
      if (stdin.listenerCount('data') === 0) stdin.pause();
      for (const abort of pending.values()) abort.abort('closing');
      relaying?.abort('closing');
    },
  };
}
