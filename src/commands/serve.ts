import { defineCommand } from 'citty';
import { randomUUID } from 'node:crypto';
import { startApp } from '../app.ts';
import { ensurePraxisGitignore } from '../project/gitignore.ts';
import { claimProject } from '../state/ownership.ts';
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
  'on-conflict': {
    type: 'string',
    description: 'When another server owns the project: bridge this stdio to it, or fail',
    default: 'bridge',
    valueHint: 'bridge|fail',
  },
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
  onConflict: 'bridge' | 'fail';
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
  const onConflict = String(args['on-conflict'] ?? 'bridge');
  if (onConflict !== 'bridge' && onConflict !== 'fail') {
    throw new PraxisError('E_USAGE', `Invalid --on-conflict "${onConflict}": choose bridge or fail`);
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
    onConflict,
    logLevel,
    project: typeof args.project === 'string' ? args.project : undefined,
  };
}

/**
 * Runs the server until a signal or the end of stdin, then exits 0. The first server for a project
 * becomes its owner; a second one bridges its stdio to the owner (or fails, with --on-conflict fail
 * or in http mode, where there is no IDE to serve).
 */
export async function runServe(args: Record<string, unknown>): Promise<void> {
  const options = parseServeOptions(args);
  const log = createLogger(options.logLevel);
  const project = locateProject({ flag: options.project });
  log.info(`project ${project.root} (found by ${project.source}); transport ${options.transport}; pid ${process.pid}`);
  const pinned = process.env.PRAXIS_MCP_TOKEN;
  const appOptions = {
    transport: options.transport,
    project,
    host: options.host,
    port: options.port,
    portRange: options.portRange,
    path: options.path,
    token: options.noAuth ? null : pinned || undefined,
    log,
    instanceId: randomUUID(),
  };
  // Signal handlers go in before anything is claimed or written, so a signal at any moment takes
  // the clean path. While claiming, nothing of ours exists yet (a lock we might just have made is
  // stale once we are gone, and never blocks a start), so exit at once; while starting, remember
  // the signal and close as soon as the session exists, so no state file is left behind.
  let session: { closed: Promise<string>; close(reason: string): Promise<void> } | undefined;
  let claiming = true;
  let early: string | undefined;
  const removeSignals = onShutdownSignals((signal) => {
    if (session) void session.close(`received ${signal}`);
    else if (claiming) process.exit(0);
    else early ??= signal;
  });
  const claim = await claimProject(project.praxisDir, { instanceId: appOptions.instanceId, log });
  claiming = false;
  if (claim.kind === 'owner') {
    await ensurePraxisGitignore(project.praxisDir);
    const app = await startApp({ ...appOptions, release: claim.release }).catch(async (error) => {
      await claim.release();
      throw error;
    });
    if (app.url) process.stderr.write(`praxis-mcp: MCP endpoint ${app.url}\n`);
    session = app;
  } else {
    const { owner } = claim;
    if (options.transport === 'http' || options.onConflict === 'fail') {
      throw new PraxisError(
        'E_CONFLICT',
        `Another praxis-mcp (pid ${owner.pid}) already serves ${project.root}` +
          (owner.url ? ` at ${owner.url}` : ' over stdio') +
          `. Use that server (\`praxis-mcp url\`), stop it (\`praxis-mcp stop\`), or start this one with --on-conflict bridge in dual or stdio mode.`,
      );
    }
    if (owner.url === null) {
      log.warn(`another praxis-mcp (pid ${owner.pid}) owns ${project.root} over stdio only, so there is no endpoint to bridge to: serving this IDE on its own, unannounced`);
      session = await startApp({ ...appOptions, transport: 'stdio', announce: false });
    } else {
      // Loaded only here: only a second server for a project needs the bridge (it never loads the MCP SDK).
      session = (await import('../bridged.ts')).runBridged(owner, appOptions);
    }
  }
  if (early) void session.close(`received ${early}`);
  await session.closed;
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
