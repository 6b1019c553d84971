// Each failure of the original pos_workflow (WORKFLOWS.md "What went wrong there") as a test that
// would fail on the original's behaviour, run against the compiled binary.
import { afterEach, describe, expect, test } from 'bun:test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBinary } from '../helpers/process.ts';
import { type Answer, cliAgent, startServer } from '../helpers/workflow-agents.ts';
import { demoWorkflow, makeProject } from '../helpers/workflow-project.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const DYNAMIC = {
  '.praxis-os/workflows/spec_run/metadata.json': JSON.stringify({
    workflow_type: 'spec_run',
    version: '1',
    description: 'phase 0, then the spec tasks.md phases',
    total_phases: 'dynamic',
    dynamic_phases: true,
    dynamic_config: { source_type: 'spec_tasks_md', source_path_key: 'spec_path' },
    phases: [
      { phase_number: 0, phase_name: 'Read the spec', tasks: [] },
      { phase_number: '1-N', phase_name: 'From tasks.md' },
    ],
  }),
  '.praxis-os/workflows/spec_run/phases/0/phase.md': '# Read the spec\n',
  'specs/login/tasks.md': `# Tasks

## Phase 1: Data model

- [ ] **Task 1.1**: Users table
  **Acceptance Criteria:**
  - [ ] has email
- [ ] **Task 1.2**: Sessions table
  - **Depends on:** Task 1.1

## Phase 2: API

- [ ] **Task 2.1**: POST /login
  - **Depends on:** Task 1.2

## Phase 3: Docs

- [ ] **Task 3.1**: Guide
`,
};

function project(files: Record<string, string>) {
  const p = makeProject(files);
  cleanups.push(() => p.cleanup());
  return p;
}

function agent(root: string, name: string) {
  const a = cliAgent(root, name);
  cleanups.push(() => a.close());
  return a;
}

async function finishPhase(a: ReturnType<typeof agent>, session: string, phase: number, evidence: Record<string, unknown> = {}): Promise<Answer> {
  for (;;) {
    const c = await a.call({ action: 'claim_next', session_id: session });
    if (!c.claimed) break;
    expect((await a.call({ action: 'complete_task', session_id: session, task_id: c.claimed.task_id })).status).toBe('success');
  }
  return a.call({ action: 'complete_phase', session_id: session, phase, evidence });
}

