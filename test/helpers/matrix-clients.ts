// The clients of the client matrix (issue 10), each behaving as the real one does: it initializes,
// lists tools first (which is when the SDK clients compile their output validators), validates
// outputs, then calls. One small interface over the v1 SDK client, the v2 client in each protocol
// era, and the MCP Inspector CLI (one process per operation, as a user runs it).
import { Client as ClientV2, StreamableHTTPClientTransport as HttpV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioV2 } from '@modelcontextprotocol/client/stdio';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as HttpV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { BINARY, ROOT } from './process.ts';

/** What an operation came to: a result, or an error (a JSON-RPC code, or the Inspector's error code). */
export type Outcome = { ok: true; value: any } | { ok: false; code: number | string | undefined; message: string };

/** The operations every matrix client offers. */
export interface MatrixClient {
  /** The protocol version the session runs at, as far as the client says. */
  protocolVersion(): string | undefined;
  listTools(): Promise<Outcome>;
  callTool(name: string, args: Record<string, unknown>): Promise<Outcome>;
  listResources(): Promise<Outcome>;
  readResource(uri: string): Promise<Outcome>;
  close(): Promise<void>;
}

export const CLIENTS = ['v1 SDK', 'v2 2025-11-25', 'v2 2026-07-28', 'Inspector CLI'] as const;
export type ClientName = (typeof CLIENTS)[number];
export const TRANSPORTS = ['stdio', 'http', 'bridge'] as const;
export type TransportName = (typeof TRANSPORTS)[number];

/** Where a client connects: a command to spawn (stdio, bridge) or an URL with its token (http). */
export type Target = { kind: 'spawn'; args: string[] } | { kind: 'http'; url: string; token: string };

const INFO = { name: 'praxis-matrix', version: '1.0.0' };
/** The bound of one operation; a client that hangs fails its cell instead of the suite. */
const OP_TIMEOUT_MS = 20_000;

function withTimeout<T>(promise: Promise<T>, what: string, ms = OP_TIMEOUT_MS): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function outcome(what: string, run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { ok: true, value: await withTimeout(run(), what) };
  } catch (error) {
    const e = error as { code?: number | string; message?: string };
    return { ok: false, code: e.code, message: String(e.message ?? error) };
  }
}

/** A v1 SDK client or a v2 client, connected to `target`. */
export async function connectSdk(name: Exclude<ClientName, 'Inspector CLI'>, target: Target): Promise<MatrixClient> {
  const env = { ...(process.env as Record<string, string>), PRAXIS_MCP_TOKEN: '' };
  const spawnParams = target.kind === 'spawn' ? { command: BINARY, args: target.args, env, stderr: 'ignore' as const } : undefined;
  const requestInit = target.kind === 'http' ? { headers: { Authorization: `Bearer ${target.token}` } } : undefined;
  let client: ClientV1 | ClientV2;
  let v1Version: string | undefined;
  if (name === 'v1 SDK') {
    const v1 = new ClientV1(INFO);
    const transport = spawnParams ? new StdioV1(spawnParams) : new HttpV1(new URL((target as { url: string }).url), { requestInit });
    // The v1 client tells its transport the negotiated version (if the transport wants it), nobody else.
    const told = (transport as { setProtocolVersion?: (v: string) => void }).setProtocolVersion?.bind(transport);
    Object.assign(transport, { setProtocolVersion: (v: string) => ((v1Version = v), told?.(v)) });
    await withTimeout(v1.connect(transport), `${name} connect`);
    client = v1;
  } else {
    const v2 = new ClientV2(INFO, name === 'v2 2026-07-28' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {});
    const transport = spawnParams ? new StdioV2(spawnParams) : new HttpV2(new URL((target as { url: string }).url), { requestInit });
    await withTimeout(v2.connect(transport), `${name} connect`);
    client = v2;
  }
  const c = client as any;
  return {
    protocolVersion: () => v1Version ?? c.getNegotiatedProtocolVersion?.(),
    listTools: () => outcome('tools/list', () => c.listTools()),
    callTool: (tool, args) => outcome(`tools/call ${tool}`, () => c.callTool({ name: tool, arguments: args })),
    listResources: () => outcome('resources/list', () => c.listResources()),
    readResource: (uri) => outcome('resources/read', () => c.readResource({ uri })),
    close: async () => {
      await withTimeout(c.close(), `${name} close`).catch(() => {});
    },
  };
}

/** The MCP Inspector CLI (2.x, run with bun: it wants a newer Node than this machine has). */
const INSPECTOR = join(ROOT, 'node_modules', '@modelcontextprotocol', 'inspector', 'clients', 'cli', 'build', 'index.js');
const BUN = join(ROOT, 'node_modules', '.bin', 'bun');

/** Runs the Inspector CLI once; resolves with its exit code and output (killed by pid at the bound). */
function runInspector(args: string[], cwd: string): Promise<{ code: number | string; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(BUN, [INSPECTOR, ...args], {
      cwd,
      env: { ...process.env, PRAXIS_MCP_TOKEN: undefined, HOME: cwd, NO_COLOR: '1' } as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), OP_TIMEOUT_MS);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? signal ?? -1, stdout, stderr });
    });
  });
}

/** The Inspector's JSON answer: `{ result }` on stdout, or `{ error: { code, message } }` on stderr. */
function inspectorOutcome(run: { code: number | string; stdout: string; stderr: string }): Outcome {
  const parse = (text: string) => {
    const line = text.trim().split('\n').reverse().find((l) => l.startsWith('{'));
    try {
      return line ? JSON.parse(line) : undefined;
    } catch {
      return undefined;
    }
  };
  const out = parse(run.stdout);
  // A tool result with isError comes as the result on stdout plus a `tool_is_error` envelope: a result.
  if (out && 'result' in out) return { ok: true, value: out.result };
  const err = parse(run.stderr)?.error;
  return { ok: false, code: err?.code, message: err?.message ?? `exit ${run.code}: ${run.stderr.slice(-500)}` };
}

/**
 * The Inspector CLI as a client. Every operation is one run of the CLI, which connects, initializes
 * and lists tools itself; `tools/list` runs in `--strict` mode, which fails on any schema
 * portability error, and here on any warning too.
 */
export function inspectorClient(target: Target, home: string): MatrixClient {
  const targetArgs =
    target.kind === 'http'
      ? ['--transport', 'http', '--server-url', target.url, '--header', `Authorization: Bearer ${target.token}`]
      : ['--', BINARY, ...target.args];
  const run = async (args: string[]) => inspectorOutcome(await runInspector(['--format', 'json', '-q', ...args, ...targetArgs], home));
  return {
    protocolVersion: () => '2025 (legacy era)',
    async listTools() {
      const strict = await runInspector(['--format', 'json', '--strict', '--method', 'tools/list', ...targetArgs], home);
      // The server's own log lines (stdio, bridge) pass through stderr; anything else is the Inspector's report.
      const report = strict.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('praxis-mcp '));
      if (strict.code !== 0 || report.length > 0) {
        return { ok: false, code: `exit ${strict.code}`, message: `--strict reported: ${report.join(' | ') || strict.stderr.slice(-500)}` };
      }
      return inspectorOutcome(strict);
    },
    callTool: (tool, args) => run(['--method', 'tools/call', '--tool-name', tool, '--tool-args-json', JSON.stringify(args)]),
    listResources: () => run(['--method', 'resources/list']),
    readResource: (uri) => run(['--method', 'resources/read', '--uri', uri]),
    close: async () => {},
  };
}
