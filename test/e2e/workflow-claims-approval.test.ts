// Claims end with their agent, and approval is a person's (issue 14), against the binary: a claim
// taken over an IDE's stdio is released when that stdin ends (owner and bridge), one taken by an
// HTTP client holding a notification stream when the stream ends; an approval gate holds an agent
// until `praxis-mcp workflow approve`; GET /events streams the history to scripts.
import { Client as ClientV2, StreamableHTTPClientTransport as HttpV2 } from '@modelcontextprotocol/client';
import { StdioClientTransport as StdioV2 } from '@modelcontextprotocol/client/stdio';
import { Client as ClientV1 } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as HttpV1 } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ResourceListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type OpenEngine, openWorkflowEngine } from '../../src/workflows/engine/open.ts';
import { demoWorkflow } from '../helpers/workflow-project.ts';
import { BINARY, type Spawned, type TempProject, readJson, runBinary, spawnBinary, tempProject, waitFor } from '../helpers/process.ts';

let project: TempProject;
let owner: Spawned;
let db: OpenEngine;
const spawned: Spawned[] = [];

function writeDemo(root: string): void {
  const files = demoWorkflow();
  files['.praxis-os/workflows/demo/phases/1/gate-definition.yaml'] = 'approval: required\nevidence_schema:\n  summary: { type: string, required: true }\n';
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}

const state = () => readJson(project.statePath);
const task = (session: string, id: string) => db.engine.core.get<{ status: string; claimed_by: string | null }>('SELECT status, claimed_by FROM wf_tasks WHERE session_id = ? AND id = ?', session, id)!;
const events = (session: string, action: string) => db.engine.core.all<{ result_json: string }>('SELECT result_json FROM wf_events WHERE session_id = ? AND action = ?', session, action);

async function startSession(): Promise<string> {
  const r = await runBinary(['workflow', 'start', 'demo', 'src/x.ts', '--project', project.root, '--json', '--options', '{"force_new": true}']);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout).session_id;
}

async function httpCall(args: Record<string, unknown>, headers: Record<string, string> = {}): Promise<any> {
  const s = state();
  const r = await fetch(s.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${s.auth.token}`, ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'pos_workflow', arguments: args } }),
  });
  const text = await r.text();
  const json = text.startsWith('{') ? JSON.parse(text) : JSON.parse(text.split('\n').find((l) => l.startsWith('data: '))!.slice(6));
  return json.result?.structuredContent ?? json;
}

/** A raw stdio IDE: initialize, then one tools/call; resolves with the call's structured answer. */
async function stdioClaim(ide: Spawned, session: string, agent: string): Promise<any> {
  const send = (m: unknown) => ide.proc.stdin!.write(`${JSON.stringify(m)}\n`);
  send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'ide', version: '1' } } });
  await waitFor(() => ide.stdout().includes('"id":1'), 'initialize answered');
  send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'pos_workflow', arguments: { action: 'claim_next', session_id: session, agent_id: agent } } });
  const line = await waitFor(() => ide.stdout().split('\n').find((l) => l.includes('"id":2')), 'claim answered');
  return JSON.parse(line).result.structuredContent;
}

beforeAll(async () => {
  project = tempProject({ prefix: 'praxis-claims-' });
  writeDemo(project.root);
  owner = spawnBinary(['serve', '--transport', 'http', '--port', '0', '--project', project.root]);
  spawned.push(owner);
  await waitFor(() => state()?.url, 'the owner\'s state file');
  db = openWorkflowEngine(project);
}, 30_000);

afterAll(async () => {
  db?.close();
  for (const s of spawned) await s.kill();
  project?.cleanup();
});

test('a claim taken through a bridge is released within 1 s of its IDE\'s stdin ending, with an event', async () => {
  const session = await startSession();
  const ide = spawnBinary(['serve', '--transport', 'dual', '--port', '0', '--project', project.root]);
  spawned.push(ide);
  const claimed = await stdioClaim(ide, session, 'bridged-ide');
  expect(claimed.claimed.task_id).toBe('1.1');
  expect(task(session, '1.1').claimed_by).toBe('bridged-ide');
  const t0 = Date.now();
  ide.proc.stdin!.end();
  await waitFor(() => task(session, '1.1').status === 'ready', 'the bridged claim released', 1000, 5);
  console.log(`bridged IDE's stdin closed -> claim released in ${Date.now() - t0} ms`);
  const released = events(session, 'claim_released').map((e) => JSON.parse(e.result_json));
  expect(released).toEqual([expect.objectContaining({ task_id: '1.1', held_by: 'bridged-ide', released: true })]);
});

