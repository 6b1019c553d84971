// `praxis-mcp workflow`: on the database when no server runs, on the live server when one does.
import { afterEach, expect, test } from 'bun:test';
import { join } from 'node:path';
import { runBinary } from '../helpers/process.ts';
import { startServer } from '../helpers/workflow-agents.ts';
import { demoWorkflow, makeProject } from '../helpers/workflow-project.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

test('workflow list, start, status, events and export, first on the database, then through the running server', async () => {
  const p = makeProject(demoWorkflow());
  cleanups.push(() => p.cleanup());
  const wf = (...args: string[]) => runBinary(['workflow', ...args, '--project', p.root]);

  const list = await wf('list');
  expect(list.code).toBe(0);
  expect(list.stdout).toContain('demo');
  const start = await wf('start', 'demo', 'src/a.ts');
  expect(start.code).toBe(0);
  expect(start.stdout).toContain('via database');
  const session = /Started (\S+)/.exec(start.stdout)![1]!;
  expect((await wf('status')).stdout).toContain(session);

  const { server } = await startServer(p.root, join(p.praxisDir, '.mcp_server_state.json'));
  cleanups.push(() => server.kill().then(() => {}));
  const claim = await wf('act', 'claim_next', `session_id=${session}`, '--agent', 'cli-agent');
  expect(claim.code).toBe(0);
  expect(JSON.parse(claim.stdout).claimed.task_id).toBe('1.1');
  const status = await wf('status', session);
  expect(status.stdout).toContain('1 claimed');
  expect(status.stdout).toContain('claim 1.1 by cli-agent');

  const events = (await wf('export', session)).stdout.trim().split('\n').map((l) => JSON.parse(l));
  expect(events.map((e) => [e.action, e.actor.transport, e.actor.client])).toEqual([
    ['start', 'cli', 'praxis-mcp-cli'],
    ['claim_next', 'http', 'praxis-mcp-cli'],
  ]);
  const md = await wf('export', session, '--format', 'md');
  expect(md.stdout).toContain(`# Workflow session ${session}`);
  expect(md.stdout).toContain('| 1 | Build | active |');
  const lines = await wf('events', session);
  expect(lines.stdout).toContain('claim_next task=1.1 by cli-agent (praxis-mcp-cli, http)');

  const bad = await wf('act', 'complete_task', `session_id=${session}`, 'task_id=1.1', '--agent', 'someone-else');
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toContain('is claimed by cli-agent; you are someone-else [not_claimed_by_you]');
  expect((await wf('export', session, '--format', 'xml')).code).toBe(2);
}, 60_000);
