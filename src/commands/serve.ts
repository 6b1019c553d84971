import { defineCommand } from 'citty';
import { startApp } from '../app.ts';
import { PraxisError } from '../errors.ts';
import { flushed, onShutdownSignals } from '../lifecycle.ts';
import { type LogLevel, createLogger, isLogLevel } from '../log.ts';
import { DEFAULT_PORT_RANGE, parsePortOption, parsePortRange } from '../net/port-range.ts';
import { locateProject } from '../project/locate.ts';
import { TRANSPORTS, type TransportMode } from '../state/schema.ts';
import { isLoopbackAddress } from '../transports/guards.ts';

/** Flags shared by every command that finds a project. */
export const projectArg = {
  project: {
    type: 'string',
    description: 'Project root (else $PRAXIS_MCP_PROJECT, else $AGENT_OS_BASE_PATH, else the nearest folder with .praxis-os/)',
    valueHint: 'DIR',
  },
} as const;

/** The flags of `serve` (also accepted with no subcommand, for configs written for the original). */
export const serveArgs = {
  transport: {
    type: 'string',
    description: 'dual (stdio + HTTP), stdio or http. Required.',
    valueHint: 'dual|stdio|http',
  },
  ...projectArg,
  host: { type: 'string', description: 'Loopback address to bind', default: '127.0.0.1' },
  port: { type: 'string', description: 'Preferred port (0: any free port)', default: '4242' },
  'port-range': { type: 'string', description: 'Ports to try when the preferred one is taken', default: '4242-5242', valueHint: 'A-B' },
  path: { type: 'string', description: 'MCP endpoint path', default: '/mcp' },
  'no-auth': { type: 'boolean', description: 'Serve HTTP without a bearer token (any local process may call)', default: false },
  'log-level': { type: 'string', description: 'debug, info, warn or error', default: 'info' },
} as const;

/** Parsed `serve` options. */
export interface ServeOptions {
  transport: TransportMode;
  host: string;
  port: number;
  portRange: typeof DEFAULT_PORT_RANGE;
  path: string;
  noAuth: boolean;
  logLevel: LogLevel;
  project?: string | undefined;
}

/** Validates the raw `serve` flags; throws `E_USAGE` (exit 2) or `E_HOST_NOT_LOOPBACK`. */
export function parseServeOptions(args: Record<string, unknown>): ServeOptions {
  const transport = args.transport;
  if (typeof transport !== 'string' || transport === '') {
    throw new PraxisError('E_USAGE', 'Missing --transport: choose dual (IDE over stdio plus HTTP for agents), stdio or http.');
  }
  if (!(TRANSPORTS as readonly string[]).includes(transport)) {
    throw new PraxisError('E_USAGE', `Invalid --transport "${transport}": choose dual, stdio or http.`);
  }
  const host = String(args.host ?? '127.0.0.1');
  if (!isLoopbackAddress(host)) {
    throw new PraxisError(
      'E_HOST_NOT_LOOPBACK',
      `Refusing to bind ${host}: praxis-mcp serves only loopback (127.0.0.1, ::1 or localhost), so no other machine can call its tools.`,
    );
  }
  const path = String(args.path ?? '/mcp');
  if (!path.startsWith('/') || path === '/health') {
    throw new PraxisError('E_USAGE', `Invalid --path "${path}": it must start with / and must not be /health`);
  }
  const logLevel = String(args['log-level'] ?? 'info');
  if (!isLogLevel(logLevel)) throw new PraxisError('E_USAGE', `Invalid --log-level "${logLevel}": choose debug, info, warn or error`);
  return {
    transport: transport as TransportMode,
    host: host === 'localhost' ? '127.0.0.1' : host,
    port: parsePortOption(String(args.port ?? '4242')),
    portRange: args['port-range'] ? parsePortRange(String(args['port-range'])) : DEFAULT_PORT_RANGE,
    path,
    noAuth: args['no-auth'] === true || args.auth === false,
    logLevel,
    project: typeof args.project === 'string' ? args.project : undefined,
  };
}

/** Runs the server until a signal or the end of stdin, then exits 0. */
export async function runServe(args: Record<string, unknown>): Promise<void> {
  const options = parseServeOptions(args);
  const log = createLogger(options.logLevel);
  const project = locateProject({ flag: options.project });
  const pinned = process.env.PRAXIS_MCP_TOKEN;
  const app = await startApp({
    transport: options.transport,
    project,
    host: options.host,
    port: options.port,
    portRange: options.portRange,
    path: options.path,
    token: options.noAuth ? null : pinned || undefined,
    log,
  });
  log.info(`project ${project.root} (found by ${project.source}); transport ${options.transport}; pid ${process.pid}`);
  if (app.url) process.stderr.write(`praxis-mcp: MCP endpoint ${app.url}\n`);
  const removeSignals = onShutdownSignals((signal) => void app.close(`received ${signal}`));
  await app.closed;
  removeSignals();
  await flushed(process.stdout);
  process.exit(0);
}

/** `praxis-mcp serve`. */
export const serveCommand = defineCommand({
  meta: { name: 'serve', description: 'Serve the project\'s MCP tools over stdio, HTTP on loopback, or both at once' },
  args: serveArgs,
  run: ({ args }) => runServe(args),
});