test('a claim taken over the owner\'s own stdio is released when that stdin ends (the owner shuts down)', async () => {
  const other = tempProject({ prefix: 'praxis-claims-own-' });
  try {
    writeDemo(other.root);
    const r = await runBinary(['workflow', 'start', 'demo', 'src/x.ts', '--project', other.root, '--json']);
    const session = JSON.parse(r.stdout).session_id;
    const ide = spawnBinary(['serve', '--transport', 'stdio', '--project', other.root]);
    spawned.push(ide);
    expect((await stdioClaim(ide, session, 'own-ide')).claimed.task_id).toBe('1.1');
    const t0 = Date.now();
    ide.proc.stdin!.end();
    const other_db = openWorkflowEngine(other);
    try {
      const status = () => other_db.engine.core.get<{ status: string }>('SELECT status FROM wf_tasks WHERE session_id = ? AND id = ?', session, '1.1')!.status;
      await waitFor(() => status() === 'ready', 'the stdio claim released', 1000, 5);
      console.log(`owner's stdin closed -> claim released in ${Date.now() - t0} ms`);
      expect(other_db.engine.core.get<{ n: number }>("SELECT count(*) AS n FROM wf_events WHERE session_id = ? AND action = 'claim_released' AND ok = 1", session)!.n).toBe(1);
    } finally {
      other_db.close();
    }
    await ide.exited;
  } finally {
    other.cleanup();
  }
});

test('an HTTP client holding a notification stream: its claim ends with the stream; a claim of a client without one is left to its lease', async () => {
  const session = await startSession();
  const s = state();
  const connection = 'script-connection-1';
  const abort = new AbortController();
  const stream = await fetch(s.url, { headers: { accept: 'text/event-stream', authorization: `Bearer ${s.auth.token}`, 'x-praxis-connection': connection }, signal: abort.signal });
  expect(stream.status).toBe(200);
  const held = await httpCall({ action: 'claim_task', session_id: session, task_id: '1.1', agent_id: 'streamer' }, { 'x-praxis-connection': connection });
  expect(held.status).toBe('success');
  const plain = await httpCall({ action: 'claim_task', session_id: session, task_id: '1.3', agent_id: 'plain' });
  expect(plain.status).toBe('success');
  abort.abort();
  await waitFor(() => task(session, '1.1').status === 'ready', 'the streaming client\'s claim released', 1000, 5);
  expect(task(session, '1.3')).toEqual({ status: 'claimed', claimed_by: 'plain' });
});

/** A real SDK client over HTTP that has seen a notification on its stream (so the stream is surely open). */
async function realHttpClient(kind: 'v1' | 'v2') {
  const s = state();
  const requestInit = { headers: { Authorization: `Bearer ${s.auth.token}` } };
  let listChanged = 0;
  const info = { name: `real-${kind}`, version: '1' };
  if (kind === 'v1') {
    const transport = new HttpV1(new URL(s.url), { requestInit });
    const client = new ClientV1(info);
    client.setNotificationHandler(ResourceListChangedNotificationSchema, async () => void listChanged++);
    await client.connect(transport);
    return { client: client as any, transport: transport as any, listChanged: () => listChanged };
  }
  const transport = new HttpV2(new URL(s.url), { requestInit });
  const client = new ClientV2(info);
  client.setNotificationHandler('notifications/resources/list_changed', () => void listChanged++);
  await client.connect(transport);
  return { client: client as any, transport: transport as any, listChanged: () => listChanged };
}

