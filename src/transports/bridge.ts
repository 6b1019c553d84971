import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import type { Readable, Writable } from 'node:stream';
import { messageOf } from '../errors.ts';
import type { Logger } from '../log.ts';
import { type RpcTarget, isConnectionRefused, isConnectionReset, postRpc } from './rpc-over-http.ts';
import { watchStdinEnd } from './stdio.ts';
import { CLIENT_HEADER, ORIGIN_HEADER } from '../registry/tool.ts';

/** Options of `startBridge`. */
export interface BridgeOptions {
  /** Where messages go now; it changes when the bridge re-targets after the owner is gone. */
  target: () => RpcTarget;
  /** Called when the target refuses connections; resolves once a new target is in place. */
  recover: () => Promise<void>;
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

type Message = JSONRPCMessage & { id?: string | number | null; method?: string; result?: { protocolVersion?: unknown } };

/**
 * Serves an IDE's stdio by forwarding every JSON-RPC message to the project's owner over
 * Streamable HTTP and writing every reply back, so the IDE sees the owner's tools, index and
 * state. The owner serves 2025-era HTTP statelessly, so any owner can answer any message: when
 * the owner goes away the bridge re-targets (or becomes the owner) and the IDE does not notice.
 */
export function startBridge(options: BridgeOptions): BridgeHandle {
  const { target, recover, onEnd, log, stdin = process.stdin, stdout = process.stdout, inflight } = options;
  const transport = new StdioServerTransport(stdin, stdout);
  let protocolVersion: string | undefined;
  const initializeIds = new Set<string | number>();
  // Who the IDE is, told to the owner with every forward (workflow events name the agent, issue 13).
  let clientName: string | undefined;

  const reply = (message: JSONRPCMessage) => transport.send(message).catch((e) => log.debug(`bridge write: ${messageOf(e)}`));

  async function forward(message: Message): Promise<void> {
    const isRequest = message.method !== undefined && message.id !== undefined && message.id !== null;
    if (isRequest && message.method === 'initialize') {
      initializeIds.add(message.id!);
      const name = (message as { params?: { clientInfo?: { name?: unknown } } }).params?.clientInfo?.name;
      if (typeof name === 'string') clientName = name.slice(0, 200);
    }
    let answered = false;
    let failure = 'no reply';
    for (let attempt = 0; attempt < 3 && !answered; attempt++) {
      try {
        const to = target();
        const headers = { ...to.headers, [ORIGIN_HEADER]: 'stdio', ...(clientName && { [CLIENT_HEADER]: encodeURIComponent(clientName) }) };
        const status = await postRpc({ ...to, headers }, message, (m: Message) => {
          if (m.id !== undefined && m.id !== null && initializeIds.delete(m.id) && typeof m.result?.protocolVersion === 'string') {
            protocolVersion = m.result.protocolVersion;
          }
          if (m.id === message.id) answered = true;
          void reply(m);
        }, protocolVersion);
        if (status === 401 && !answered) {
          failure = 'the owner refused our token';
          await recover();
          continue;
        }
        if (!isRequest) return;
        if (!answered) failure = `the owner answered HTTP ${status} without a reply`;
        break;
      } catch (error) {
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
    if (isRequest && !answered) {
      void reply({ jsonrpc: '2.0', id: message.id!, error: { code: -32603, message: `praxis-mcp bridge: ${failure}` } } as JSONRPCMessage);
    }
  }

  transport.onmessage = (message) => {
    inflight?.enter();
    forward(message as Message).finally(() => inflight?.leave());
  };
  transport.onerror = (error) => log.debug(`bridge stdio: ${messageOf(error)}`);
  watchStdinEnd(stdin, onEnd);
  void transport.start();
  return { close: () => transport.close() };
}
