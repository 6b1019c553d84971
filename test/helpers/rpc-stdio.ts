// A bare JSON-RPC client over the compiled binary's stdio: what the server sends, unaltered by any SDK.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, type Spawned, type TempProject, spawnBinary, tempProject, waitFor } from './process.ts';

/** A stdio server on a copy of example/.praxis-os, spoken to line by line. */
export interface RpcStdio {
  child: Spawned;
  project: TempProject;
  /** Sends a request and resolves with its response (the parsed line that carries its id). */
  request(method: string, params?: Record<string, unknown>): Promise<any>;
  /** Sends raw lines (strings as they are, anything else as JSON). */
  send(...messages: unknown[]): void;
  /** Every parsed line of stdout so far. */
  messages(): any[];
  close(): Promise<void>;
}

/** Copies example/.praxis-os into a temp project. */
export function exampleProject(prefix = 'praxis-example-'): TempProject {
  const project = tempProject({ prefix, praxis: false });
  cpSync(join(ROOT, 'example', '.praxis-os'), project.praxisDir, { recursive: true });
  return project;
}

/** Starts `serve --transport stdio` on a copy of the example project and initializes a session. */
export async function startRpcStdio(options: { protocolVersion?: string; env?: Record<string, string | undefined> } = {}): Promise<RpcStdio> {
  const project = exampleProject();
  const child = spawnBinary(['serve', '--transport', 'stdio', '--project', project.root], { env: options.env });
  let nextId = 1;
  const messages = () =>
    child
      .stdout()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  const send = (...lines: unknown[]) =>
    child.proc.stdin!.write(lines.map((m) => `${typeof m === 'string' ? m : JSON.stringify(m)}\n`).join(''));
  const request = async (method: string, params?: Record<string, unknown>) => {
    const id = nextId++;
    send({ jsonrpc: '2.0', id, method, ...(params && { params }) });
    return waitFor(() => messages().find((m) => m.id === id && !('method' in m)), `the reply to ${method} (id ${id})`, 15_000);
  };
  const rpc: RpcStdio = {
    child,
    project,
    request,
    send,
    messages,
    async close() {
      child.proc.stdin!.end();
      await child.kill('SIGTERM');
      project.cleanup();
    },
  };
  try {
    await request('initialize', {
      protocolVersion: options.protocolVersion ?? '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'praxis-raw', version: '1.0.0' },
    });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  } catch (error) {
    await rpc.close();
    throw error;
  }
  return rpc;
}