const claimOver = async (client: any, session: string, taskId: string, agent: string) =>
  (await client.callTool({ name: 'pos_workflow', arguments: { action: 'claim_task', session_id: session, task_id: taskId, agent_id: agent } })).structuredContent;

for (const kind of ['v1', 'v2'] as const) {
  test(`a real ${kind} HTTP client: the server gives it a session id, and its claim ends with its notification stream (close) or its session (DELETE)`, async () => {
    const session = await startSession();
    const streaming = await realHttpClient(kind);
    const deleting = await realHttpClient(kind);
    try {
      // 2025-era session ids: each client got its own, and sends it back (the server ties claims to it).
      expect(streaming.transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
      expect(deleting.transport.sessionId).not.toBe(streaming.transport.sessionId);
      expect((await claimOver(streaming.client, session, '1.1', `${kind}-streamer`)).status).toBe('success');
      expect((await claimOver(deleting.client, session, '1.3', `${kind}-deleter`)).status).toBe('success');
      // A new workflow session changes the resource list: both clients hear of it on their streams.
      await startSession();
      await waitFor(() => streaming.listChanged() > 0 && deleting.listChanged() > 0, 'list_changed on both clients\' streams', 3000);
      // Ending the session (DELETE): the claim is released, and the ended id is not found any more.
      const ended = deleting.transport.sessionId;
      await deleting.transport.terminateSession();
      await waitFor(() => task(session, '1.3').status === 'ready', `the ${kind} client's claim released after DELETE`, 1000, 5);
      const after = await fetch(state().url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${state().auth.token}`, 'mcp-session-id': ended },
        body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'ping' }),
      });
      expect(after.status).toBe(404);
      // Closing the client ends its stream: its claim is released too.
      expect(task(session, '1.1')).toEqual({ status: 'claimed', claimed_by: `${kind}-streamer` });
      const t0 = Date.now();
      await streaming.client.close();
      await waitFor(() => task(session, '1.1').status === 'ready', `the ${kind} client's claim released after its stream ended`, 1000, 5);
      console.log(`${kind} HTTP client closed -> claim released in ${Date.now() - t0} ms`);
      const released = events(session, 'claim_released').map((e) => JSON.parse(e.result_json));
      expect(released).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ task_id: '1.1', held_by: `${kind}-streamer`, released: true }),
          expect.objectContaining({ task_id: '1.3', held_by: `${kind}-deleter`, released: true }),
        ]),
      );
    } finally {
      await streaming.client.close().catch(() => {});
      await deleting.client.close().catch(() => {});
    }
  });
}

test('a bridged IDE in the 2026-07-28 era (a real v2 client pinned to it): its claim is released within 1 s of its stdin ending', async () => {
  const session = await startSession();
  const transport = new StdioV2({ command: BINARY, args: ['serve', '--transport', 'dual', '--port', '0', '--project', project.root], stderr: 'pipe' });
  const client = new ClientV2({ name: 'ide-2026', version: '1' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } } as any);
  await client.connect(transport);
  try {
    expect((await claimOver(client, session, '1.1', 'ide-2026')).status).toBe('success');
    expect(task(session, '1.1').claimed_by).toBe('ide-2026');
    const t0 = Date.now();
    await client.close();
    await waitFor(() => task(session, '1.1').status === 'ready', 'the 2026-era bridged claim released', 1000, 5);
    console.log(`2026-07-28 bridged IDE closed -> claim released in ${Date.now() - t0} ms`);
  } finally {
    await client.close().catch(() => {});
  }
});

