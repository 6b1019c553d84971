import type { McpHttpHandler } from '@modelcontextprotocol/server';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Readable, Writable } from 'node:stream';
import type { AppContext } from './context.ts';
import { messageOf } from './errors.ts';
import { createInflight } from './inflight.ts';
import type { Logger } from './log.ts';
import { listenFirstFree } from './net/listen.ts';
import type { PortRange } from './net/port-range.ts';
import type { ProjectLocation } from './project/locate.ts';
import { builtinTools } from './registry/tools.ts';
import { createStandardsIndex } from './standards/standards-index.ts';
import { type HttpListener, listenHttp, setJitPolicy } from './runtime.ts';
import { STATE_SCHEMA_VERSION, type ServerState, type TransportMode } from './state/schema.ts';
import { removeStateIfOwned, statePathOf, writeState } from './state/state-file.ts';
import { createHttpApp } from './transports/http.ts';
import { createNotificationStreams } from './transports/event-stream.ts';
import { lives, stdioServers, wantsNotification } from './workflows/live/registry.ts';
import { connectionOfRequest, sessionConnection } from './registry/tool.ts';
import { createHttpConnections } from './transports/connections.ts';
import { createHttpSessions } from './transports/sessions.ts';
import { RESOURCES_LIST_CHANGED, type ServerNotification, createNotificationHub } from './notifications/hub.ts';
import { createFastPath } from './transports/fast-call.ts';
import { type StdioHandle, startStdio } from './transports/stdio.ts';
import { createLightProtocol } from './protocol/light.ts';
import type { ServerFactory } from './registry/create-server.ts';
import { VERSION } from './version.ts';

type McpStack = typeof import('./mcp-stack.ts');

/** What `startApp` needs; the CLI fills it from flags and the environment. */
export interface AppOptions {
  transport: TransportMode;
  project: ProjectLocation;
  host: string;
  port: number;
  portRange: PortRange;
  path: string;
  /** Bearer token for the MCP endpoint; null turns auth off. Undefined makes a random one. */
  token?: string | null;
  log: Logger;
  stdin?: Readable;
  stdout?: Writable;
  /** How long shutdown waits for in-flight calls. */
  drainMs?: number;
  now?: () => Date;
  /** This process's instance id (the ownership claim uses it too); random when absent. */
  instanceId?: string;
  /** Serve the SDK's stdio transport (default: unless `transport` is http). A bridge that took over serves its stdio itself. */
  stdio?: boolean;
  /** Write the state file so agents find this server (default true; false for a one-shot in-process server). */
  announce?: boolean;
  /** Called at the very end of shutdown, after the state file is gone: releases the ownership lock. */
  release?: () => Promise<void>;
}

/** A running server. */
export interface App {
  readonly ctx: AppContext;
  readonly url: string | null;
  readonly port: number | null;
  readonly statePath: string;
  readonly token: string | null;
  /** The HTTP app's handler, for in-process requests (a bridge that took over, `praxis-mcp call`). */
  readonly fetch: ((request: Request) => Response | Promise<Response>) | null;
  /** Resolves when the app has shut down, with the reason. */
  readonly closed: Promise<string>;
  /** Drains and shuts down (idempotent): stop accepting, finish in-flight calls, remove our state file. */
  close(reason: string): Promise<void>;
}

/** Hands a notification to the SDK handler's subscriptions/listen streams (2026-07-28), which filter per stream. */
function publishToListeners(handler: McpHttpHandler, n: ServerNotification): void {
  if (n.method === 'notifications/resources/list_changed') handler.notify.resourcesChanged();
  else if (n.method === 'notifications/tools/list_changed') handler.notify.toolsChanged();
  else if (n.method === 'notifications/prompts/list_changed') handler.notify.promptsChanged();
  else if (n.method === 'notifications/resources/updated' && typeof n.params?.uri === 'string') handler.notify.resourceUpdated(n.params.uri);
}

