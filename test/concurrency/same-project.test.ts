// Guarantee: exactly one server owns a project. Servers started for one project at the same
// instant elect one owner; the others bridge their stdio to it, and everyone sees one instance.
import { afterAll, expect, test } from 'bun:test';
import { type TestClient, connectStdio } from '../helpers/clients.ts';
import { readJson, tempProject, waitFor } from '../helpers/process.ts';

const project = tempProject({ prefix: 'praxis-owner-' });
const clients: (TestClient & { stderr(): string; pid(): number | null })[] = [];

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close().catch(() => {})));
  project.cleanup();
});

const serveArgs = ['serve', '--transport', 'dual', '--port', '0', '--project', project.root];

test('4 dual servers started at once for one project: 1 owner, 3 bridges, one instance_id', async () => {
  const connected = await Promise.all(
    Array.from({ length: 4 }, (_, i) => connectStdio(i % 2 ? 'v1' : 'v2', serveArgs)),
  );
  clients.push(...connected);
  const infos = await Promise.all(clients.map((c) => c.callTool({ name: 'get_server_info', arguments: {} })));
  const ids = new Set(infos.map((r) => r.structuredContent.server.instance_id));
  const state = readJson(project.statePath);
  const owners = clients.filter((c) => c.pid() === state.pid);
  const bridges = clients.filter((c) => /bridging this stdio/.test(c.stderr()));
  console.log(`same project: 4 started, ${owners.length} owner, ${bridges.length} bridges, ${ids.size} instance_id`);
  expect(ids.size).toBe(1);
  expect([...ids][0]).toBe(state.instance_id);
  expect(owners.length).toBe(1);
  expect(bridges.length).toBe(3);
  // The bridges' requests reach the owner over HTTP.
  const counters = infos[0].structuredContent.requests;
  expect(counters.http).toBeGreaterThanOrEqual(3);
}, 30_000);

test('when the owner is killed with -9, a bridge takes over and its IDE does not notice', async () => {
  const state = readJson(project.statePath);
  const owner = clients.find((c) => c.pid() === state.pid)!;
  const bridges = clients.filter((c) => c !== owner);
  process.kill(state.pid, 'SIGKILL');
  // Every bridge keeps answering its IDE: through the new owner, or as the new owner.
  const after = await Promise.all(bridges.map((c) => c.callTool({ name: 'get_server_info', arguments: {} })));
  const ids = new Set(after.map((r) => r.structuredContent.server.instance_id));
  expect(ids.size).toBe(1);
  const next = await waitFor(() => {
    const s = readJson(project.statePath);
    return s && s.pid !== state.pid && s;
  }, 'a new owner in the state file');
  expect([...ids][0]).toBe(next.instance_id);
  expect(bridges.map((c) => c.pid())).toContain(next.pid);
  const health = await fetch(`http://127.0.0.1:${next.port}/health`);
  expect((await health.json()).instance_id).toBe(next.instance_id);
  const tools = await bridges[0]!.listTools();
  expect(tools.tools.map((t) => t.name)).toContain('current_date');
}, 30_000);