describe("the original's failures", () => {
  test('a dynamic workflow has the real phase count of its tasks.md and is not complete after phase 1', async () => {
    const p = project(DYNAMIC);
    const a = agent(p.root, 'dyn');
    const s = await a.call({ action: 'start', workflow_type: 'spec_run', target_file: 'specs/login', options: { spec_path: 'specs/login' } });
    expect(s.status).toBe('success');
    expect(s.phase_count).toBe(4);
    expect(s.phases.map((x: Answer) => x.phase)).toEqual([0, 1, 2, 3]);
    expect((await finishPhase(a, s.session_id, 0)).workflow_complete).toBe(false);
    const p1 = await finishPhase(a, s.session_id, 1);
    expect(p1.workflow_complete).toBe(false);
    expect(p1.next_phase).toEqual({ phase: 2, name: 'API' });
    const task = await a.call({ action: 'get_task', session_id: s.session_id, task_id: '2.1' });
    expect(task.task.status).toBe('ready');
    expect((await finishPhase(a, s.session_id, 2)).workflow_complete).toBe(false);
    expect((await finishPhase(a, s.session_id, 3)).workflow_complete).toBe(true);
    expect((await a.call({ action: 'get_state', session_id: s.session_id })).session.status).toBe('completed');
  }, 30_000);

  test('start never silently joins another agent\'s session', async () => {
    const p = project(demoWorkflow());
    const first = await agent(p.root, 'first').call({ action: 'start', workflow_type: 'demo', target_file: 'src/a.ts' });
    const b = agent(p.root, 'second');
    const second = await b.call({ action: 'start', workflow_type: 'demo', target_file: './src/a.ts' });
    expect(second.status).toBe('error');
    expect(second.error_type).toBe('session_exists');
    expect(second.existing_sessions).toEqual([first.session_id]);
    expect(second.remediation).toContain('attach');
    const joined = await b.call({ action: 'attach', session_id: first.session_id });
    expect(joined.attached).toBe(true);
    const separate = await b.call({ action: 'start', workflow_type: 'demo', target_file: 'src/a.ts', options: { force_new: true } });
    expect(separate.session_id).not.toBe(first.session_id);
    expect(separate.other_open_sessions).toEqual([first.session_id]);
  }, 30_000);

  test('a deleted session never comes back: not on a later write, not after a restart', async () => {
    const p = project(demoWorkflow());
    const a = agent(p.root, 'a');
    const s = (await a.call({ action: 'start', workflow_type: 'demo', target_file: 'x' })).session_id;
    await a.call({ action: 'claim_task', session_id: s, task_id: '1.1' });
    expect((await a.call({ action: 'delete_session', session_id: s })).status).toBe('success');
    for (const args of [
      { action: 'complete_task', task_id: '1.1' },
      { action: 'claim_next' },
      { action: 'complete_phase', phase: 1 },
      { action: 'resume' },
      { action: 'add_task', name: 'late' },
    ]) {
      expect((await a.call({ session_id: s, ...args })).error_type).toBe('session_deleted');
    }
    await a.close();
    // A fresh process, now through a server.
    const { server, url, token } = await startServer(p.root, join(p.praxisDir, '.mcp_server_state.json'));
    cleanups.push(() => server.kill().then(() => {}));
    const { httpAgent } = await import('../helpers/workflow-agents.ts');
    const h = httpAgent(url, token, 'b');
    expect((await h.call({ action: 'claim_next', session_id: s })).error_type).toBe('session_deleted');
    expect((await h.call({ action: 'list_sessions' })).count).toBe(0);
    expect((await h.call({ action: 'list_sessions', status: 'deleted' })).sessions.map((x: Answer) => x.session_id)).toEqual([s]);
    const events = await h.call({ action: 'get_events', session_id: s });
    expect(events.events.filter((e: Answer) => !e.ok).length).toBe(6);
  }, 30_000);

  test('an unknown workflow type is an error listing the known ones, never an invented workflow', async () => {
    const p = project(demoWorkflow());
    const a = agent(p.root, 'a');
    const r = await a.call({ action: 'start', workflow_type: 'spec_creation_v1', target_file: 'x' });
    expect(r.status).toBe('error');
    expect(r.error_type).toBe('unknown_workflow');
    expect(r.known_workflows).toEqual(['demo']);
    expect(r.remediation).toContain('demo');
    expect((await a.call({ action: 'list_sessions' })).count).toBe(0);
  }, 30_000);

  test('paths resolve against the project root, never the working directory', async () => {
    const p = project(DYNAMIC);
    // The working directory is another project with its own workflow and spec of the same names.
    const other = project({ ...demoWorkflow('elsewhere'), 'specs/login/tasks.md': '## Phase 1: Other\n\n- [ ] **Task 1.1**: other\n' });
    const list = await runBinary(['workflow', 'list', '--json', '--direct', '--project', p.root], { cwd: other.root });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout).workflows.workflows.map((w: Answer) => w.workflow_type)).toEqual(['spec_run']);
    const start = await runBinary(['workflow', 'start', 'spec_run', 'specs/login', '--options', '{"spec_path":"specs/login"}', '--json', '--direct', '--project', p.root], { cwd: other.root });
    expect(start.code).toBe(0);
    const s = JSON.parse(start.stdout);
    expect(s.target_file).toBe('specs/login');
    expect(s.phase_count).toBe(4); // the project's tasks.md (3 phases), not the working directory's (1)
    mkdirSync(join(other.root, 'only-here'), { recursive: true });
    writeFileSync(join(other.root, 'only-here', 'tasks.md'), '## Phase 1: X\n\n- [ ] **Task 1.1**: x\n');
    const missing = await runBinary(['workflow', 'start', 'spec_run', 'y', '--options', '{"spec_path":"only-here"}', '--json', '--direct', '--project', p.root], { cwd: other.root });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('only-here');
  }, 30_000);

  test('no evidence is dropped: failed and repeated submissions are all in the history', async () => {
    const p = project(demoWorkflow());
    const a = agent(p.root, 'a');
    const s = (await a.call({ action: 'start', workflow_type: 'demo', target_file: 'x' })).session_id;
    await finishPhase(a, s, 1);
    for (;;) {
      const c = await a.call({ action: 'claim_next', session_id: s });
      if (!c.claimed) break;
      await a.call({ action: 'complete_task', session_id: s, task_id: c.claimed.task_id });
    }
    const bad = await a.call({ action: 'complete_phase', session_id: s, phase: 2, evidence: { summery: 'typo' } });
    expect(bad.status).toBe('error');
    expect(bad.error_type).toBe('gate_failed');
    expect(bad.evidence_errors.length).toBeGreaterThan(0);
    const good = await a.call({ action: 'complete_phase', session_id: s, phase: 2, evidence: { summary: 'checked' } });
    expect(good.status).toBe('success');
    const b = agent(p.root, 'b');
    const late = await b.call({ action: 'complete_phase', session_id: s, phase: 2, evidence: { summary: 'mine too' } });
    expect(late.error_type).toBe('phase_already_completed');
    const events = (await a.call({ action: 'get_events', session_id: s })).events.filter((e: Answer) => e.action === 'complete_phase' && e.phase === 2);
    expect(events.map((e: Answer) => [e.ok, e.actor.agent, e.input.evidence])).toEqual([
      [false, 'a', { summery: 'typo' }],
      [true, 'a', { summary: 'checked' }],
      [false, 'b', { summary: 'mine too' }],
    ]);
    const errors = (await a.call({ action: 'get_errors', session_id: s })).events.map((e: Answer) => e.result.error_type);
    expect(errors).toEqual(['gate_failed', 'phase_already_completed']);
  }, 30_000);
});