/** `http://127.0.0.1:4242/mcp`, with IPv6 hosts in brackets. */
export function formatUrl(host: string, port: number, path: string): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}${path}`;
}

/**
 * The composition root of `serve`: shared context, one tool registry, HTTP bound first (the bind
 * is the port check), then the state file, which therefore never names a port that is not
 * answering yet, then stdio. Plain 2025-era requests are answered by the light protocol; the MCP
 * SDK loads the first time a request needs it (issue 6: nothing slow before ready, no memory for
 * what nobody asks for).
 */
export async function startApp(options: AppOptions): Promise<App> {
  const { transport, project, host, path, log, drainMs = 5000 } = options;
  const token = options.token === undefined ? randomBytes(32).toString('base64url') : options.token;
  const ctx: AppContext = {
    version: VERSION,
    instanceId: options.instanceId ?? randomUUID(),
    pid: process.pid,
    startedAt: new Date(),
    transport,
    project,
    log,
    counters: { stdio: 0, http: 0 },
    url: null,
    tools: builtinTools.map((t) => t.name),
    infoProviders: new Map(),
    notifications: createNotificationHub((e) => log.debug(`notification subscriber: ${messageOf(e)}`)),
    now: options.now ?? (() => new Date()),
  };
  // Created now, built only after the state file is written: readiness never waits for the index (issue 4).
  const standards = (ctx.standards = createStandardsIndex({ projectRoot: project.root, praxisDir: project.praxisDir, log, now: ctx.now }));
  ctx.infoProviders.set('standards_index', () => standards.stats());
  standards.onListChanged(() => ctx.notifications.publish(RESOURCES_LIST_CHANGED));
  const connectionEnded = async (connection: string | null, why: string) => {
    const live = connection ? lives.get(ctx) : undefined;
    if (live) await live.connectionEnded(connection!, why).catch((e) => log.warn(`workflows: ${messageOf(e)}`));
  };
  const inflight = createInflight();
  const statePath = statePathOf(project.praxisDir);

  let listener: HttpListener | undefined;
  // The SDK loads the first time a request needs it (see mcp-stack.ts); until then nothing of it is in memory.
  let stack: Promise<McpStack> | undefined;
  const loadStack = () => (stack ??= import('./mcp-stack.ts').then((m) => (log.debug('loaded the MCP SDK'), m)));
  let factory: ServerFactory | undefined;
  const serverFactory = async () => {
    const m = await loadStack();
    return { m, factory: (factory ??= m.createServerFactory(ctx, builtinTools)) };
  };
  let mcpHandler: Promise<McpHttpHandler> | undefined;
  const loadMcpHandler = () =>
    (mcpHandler ??= serverFactory().then(({ m, factory }) => {
      const handler = m.createMcpHandler(m.createServerPool(factory), { onerror: (e) => log.debug(`mcp: ${e.message}`) });
      // 2026-07-28 clients get notifications on their subscriptions/listen streams.
      ctx.notifications.subscribe({ notify: (n) => publishToListeners(handler, n) });
      return handler;
    }));
  // PRAXIS_MCP_SDK_ONLY=1 sends every request through the SDK: the A/B switch of the benchmark and the parity tests.
  const light = process.env.PRAXIS_MCP_SDK_ONLY === '1' ? undefined : createLightProtocol(ctx, builtinTools);
  let fetchHandler: App['fetch'] = null;
  if (transport !== 'stdio') {
    const clients = (ctx.clients = createHttpConnections());
    const lazyMcp = { fetch: async (request, options) => (await loadMcpHandler()).fetch(request, options) } as McpHttpHandler;
    const app = createHttpApp({
      mcp: lazyMcp,
      fastPath: light && createFastPath(light),
      // A stream that ends takes the claims of its connection with it (issue 14).
      openStream: createNotificationStreams(ctx.notifications, {
        onEnd: (request) => connectionEnded(connectionOfRequest(request) ?? null, 'its notification stream ended'),
        // A client with a connection can be asked (elicitation) on its stream.
        onOpen: (request, send) => {
          const connection = connectionOfRequest(request);
          return connection ? clients.streamOpened(connection, send) : undefined;
        },
        // A client known by its connection gets only the resource updates it subscribed to.
        wants: (request, n) => {
          const connection = connectionOfRequest(request);
          return connection ? clients.wants(connection, n) : true;
        },
      }),
      sessions: createHttpSessions((id) => {
        clients.forget(sessionConnection(id));
        void connectionEnded(sessionConnection(id), 'its client ended the session');
      }),
      clients,
      events: (request) => import('./workflows/live/events-stream.ts').then((m) => m.workflowEventStream(ctx, request)),
      path,
      token,
      inflight,
      onRequests: (n, via) => void (ctx.counters[via] += n),
      health: () => ({
        status: 'ok',
        name: 'praxis-mcp',
        version: ctx.version,
        pid: ctx.pid,
        transport,
        instance_id: ctx.instanceId,
        started_at: ctx.startedAt.toISOString(),
        uptime_seconds: (Date.now() - ctx.startedAt.getTime()) / 1000,
        project: project.name,
        auth: token === null ? 'none' : 'bearer',
        requests: { ...ctx.counters },
      }),
    });
    const bound = listenFirstFree(host, options.port, options.portRange, (port) =>
      listenHttp({ hostname: host, port, fetch: app.fetch }),
    );
    listener = bound.listener;
    fetchHandler = app.fetch;
    ctx.url = formatUrl(host, listener.port, path);
    log.info(`serving MCP over HTTP at ${ctx.url}`);
  }

  let resolveClosed!: (reason: string) => void;
  const closed = new Promise<string>((resolve) => (resolveClosed = resolve));
  let closing: Promise<void> | undefined;
  let stdio: StdioHandle | undefined;

  const close = (reason: string): Promise<void> =>
    (closing ??= (async () => {
      log.info(`shutting down: ${reason}`);
      // This process's own stdio connection ends with it: its claims are released, not left to their lease.
      await connectionEnded('stdio', reason);
      lives.get(ctx)?.close();
      standards.close();
      ctx.notifications.close();
      await listener?.stop(false).catch(() => {});
      if (!(await inflight.drained(drainMs))) log.warn(`${inflight.count} call(s) still running after ${drainMs} ms; closing anyway`);
      await stdio?.close().catch(() => {});
      await (await mcpHandler?.catch(() => undefined))?.close().catch(() => {});
      await listener?.stop(true).catch(() => {});
      if (await removeStateIfOwned(statePath, ctx.instanceId).catch(() => false)) log.debug(`removed ${statePath}`);
      await options.release?.().catch(() => {});
      resolveClosed(reason);
    })());

  const state: ServerState = {
    version: STATE_SCHEMA_VERSION,
    transport,
    port: listener?.port ?? null,
    host,
    path,
    url: ctx.url,
    pid: ctx.pid,
    started_at: ctx.startedAt.toISOString(),
    project: { name: project.name, root: project.root },
    instance_id: ctx.instanceId,
    auth: token === null ? null : { type: 'bearer', token },
    server_version: ctx.version,
  };
  if (options.announce !== false) {
    try {
      await writeState(statePath, state);
    } catch (error) {
      log.warn(`cannot write ${statePath}: ${messageOf(error)}; sub-agents will not find this server`);
    }
  }

  if (closing === undefined && (options.stdio ?? transport !== 'http')) {
    stdio = startStdio(
      async () => {
        const { m, factory } = await serverFactory();
        // The stdio connection lives as long as the process, so it is told of every change (in the
        // 2026-07-28 era the SDK sends it on the client's subscriptions/listen streams).
        const stdioFactory = () => {
          const server = factory();
          const unsubscribe = ctx.notifications.subscribe({
            notify: (n) => {
              if (server.isConnected() && wantsNotification(server, n, server.server.getNegotiatedProtocolVersion())) server.server.notification(n).catch((e) => log.debug(`stdio notification: ${messageOf(e)}`));
            },
          });
          stdioServers.add(server); // the IDE's person can be asked to approve a phase (issue 14)
          const onclose = server.server.onclose;
          server.server.onclose = () => {
            stdioServers.delete(server);
            unsubscribe();
            onclose?.();
          };
          return server;
        };
        return { factory: stdioFactory, serveStdio: m.serveStdio, parseMessage: m.parseJSONRPCMessage };
      },
      {
        stdin: options.stdin,
        stdout: options.stdout,
        inflight,
        light,
        onRequest: () => void ctx.counters.stdio++,
        onEnd: (why) => void close(why),
        onError: (e) => log.debug(`stdio: ${e.message}`),
        onWarn: (message) => log.warn(message),
      },
    );
    // Until an SDK server serves stdio (and tells the client itself), the light protocol does.
    ctx.notifications.subscribe({ notify: (n) => n.method === RESOURCES_LIST_CHANGED.method && stdio?.resourceListChanged() });
  }

  standards.start();
  // The binary starts with a reluctant JIT (build/compile.ts): start-up and the first index build run
  // once. When that build is over, code that runs often is worth compiling again at the normal policy.
  void standards.snapshot().catch(() => {}).finally(() => setJitPolicy(1));
  return { ctx, url: ctx.url, port: listener?.port ?? null, statePath, token, fetch: fetchHandler, closed, close };
}
