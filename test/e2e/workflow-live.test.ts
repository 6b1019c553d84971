// Workflow state as resources, with notifications (issue 14): real clients (v1, v2 in each era)
// over stdio, HTTP and a bridge subscribe to a session and are told when another agent (over HTTP)
// or the CLI (writing the database directly, noticed through PRAGMA data_version) changes it.
import { Client as ClientV2, StreamableHTTPClientTransport as HttpV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioV2 } from '@modelcontextprotocol/client/stdio';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as StdioV1 } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport as HttpV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { demoWorkflow } from '../helpers/workflow-project.ts';
import { BINARY, type Spawned, type TempProject, readJson, runBinary, spawnBinary, tempProject, waitFor } from '../helpers/process.ts';

const KINDS = ['v1', 'v2 2025-11-25', 'v2 2026-07-28'] as const;
const TRANSPORTS = ['stdio', 'http', 'bridge'] as const;
type Kind = (typeof KINDS)[number];
type TransportName = (typeof TRANSPORTS)[number];

interface Place {
  project: TempProject;
  session: string;
  state: () => any;
}
interface Cell {
  kind: Kind;
  transport: TransportName;
  client: any;
  place: Place;
  updates: string[];
}

const info = { name: 'praxis-live-test', version: '1.0.0' };
const cells: Cell[] = [];
const projects: TempProject[] = [];
let owner: Spawned;
let shared: Place;

function writeDemo(root: string): void {
  for (const [rel, text] of Object.entries(demoWorkflow())) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}

async function newPlace(prefix: string): Promise<Place> {
  const project = tempProject({ prefix });
  projects.push(project);
  writeDemo(project.root);
  const started = await runBinary(['workflow', 'start', 'demo', 'src/x.ts', '--project', project.root, '--direct', '--json']);
  expect(started.code).toBe(0);
  return { project, session: JSON.parse(started.stdout).session_id, state: () => readJson(project.statePath) };
}

/** Another agent: a plain HTTP tools/call on the owner. */
async function agentCall(place: Place, args: Record<string, unknown>): Promise<any> {
  const s = place.state();
  const r = await fetch(s.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${s.auth.token}` },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'pos_workflow', arguments: args } }),
  });
  const text = await r.text();
  const json = text.startsWith('{') ? JSON.parse(text) : JSON.parse(text.split('\n').find((l) => l.startsWith('data: '))!.slice(6));
  return json.result.structuredContent;
}

function makeClient(kind: Kind, cell: { updates: string[] }): any {
  const onUpdated = (n: any) => void cell.updates.push(n.params.uri);
  if (kind === 'v1') {
    const client = new ClientV1(info);
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, async (n) => onUpdated(n));
    return client;
  }
  const client = kind === 'v2 2025-11-25' ? new ClientV2(info) : new ClientV2(info, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  client.setNotificationHandler('notifications/resources/updated', (n: any) => onUpdated(n));
  return client;
}

async function connect(kind: Kind, transport: TransportName): Promise<Cell> {
  const place = transport === 'stdio' ? await newPlace('praxis-live-stdio-') : shared;
  const cell: Cell = { kind, transport, client: undefined, place, updates: [] };
  cell.client = makeClient(kind, cell);
  if (transport === 'http') {
    const requestInit = { headers: { Authorization: `Bearer ${place.state().auth.token}` } };
    await cell.client.connect(kind === 'v1' ? new HttpV1(new URL(place.state().url), { requestInit }) : new HttpV2(new URL(place.state().url), { requestInit }));
  } else {
    // stdio: the IDE's server is the owner of its project (dual, so another agent reaches it over HTTP).
    const params = { command: BINARY, args: ['serve', '--transport', 'dual', '--port', '0', '--project', place.project.root], stderr: 'pipe' as const };
    const t = kind === 'v1' ? new StdioV1(params) : new StdioV2(params);
    let err = '';
    t.stderr?.on('data', (d: Buffer) => (err += d));
    await cell.client.connect(t);
    if (transport === 'bridge') await waitFor(() => /bridging this stdio/.test(err), `${kind} bridge's log line`);
    else await waitFor(() => place.state()?.url, 'the stdio owner\'s state file');
  }
  const uri = `praxis://workflows/sessions/${place.session}`;
  if (kind === 'v2 2026-07-28') await cell.client.listen({ resourceSubscriptions: [uri] });
  else await cell.client.subscribeResource({ uri });
  cells.push(cell);
  return cell;
}

beforeAll(async () => {
  shared = await newPlace('praxis-live-');
  owner = spawnBinary(['serve', '--transport', 'dual', '--port', '0', '--project', shared.project.root]);
  await waitFor(() => shared.state()?.url, 'the owner\'s state file');
  for (const transport of TRANSPORTS) for (const kind of KINDS) await connect(kind, transport);
}, 90_000);

afterAll(async () => {
  await Promise.all(cells.map((c) => c.client.close().catch(() => {})));
  await owner?.kill();
  for (const p of projects) p.cleanup();
});

