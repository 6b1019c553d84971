// Advertise only what is delivered (issue 10, item 5): the server advertises resources.listChanged,
// and every real client on every transport (stdio, HTTP, a bridge) in both protocol eras receives
// notifications/resources/list_changed when a standards document is added. tools.listChanged is not
// advertised (the tools never change while the server runs).
import { Client as ClientV2, StreamableHTTPClientTransport as HttpV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioV2 } from '@modelcontextprotocol/client/stdio';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as HttpV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ResourceListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BINARY, type Spawned, type TempProject, readJson, spawnBinary, tempProject, waitFor } from '../helpers/process.ts';

const KINDS = ['v1', 'v2 2025-11-25', 'v2 2026-07-28'] as const;
const TRANSPORTS = ['stdio', 'http', 'bridge'] as const;
type Kind = (typeof KINDS)[number];
type TransportName = (typeof TRANSPORTS)[number];

interface Cell {
  kind: Kind;
  transport: TransportName;
  client: any;
  received: number;
  stderr: () => string;
  /** The project whose standards change for this client. */
  standards: string;
}

let project: TempProject;
let owner: Spawned;
let state: any;
const cells: Cell[] = [];
const others: TempProject[] = [];
const info = { name: 'praxis-notify-test', version: '1.0.0' };

function makeClient(kind: Kind, cell: { received: number }): any {
  const onChanged = () => void cell.received++;
  if (kind === 'v1') {
    const client = new ClientV1(info);
    client.setNotificationHandler(ResourceListChangedNotificationSchema, async () => onChanged());
    return client;
  }
  // The v2 client's own list-changed option: in the 2026-07-28 era it opens subscriptions/listen.
  const listChanged = { resources: { autoRefresh: false, debounceMs: 0, onChanged } };
  return kind === 'v2 2025-11-25'
    ? new ClientV2(info, { listChanged })
    : new ClientV2(info, { listChanged, versionNegotiation: { mode: { pin: '2026-07-28' } } });
}

async function connect(kind: Kind, transport: TransportName): Promise<Cell> {
  const cell: Cell = { kind, transport, client: undefined, received: 0, stderr: () => '', standards: join(project.praxisDir, 'standards') };
  cell.client = makeClient(kind, cell);
  if (transport === 'http') {
    const requestInit = { headers: { Authorization: `Bearer ${state.auth.token}` } };
    await cell.client.connect(kind === 'v1' ? new HttpV1(new URL(state.url), { requestInit }) : new HttpV2(new URL(state.url), { requestInit }));
  } else {
    // stdio: the owner of a project of its own (a second server for a project bridges, whatever
    // its transport); bridge: a second server for the owner's project.
    let root = project.root;
    if (transport === 'stdio') {
      const own = tempProject({ prefix: 'praxis-notify-stdio-' });
      others.push(own);
      writeFileSync(join(own.praxisDir, 'standards', 'first.md'), '# First\n\nThe first standard.\n');
      root = own.root;
      cell.standards = join(own.praxisDir, 'standards');
    }
    const mode = transport === 'stdio' ? 'stdio' : 'dual';
    const params = { command: BINARY, args: ['serve', '--transport', mode, '--port', '0', '--project', root], stderr: 'pipe' as const };
    const t = kind === 'v1' ? new StdioV1(params) : new StdioV2(params);
    let err = '';
    t.stderr?.on('data', (d: Buffer) => (err += d));
    cell.stderr = () => err;
    await cell.client.connect(t);
    if (transport === 'bridge') await waitFor(() => /bridging this stdio/.test(err), `${kind} bridge's log line`);
    else expect(err).not.toMatch(/bridging this stdio/);
  }
  cells.push(cell);
  return cell;
}

