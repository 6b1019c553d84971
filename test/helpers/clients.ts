// Real MCP clients from the SDK, v2 (`@modelcontextprotocol/client`) and v1 (`@modelcontextprotocol/sdk`),
// connected over stdio (spawning the binary) or Streamable HTTP.
import { Client as ClientV2, StreamableHTTPClientTransport as HttpV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioV2 } from '@modelcontextprotocol/client/stdio';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as HttpV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { BINARY } from './process.ts';

/** The operations the tests use, common to both SDK generations. */
export interface TestClient {
  listTools(): Promise<{ tools: { name: string; description?: string; inputSchema: unknown }[] }>;
  callTool(params: { name: string; arguments?: Record<string, unknown> }): Promise<any>;
  close(): Promise<void>;
}

export type ClientKind = 'v1' | 'v2';

const info = { name: 'praxis-test', version: '1.0.0' };

/** Connects a client over stdio to a freshly spawned binary with `args`. */
export async function connectStdio(
  kind: ClientKind,
  args: string[],
  options: { env?: Record<string, string>; command?: string; cwd?: string } = {},
): Promise<TestClient & { stderr: () => string; pid: () => number | null }> {
  const params = {
    command: options.command ?? BINARY,
    args,
    env: { ...(process.env as Record<string, string>), ...options.env },
    stderr: 'pipe' as const,
    cwd: options.cwd,
  };
  let err = '';
  if (kind === 'v1') {
    const transport = new StdioV1(params);
    transport.stderr?.on('data', (d) => (err += d));
    const client = new ClientV1(info);
    await client.connect(transport);
    return Object.assign(client as unknown as TestClient, { stderr: () => err, pid: () => transport.pid });
  }
  const transport = new StdioV2(params);
  transport.stderr?.on('data', (d: Buffer) => (err += d));
  const client = new ClientV2(info);
  await client.connect(transport);
  return Object.assign(client as unknown as TestClient, { stderr: () => err, pid: () => transport.pid });
}

/** Connects a client over Streamable HTTP, with the bearer token when given. */
export async function connectHttp(kind: ClientKind, url: string, token?: string | null): Promise<TestClient> {
  const requestInit = token ? { headers: { Authorization: `Bearer ${token}` } } : undefined;
  if (kind === 'v1') {
    const client = new ClientV1(info);
    await client.connect(new HttpV1(new URL(url), { requestInit }));
    return client as unknown as TestClient;
  }
  const client = new ClientV2(info);
  await client.connect(new HttpV2(new URL(url), { requestInit }));
  return client as unknown as TestClient;
}