test('an approval gate holds the agent until a person approves with the CLI; no tool call approves', async () => {
  const session = await startSession();
  for (const id of ['1.1', '1.2', '1.3']) {
    expect((await httpCall({ action: 'claim_task', session_id: session, task_id: id, agent_id: 'worker' })).status).toBe('success');
    expect((await httpCall({ action: 'complete_task', session_id: session, task_id: id, agent_id: 'worker' })).status).toBe('success');
  }
  const held = await httpCall({ action: 'complete_phase', session_id: session, phase: 1, evidence: { summary: 'built' }, agent_id: 'worker' });
  expect(held.error_type).toBe('approval_required');
  // The tool has no such action: the schema refuses it, and the phase stays held.
  const sneaky = await httpCall({ action: 'approve', session_id: session, phase: 1, agent_id: 'worker' });
  expect(JSON.stringify(sneaky)).not.toContain('"status":"success"');
  expect((await httpCall({ action: 'complete_phase', session_id: session, phase: 1, evidence: { summary: 'built' }, agent_id: 'worker' })).error_type).toBe('approval_required');

  const approved = await runBinary(['workflow', 'approve', session, '1', '--note', 'looks right', '--project', project.root]);
  expect(approved.code).toBe(0);
  expect(approved.stdout).toContain('Approved');
  const done = await httpCall({ action: 'complete_phase', session_id: session, phase: 1, evidence: { summary: 'built' }, agent_id: 'worker' });
  expect(done.status).toBe('success');
  const approveEvent = db.engine.core.get<{ transport: string; input_json: string }>("SELECT transport, input_json FROM wf_events WHERE session_id = ? AND action = 'approve'", session)!;
  expect(approveEvent.transport).toBe('cli');
  expect(JSON.parse(approveEvent.input_json).note).toBe('looks right');
});

test('GET /events: behind the token; replays after a seq, then streams what any process commits', async () => {
  const s = state();
  expect((await fetch(new URL('/events', s.url))).status).toBe(401);
  const session = await startSession();
  const abort = new AbortController();
  const r = await fetch(new URL(`/events?session=${session}&after=0`, s.url), { headers: { authorization: `Bearer ${s.auth.token}` }, signal: abort.signal });
  expect(r.headers.get('content-type')).toContain('text/event-stream');
  const reader = r.body!.getReader();
  let text = '';
  const pump = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      text += new TextDecoder().decode(value);
    }
  })();
  await waitFor(() => text.includes('"action":"start"'), 'the replayed start event');
  // A CLI process writing the database directly: the server notices and streams it.
  await runBinary(['workflow', 'act', 'claim_task', `session_id=${session}`, 'task_id=1.3', '--agent', 'cli-agent', '--direct', '--project', project.root]);
  await waitFor(() => text.includes('"agent":"cli-agent"'), 'the CLI\'s claim on the stream', 3000);
  expect(text).toMatch(/^id: \d+$/m);
  abort.abort();
  await pump;
});

test('an IDE whose client supports elicitation is asked, and its person\'s answer approves the phase', async () => {
  const { Client } = await import('@modelcontextprotocol/client');
  const { StdioClientTransport } = await import('@modelcontextprotocol/client/stdio');
  const other = tempProject({ prefix: 'praxis-elicit-' });
  writeDemo(other.root);
  const started = await runBinary(['workflow', 'start', 'demo', 'src/x.ts', '--project', other.root, '--json']);
  const session = JSON.parse(started.stdout).session_id;
  const asked: string[] = [];
  const client = new Client({ name: 'ide-with-a-person', version: '1' }, { capabilities: { elicitation: { form: {} } } });
  client.setRequestHandler('elicitation/create', async (request: any) => {
    asked.push(request.params.message);
    return { action: 'accept', content: { decision: 'approve', note: 'seen in the IDE' } };
  });
  await client.connect(new StdioClientTransport({ command: BINARY, args: ['serve', '--transport', 'stdio', '--project', other.root], stderr: 'pipe' }));
  const call = async (args: Record<string, unknown>) => ((await client.callTool({ name: 'pos_workflow', arguments: { session_id: session, agent_id: 'ide-agent', ...args } })) as any).structuredContent;
  const local = openWorkflowEngine(other);
  try {
    for (const id of ['1.1', '1.2', '1.3']) {
      await call({ action: 'claim_task', task_id: id });
      await call({ action: 'complete_task', task_id: id });
    }
    expect((await call({ action: 'complete_phase', phase: 1, evidence: { summary: 'done' } })).error_type).toBe('approval_required');
    await waitFor(() => local.engine.core.get("SELECT 1 AS x FROM wf_events WHERE session_id = ? AND action = 'approve' AND ok = 1", session), 'the person\'s approval', 5000);
    expect(asked[0]).toContain(`phase 1 of workflow session ${session}`);
    const approval = local.engine.core.get<{ transport: string; agent: string }>("SELECT transport, agent FROM wf_events WHERE session_id = ? AND action = 'approve'", session)!;
    expect(approval).toEqual({ transport: 'elicitation', agent: 'person@ide-with-a-person' });
    expect((await call({ action: 'complete_phase', phase: 1, evidence: { summary: 'done' } })).status).toBe('success');
  } finally {
    local.close();
    await client.close();
    other.cleanup();
  }
}, 30_000);