beforeAll(async () => {
  project = tempProject({ prefix: 'praxis-notify-' });
  writeFileSync(join(project.praxisDir, 'standards', 'first.md'), '# First\n\nThe first standard.\n');
  owner = spawnBinary(['serve', '--transport', 'dual', '--port', '0', '--project', project.root]);
  state = await waitFor(() => readJson(project.statePath), 'the owner\'s state file');
  for (const transport of TRANSPORTS) for (const kind of KINDS) await connect(kind, transport);
}, 60_000);

afterAll(async () => {
  await Promise.all(cells.map((c) => c.client.close().catch(() => {})));
  await owner?.kill();
  project?.cleanup();
  for (const other of others) other.cleanup();
});

test('every client on every transport is told resources.listChanged and not tools.listChanged', () => {
  for (const cell of cells) {
    const capabilities = cell.client.getServerCapabilities();
    expect({ cell: `${cell.kind} ${cell.transport}`, resources: capabilities.resources?.listChanged }).toEqual({ cell: `${cell.kind} ${cell.transport}`, resources: true });
    expect(capabilities.tools?.listChanged ?? false).toBe(false);
  }
});

test('a standards document added: every client on every transport receives notifications/resources/list_changed', async () => {
  // Each client has listed (and, in the 2026-07-28 era, subscribed) before the change.
  for (const cell of cells) await cell.client.listResources();
  for (const dir of new Set(cells.map((c) => c.standards))) writeFileSync(join(dir, 'second.md'), '# Second\n\nA standard added while clients listen.\n');
  const all = () => cells.every((c) => c.received > 0);
  await waitFor(all, 'list_changed on every cell', 15_000).catch(() => {});
  const rows = TRANSPORTS.map((t) => `  ${t.padEnd(7)} ${KINDS.map((k) => (cells.find((c) => c.kind === k && c.transport === t)!.received > 0 ? 'yes' : 'NO').padEnd(15)).join('')}`);
  console.log(`resources/list_changed received after a standards file was added:\n  ${''.padEnd(7)} ${KINDS.map((k) => k.padEnd(15)).join('')}\n${rows.join('\n')}`);
  expect(cells.filter((c) => c.received === 0).map((c) => `${c.kind} over ${c.transport}`)).toEqual([]);
  // And the list they re-read has the new document.
  for (const cell of cells) {
    const { resources } = await cell.client.listResources();
    expect(resources.map((r: any) => r.uri)).toContain('praxis://standards/second.md');
  }
}, 30_000);

test('a document removed: told again', async () => {
  const before = cells.map((c) => c.received);
  for (const dir of new Set(cells.map((c) => c.standards))) unlinkSync(join(dir, 'second.md'));
  await waitFor(() => cells.every((c, i) => c.received > before[i]!), 'a second list_changed on every cell', 15_000);
});

test('the owner killed with -9: through the bridge that takes over, or re-targets, every bridged client is still told', async () => {
  const bridged = cells.filter((c) => c.transport === 'bridge');
  process.kill(state.pid, 'SIGKILL');
  const next = await waitFor(() => {
    const s = readJson(project.statePath);
    return s && s.pid !== state.pid && s;
  }, 'a new owner in the state file', 15_000);
  // Every bridged client still answers (its bridge re-targeted, or took over).
  for (const cell of bridged) await cell.client.listResources();
  // A 2025-era relay tells its IDE once when its stream comes back; wait for things to settle.
  const settled = async () => {
    let last = '';
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const now = bridged.map((c) => c.received).join();
      if (now === last) return;
      last = now;
    }
  };
  await settled();
  const before = bridged.map((c) => c.received);
  writeFileSync(join(project.praxisDir, 'standards', 'third.md'), '# Third\n\nAdded after the owner changed.\n');
  await waitFor(() => bridged.every((c, i) => c.received > before[i]!), 'list_changed on every bridged client after the takeover', 15_000);
  console.log(`after kill -9 of the owner (new owner pid ${next.pid}): ${bridged.map((c) => `${c.kind} told`).join(', ')}`);
}, 60_000);
