// A bridge (a second `serve` for a project) is transparent: everything an IDE gets from the owner it
// gets through the bridge, in both protocol eras (issue 10, item 4), with real v1 and v2 clients
// against the compiled binary.
import { Client as ClientV2, StreamableHTTPClientTransport as HttpV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioV2 } from '@modelcontextprotocol/client/stdio';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as HttpV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BINARY, type Spawned, type TempProject, readJson, spawnBinary, tempProject, waitFor } from '../helpers/process.ts';

/** The clients an IDE may embed: v1, v2 on 2025-11-25, v2 pinned to 2026-07-28, v2 negotiating. */
const CLIENTS = ['v1', 'v2 2025-11-25', 'v2 pin 2026-07-28', 'v2 auto'] as const;
type ClientName = (typeof CLIENTS)[number];
const info = { name: 'praxis-bridge-test', version: '1.0.0' };

function newClient(name: ClientName): any {
  if (name === 'v1') return new ClientV1(info);
  if (name === 'v2 2025-11-25') return new ClientV2(info);
  return new ClientV2(info, { versionNegotiation: { mode: name === 'v2 auto' ? 'auto' : { pin: '2026-07-28' } } });
}

/** The protocol version a connected client negotiated. */
const versionOf = (client: any): string | undefined =>
  client.getNegotiatedProtocolVersion?.() ?? client._negotiatedProtocolVersion ?? client.transport?.protocolVersion;

let project: TempProject;
let owner: Spawned;
let state: any;
const args = () => ['serve', '--transport', 'dual', '--port', '0', '--project', project.root];
const open: any[] = [];

async function viaBridge(name: ClientName): Promise<{ client: any; stderr: () => string }> {
  const params = { command: BINARY, args: args(), stderr: 'pipe' as const, env: { ...(process.env as Record<string, string>), PRAXIS_MCP_TOKEN: '' } };
  const transport = name === 'v1' ? new StdioV1(params) : new StdioV2(params);
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => (err += d));
  const client = newClient(name);
  open.push(client);
  await client.connect(transport);
  return { client, stderr: () => err };
}

async function viaHttp(name: ClientName): Promise<any> {
  const requestInit = { headers: { Authorization: `Bearer ${state.auth.token}` } };
  const client = newClient(name);
  open.push(client);
  await client.connect(name === 'v1' ? new HttpV1(new URL(state.url), { requestInit }) : new HttpV2(new URL(state.url), { requestInit }));
  return client;
}

/** A call's outcome, error or result, as plain data. */
const settle = (call: Promise<any>) =>
  call.then(
    (result) => ({ result }),
    (e: any) => ({ error: { code: e.code, message: String(e.message) } }),
  );

/** What a client sees of a server: the handshake, the lists, a read, calls, and the errors. */
async function observe(client: any) {
  return {
    capabilities: client.getServerCapabilities(),
    serverInfo: client.getServerVersion(),
    instructions: client.getInstructions(),
    tools: await client.listTools(),
    resources: await client.listResources(),
    read: await client.readResource({ uri: 'praxis://standards/testing.md' }),
    // The outcome, whatever it is (the v1 client's draft-07 validator is issue 10's item 1): the same both ways.
    hit: await settle(client.callTool({ name: 'search_standards', arguments: { query: 'bridge forwards' } })),
    miss: await settle(client.callTool({ name: 'search_standards', arguments: { query: 'zebra' } })),
    unknown: await settle(client.callTool({ name: 'no_such_tool', arguments: {} })),
    badArguments: await settle(client.callTool({ name: 'search_standards', arguments: { query: 42 } })),
    missing: await settle(client.readResource({ uri: 'praxis://standards/missing.md' })),
  };
}

beforeAll(async () => {
  project = tempProject({ prefix: 'praxis-bridge-' });
  writeFileSync(join(project.praxisDir, 'standards', 'testing.md'), '# Testing\n\nA bridge forwards every message to the owner.\n');
  owner = spawnBinary(args());
  state = await waitFor(() => readJson(project.statePath), 'the owner\'s state file');
});

afterAll(async () => {
  await Promise.all(open.map((c) => c.close().catch(() => {})));
  await owner?.kill();
  project?.cleanup();
});

describe('a bridge is transparent', () => {
  test.each(CLIENTS)('%s: through a bridge, the same session as straight from the owner over HTTP', async (name) => {
    const direct = await viaHttp(name);
    const bridged = await viaBridge(name);
    await waitFor(() => /bridging this stdio/.test(bridged.stderr()), 'the bridge\'s log line');
    const expected = await observe(direct);
    const got = await observe(bridged.client);
    // The v1 client does not keep the version it negotiated over stdio.
    if (name !== 'v1') {
      expect(versionOf(bridged.client)).toBe(name === 'v2 2025-11-25' ? '2025-11-25' : '2026-07-28');
      expect(versionOf(direct)).toBe(versionOf(bridged.client));
    }
    expect(got.read.contents[0].text).toContain('A bridge forwards');
    expect(got).toEqual(expected);
  }, 30_000);
});

describe('a frozen owner (issue 11)', () => {
  test('a bridge whose owner is stopped (SIGSTOP) answers each request with an error naming the owner, then serves again after SIGCONT', async () => {
    const frozen = tempProject({ prefix: 'praxis-frozen-' });
    const frozenArgs = ['serve', '--transport', 'dual', '--port', '0', '--project', frozen.root];
    const frozenOwner = spawnBinary(frozenArgs);
    let stopped = false;
    try {
      const ownerState = await waitFor(() => readJson(frozen.statePath), 'the owner\'s state file');
      const transport = new StdioV2({ command: BINARY, args: frozenArgs, stderr: 'pipe' });
      let err = '';
      transport.stderr?.on('data', (d: Buffer) => (err += d));
      const client = new ClientV2(info);
      open.push(client);
      await client.connect(transport);
      await waitFor(() => /bridging this stdio/.test(err), 'the bridge\'s log line');
      expect((await client.callTool({ name: 'current_date', arguments: {} })).isError).toBeFalsy();

      process.kill(frozenOwner.pid, 'SIGSTOP');
      stopped = true;
      const started = Date.now();
      const outcomes = await Promise.all([
        settle(client.callTool({ name: 'current_date', arguments: {} })),
        settle(client.listTools()),
      ]);
      const elapsed = Date.now() - started;
      console.log(`frozen owner: both requests answered with an error after ${elapsed} ms`);
      for (const outcome of outcomes) {
        expect(outcome).toMatchObject({ error: { code: -32603 } });
        expect((outcome as any).error.message).toContain(`pid ${ownerState.pid}`);
        expect((outcome as any).error.message).toContain('unresponsive');
      }
      // 5 s of waiting plus a /health check of at most 2 s: well under the client's own 60 s.
      expect(elapsed).toBeLessThan(15_000);
      expect(err).toMatch(/does not answer/);

      process.kill(frozenOwner.pid, 'SIGCONT');
      stopped = false;
      expect((await client.callTool({ name: 'current_date', arguments: {} })).isError).toBeFalsy();
    } finally {
      if (stopped) process.kill(frozenOwner.pid, 'SIGCONT');
      await frozenOwner.kill();
      frozen.cleanup();
    }
  }, 40_000);
});