test('the workflow resources: listed, a template for sessions, the session readable with get_state\'s data', async () => {
  for (const cell of cells) {
    expect(cell.client.getServerCapabilities().resources?.subscribe).toBe(true);
    const { resources } = await cell.client.listResources();
    const uris = resources.map((r: any) => r.uri);
    expect(uris).toContain('praxis://workflows');
    expect(uris).toContain('praxis://workflows/sessions');
    expect(uris).toContain(`praxis://workflows/sessions/${cell.place.session}`);
    const { resourceTemplates } = await cell.client.listResourceTemplates();
    expect(resourceTemplates.map((t: any) => t.uriTemplate)).toContain('praxis://workflows/sessions/{id}');
    const read = await cell.client.readResource({ uri: `praxis://workflows/sessions/${cell.place.session}` });
    const snap = JSON.parse(read.contents[0].text);
    expect(snap.session.session_id).toBe(cell.place.session);
    expect(snap.phases.map((p: any) => p.phase)).toEqual([1, 2]);
    expect(Array.isArray(snap.recent_events)).toBe(true);
  }
}, 60_000);

function table(title: string, ok: (c: Cell) => boolean): string {
  const rows = TRANSPORTS.map((t) => `  ${t.padEnd(7)} ${KINDS.map((k) => (ok(cells.find((c) => c.kind === k && c.transport === t)!) ? 'yes' : 'NO').padEnd(15)).join('')}`);
  return `${title}:\n  ${''.padEnd(7)} ${KINDS.map((k) => k.padEnd(15)).join('')}\n${rows.join('\n')}`;
}

test('another agent claims a task over HTTP: every subscribed client is told notifications/resources/updated', async () => {
  for (const c of cells) c.updates.length = 0;
  for (const place of new Set(cells.map((c) => c.place))) {
    const a = await agentCall(place, { action: 'claim_task', session_id: place.session, task_id: '1.1', agent_id: 'other-agent' });
    expect(a.status).toBe('success');
  }
  const got = (c: Cell) => c.updates.includes(`praxis://workflows/sessions/${c.place.session}`);
  await waitFor(() => cells.every(got), 'updated on every cell', 10_000).catch(() => {});
  console.log(table('resources/updated after another agent claimed a task', got));
  expect(cells.filter((c) => !got(c)).map((c) => `${c.kind} over ${c.transport}`)).toEqual([]);
}, 30_000);

test('the CLI writes the database directly: the server notices (data_version) within 250 ms and every subscribed client is told', async () => {
  for (const c of cells) c.updates.length = 0;
  const got = (c: Cell) => c.updates.includes(`praxis://workflows/sessions/${c.place.session}`);
  const lags: number[] = [];
  for (const place of new Set(cells.map((c) => c.place))) {
    const r = await runBinary(['workflow', 'act', 'claim_task', `session_id=${place.session}`, 'task_id=1.3', '--agent', 'cli-agent', '--direct', '--project', place.project.root]);
    expect(r.code).toBe(0);
    const done = Date.now();
    const mine = cells.filter((c) => c.place === place);
    await waitFor(() => mine.every(got), 'updated after a CLI write', 5_000).catch(() => {});
    lags.push(Date.now() - done);
  }
  console.log(`${table('resources/updated after the CLI wrote the database directly', got)}\n  time from the CLI's exit to the last client told, per server: ${lags.join(', ')} ms`);
  expect(cells.filter((c) => !got(c)).map((c) => `${c.kind} over ${c.transport}`)).toEqual([]);
  for (const lag of lags) expect(lag).toBeLessThan(1000); // the 250 ms poll promise, with room for the client's own delivery on a loaded machine
}, 60_000);

test('a client that did not subscribe to a session is not told of its updates (stdio, bridges and HTTP sessions filter per connection)', async () => {
  const extra: Cell = { kind: 'v1', transport: 'bridge', client: undefined, place: shared, updates: [] };
  extra.client = makeClient('v1', extra);
  const t = new StdioV1({ command: BINARY, args: ['serve', '--transport', 'dual', '--port', '0', '--project', shared.project.root], stderr: 'pipe' });
  await extra.client.connect(t);
  // 2025-era HTTP clients with the session id the server gave them, holding their streams, not subscribed.
  const requestInit = { headers: { Authorization: `Bearer ${shared.state().auth.token}` } };
  const quiet = (['v1', 'v2 2025-11-25'] as const).map((kind) => {
    const cell: Cell = { kind, transport: 'http', client: undefined, place: shared, updates: [] };
    cell.client = makeClient(kind, cell);
    return cell;
  });
  for (const cell of quiet) await cell.client.connect(cell.kind === 'v1' ? new HttpV1(new URL(shared.state().url), { requestInit }) : new HttpV2(new URL(shared.state().url), { requestInit }));
  try {
    await agentCall(shared, { action: 'claim_task', session_id: shared.session, task_id: '1.1', agent_id: 'other-agent' }); // renews: a change
    const subscribed = cells.find((c) => c.transport === 'bridge' && c.kind === 'v1')!;
    subscribed.updates.length = 0;
    await agentCall(shared, { action: 'heartbeat', session_id: shared.session, agent_id: 'other-agent' });
    const subscribedHttp = cells.find((c) => c.transport === 'http' && c.kind === 'v1')!;
    subscribedHttp.updates.length = 0;
    await agentCall(shared, { action: 'heartbeat', session_id: shared.session, agent_id: 'other-agent' });
    await waitFor(() => subscribed.updates.length > 0 && subscribedHttp.updates.length > 0, 'the subscribed bridge and HTTP clients told');
    expect(extra.updates).toEqual([]);
    for (const cell of quiet) expect({ kind: cell.kind, updates: cell.updates }).toEqual({ kind: cell.kind, updates: [] });
  } finally {
    await extra.client.close();
    for (const cell of quiet) await cell.client.close().catch(() => {});
  }
}, 30_000);