for (const kind of ['v1', 'v2'] as const) {
  test(`an IDE behind a bridge (${kind} client) is asked on the bridge's stream and its person approves; an HTTP client that could be asked never is`, async () => {
    const session = await startSession();
    const asked: string[] = [];
    const answer = async (request: any) => {
      asked.push(request.params.message);
      return { action: 'accept', content: { decision: 'approve', note: 'seen behind a bridge' } };
    };
    // A sub-agent over HTTP that declares elicitation, with a session and a stream: it must not be asked.
    const s = state();
    const subAgent = new ClientV2({ name: 'sub-agent', version: '1' }, { capabilities: { elicitation: { form: {} } } });
    let subAgentAsked = 0;
    subAgent.setRequestHandler('elicitation/create', async () => {
      subAgentAsked++;
      return { action: 'accept', content: { decision: 'approve' } };
    });
    await subAgent.connect(new HttpV2(new URL(s.url), { requestInit: { headers: { Authorization: `Bearer ${s.auth.token}` } } }));
    const args = ['serve', '--transport', 'dual', '--port', '0', '--project', project.root];
    let ide: any;
    if (kind === 'v1') {
      const { StdioClientTransport } = await import('@modelcontextprotocol/sdk/client/stdio.js');
      const { ElicitRequestSchema } = await import('@modelcontextprotocol/sdk/types.js');
      ide = new ClientV1({ name: `bridged-${kind}`, version: '1' }, { capabilities: { elicitation: { form: {} } } });
      ide.setRequestHandler(ElicitRequestSchema, answer);
      await ide.connect(new StdioClientTransport({ command: BINARY, args, stderr: 'pipe' }));
    } else {
      ide = new ClientV2({ name: `bridged-${kind}`, version: '1' }, { capabilities: { elicitation: { form: {} } } });
      ide.setRequestHandler('elicitation/create', answer);
      await ide.connect(new StdioV2({ command: BINARY, args, stderr: 'pipe' }));
    }
    try {
      const call = async (a: Record<string, unknown>) => (await ide.callTool({ name: 'pos_workflow', arguments: { session_id: session, agent_id: `agent-${kind}`, ...a } })).structuredContent;
      for (const id of ['1.1', '1.2', '1.3']) {
        expect((await call({ action: 'claim_task', task_id: id })).status).toBe('success');
        expect((await call({ action: 'complete_task', task_id: id })).status).toBe('success');
      }
      expect((await call({ action: 'complete_phase', phase: 1, evidence: { summary: 'done' } })).error_type).toBe('approval_required');
      await waitFor(() => db.engine.core.get("SELECT 1 AS x FROM wf_events WHERE session_id = ? AND action = 'approve' AND ok = 1", session), 'the bridged person\'s approval', 5000);
      expect(asked).toHaveLength(1);
      expect(asked[0]).toContain(`phase 1 of workflow session ${session}`);
      expect(subAgentAsked).toBe(0);
      const approval = db.engine.core.get<{ transport: string; agent: string }>("SELECT transport, agent FROM wf_events WHERE session_id = ? AND action = 'approve'", session)!;
      expect(approval).toEqual({ transport: 'elicitation', agent: `person@bridged-${kind}` });
      expect((await call({ action: 'complete_phase', phase: 1, evidence: { summary: 'done' } })).status).toBe('success');
    } finally {
      await ide.close().catch(() => {});
      await subAgent.close().catch(() => {});
    }
  }, 30_000);
}
