// Guarantee: N servers started at the same instant get N distinct ports, all reachable, 0 failures
// (the original accepted 7-10 unique ports of 10). The bind is the check; nobody probes first.
import { afterAll, expect, test } from 'bun:test';
import { type Spawned, type TempProject, readJson, spawnBinary, tempProject, waitFor } from '../helpers/process.ts';

const N = 20;
const projects: TempProject[] = [];
const servers: Spawned[] = [];

afterAll(async () => {
  await Promise.all(servers.map((s) => s.kill('SIGTERM')));
  for (const p of projects) p.cleanup();
});

test(`${N} servers for ${N} projects started at once: ${N} distinct ports, all answering`, async () => {
  // Every server prefers the same port, so all of them race for the same few ports.
  const base = 46_100 + Math.floor(Math.random() * 50) * 10;
  const range = `${base}-${base + 199}`;
  for (let i = 0; i < N; i++) projects.push(tempProject({ prefix: `praxis-ports-${i}-` }));
  for (const p of projects) {
    servers.push(spawnBinary(['serve', '--transport', 'http', '--port', String(base), '--port-range', range, '--log-level', 'warn', '--project', p.root]));
  }
  const states = await Promise.all(projects.map((p) => waitFor(() => readJson(p.statePath), `state file of ${p.root}`, 20_000)));
  const ports = states.map((s) => s.port as number);
  const unique = new Set(ports);
  const answers = await Promise.all(
    states.map(async (s) => (await fetch(`http://127.0.0.1:${s.port}/health`)).json() as Promise<{ instance_id: string }>),
  );
  const reachable = answers.filter((a, i) => a.instance_id === states[i].instance_id).length;
  const failures = servers.filter((s) => s.proc.exitCode !== null).length;
  console.log(`port allocation: ${N} servers, ${unique.size} unique ports, ${reachable} reachable, ${failures} failures`);
  expect(unique.size).toBe(N);
  expect(reachable).toBe(N);
  expect(failures).toBe(0);
  for (const port of ports) expect(port >= base && port <= base + 199).toBe(true);
}, 60_000);
