import { afterEach, describe, expect, test } from 'bun:test';
import { openWorkflowEngine, type OpenEngine } from '../../src/workflows/engine/open.ts';
import { createDefinitionProvider } from '../../src/workflows/engine/provider.ts';
import { demoWorkflow, makeProject } from '../helpers/workflow-project.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function setup(files = demoWorkflow(), opts: Parameters<typeof openWorkflowEngine>[1] = {}) {
  const project = makeProject(files);
  const open: OpenEngine = openWorkflowEngine(project, opts);
  cleanups.push(() => {
    open.close();
    project.cleanup();
  });
  const call = (args: Record<string, unknown>, client = 'test-client', transport = 'http') =>
    open.engine.handle(args as never, { client, transport }) as Promise<Record<string, any>>;
  return { project, open, call };
}

describe('workflow engine', () => {
  test('start, claim in dependency order, complete tasks, gate, finish', async () => {
    const { call } = setup();
    const started = await call({ action: 'start', workflow_type: 'demo', target_file: 'src/x.ts' });
    expect(started.status).toBe('success');
    const id = started.session_id;
    expect(started.phase_count).toBe(2);
    expect(started.digest.text).toContain('phase 1/2');

    const a = await call({ action: 'claim_next', session_id: id, agent_id: 'a' });
    expect(a.claimed.task_id).toBe('1.1');
    const b = await call({ action: 'claim_next', session_id: id, agent_id: 'b' });
    expect(b.claimed.task_id).toBe('1.3'); // 1.2 waits for 1.1
    const blocked = await call({ action: 'claim_task', session_id: id, task_id: '1.2', agent_id: 'b' });
    expect(blocked.error_type).toBe('task_blocked');
    expect(blocked.waiting_for).toEqual(['1.1']);

    const wrong = await call({ action: 'complete_task', session_id: id, task_id: '1.1', agent_id: 'b' });
    expect(wrong.error_type).toBe('not_claimed_by_you');
    expect((await call({ action: 'complete_task', session_id: id, task_id: '1.1', agent_id: 'a' })).status).toBe('success');
    const c = await call({ action: 'claim_next', session_id: id, agent_id: 'a' });
    expect(c.claimed.task_id).toBe('1.2');
    expect(c.digest.your_claims).toEqual(['1.2']);

    const early = await call({ action: 'complete_phase', session_id: id, phase: 1, evidence: {} });
    expect(early.error_type).toBe('tasks_incomplete');
    await call({ action: 'complete_task', session_id: id, task_id: '1.2', agent_id: 'a' });
    await call({ action: 'complete_task', session_id: id, task_id: '1.3', agent_id: 'b' });
    const p1 = await call({ action: 'complete_phase', session_id: id, phase: 1, evidence: {} });
    expect(p1.status).toBe('success');
    expect(p1.next_phase.phase).toBe(2);

    const t = await call({ action: 'claim_next', session_id: id, agent_id: 'a' });
    expect(t.claimed.task_id).toBe('2.1');
    await call({ action: 'complete_task', session_id: id, task_id: '2.1', agent_id: 'a' });
    const done = await call({ action: 'complete_phase', session_id: id, phase: 2, evidence: { summary: 'ok' } });
    expect(done.status).toBe('success');
    expect(done.workflow_complete).toBe(true);
    const again = await call({ action: 'complete_phase', session_id: id, phase: 2, evidence: { summary: 'ok' } });
    expect(again.status).toBe('success');
    expect(again.already_completed).toBe(true);
    const other = await call({ action: 'complete_phase', session_id: id, phase: 2, evidence: { summary: 'different' } });
    expect(other.error_type).toBe('phase_already_completed');

    const events = await call({ action: 'get_events', session_id: id, limit: 500 });
    const phase2 = events.events.filter((e: any) => e.action === 'complete_phase' && e.phase === 2);
    expect(phase2.map((e: any) => e.input.evidence.summary)).toEqual(['ok', 'ok', 'different']);
    const errors = await call({ action: 'get_errors', session_id: id });
    expect(errors.events.map((e: any) => e.result.error_type)).toEqual(['task_blocked', 'not_claimed_by_you', 'tasks_incomplete', 'phase_already_completed']);
    expect(events.events[0].actor).toEqual({ agent: 'test-client@http', client: 'test-client', transport: 'http' });
  });

  test('request_id: the same request gets the same answer', async () => {
    const { call } = setup();
    const id = (await call({ action: 'start', workflow_type: 'demo', target_file: 'a' })).session_id;
    const first = await call({ action: 'claim_next', session_id: id, agent_id: 'a', request_id: 'r1' });
    const second = await call({ action: 'claim_next', session_id: id, agent_id: 'a', request_id: 'r1' });
    expect(second.claimed).toEqual(first.claimed);
    const third = await call({ action: 'claim_next', session_id: id, agent_id: 'a', request_id: 'r2' });
    expect(third.claimed.task_id).toBe('1.3');
  });

  test('leases expire back to ready with an event; heartbeat renews', async () => {
    let now = 1_700_000_000_000;
    const { call } = setup(demoWorkflow(), { now: () => now });
    const id = (await call({ action: 'start', workflow_type: 'demo', target_file: 'a' })).session_id;
    await call({ action: 'claim_task', session_id: id, task_id: '1.1', agent_id: 'a', lease_seconds: 60 });
    await call({ action: 'claim_task', session_id: id, task_id: '1.3', agent_id: 'b', lease_seconds: 60 });
    now += 50_000;
    expect((await call({ action: 'heartbeat', session_id: id, agent_id: 'b', lease_seconds: 60 })).renewed).toEqual(['1.3']);
    now += 20_000;
    const c = await call({ action: 'claim_next', session_id: id, agent_id: 'c' });
    expect(c.claimed.task_id).toBe('1.1');
    const late = await call({ action: 'complete_task', session_id: id, task_id: '1.1', agent_id: 'a' });
    expect(late.error_type).toBe('not_claimed_by_you');
    const events = await call({ action: 'get_events', session_id: id });
    expect(events.events.some((e: any) => e.action === 'lease_expired' && e.result.held_by === 'a')).toBe(true);
  });

  test('no silent join, deleted stays deleted, unknown type lists the known ones, paths from the root', async () => {
    const { call, project } = setup();
    const s1 = await call({ action: 'start', workflow_type: 'demo', target_file: 'src/../src/x.ts' });
    expect(s1.target_file).toBe('src/x.ts');
    const s2 = await call({ action: 'start', workflow_type: 'demo', target_file: `${project.root}/src/x.ts` });
    expect(s2.error_type).toBe('session_exists');
    expect(s2.existing_sessions).toEqual([s1.session_id]);
    const out = await call({ action: 'start', workflow_type: 'demo', target_file: '../elsewhere' });
    expect(out.error_type).toBe('path_outside_project');
    const att = await call({ action: 'attach', session_id: s1.session_id, agent_id: 'late' });
    expect(att.attached).toBe(true);
    expect((await call({ action: 'delete_session', session_id: s1.session_id })).deleted).toBe(true);
    const after = await call({ action: 'claim_next', session_id: s1.session_id });
    expect(after.error_type).toBe('session_deleted');
    expect((await call({ action: 'list_sessions' })).count).toBe(0);
    const unknown = await call({ action: 'start', workflow_type: 'nope', target_file: 'x' });
    expect(unknown.error_type).toBe('unknown_workflow');
    expect(unknown.known_workflows).toEqual(['demo']);
  });

  test('pause, resume, retry_phase and rollback keep the history', async () => {
    const { call } = setup();
    const id = (await call({ action: 'start', workflow_type: 'demo', target_file: 'a' })).session_id;
    for (const t of ['1.1', '1.2', '1.3']) {
      await call({ action: 'claim_task', session_id: id, task_id: t, agent_id: 'a' });
      await call({ action: 'complete_task', session_id: id, task_id: t, agent_id: 'a' });
    }
    await call({ action: 'complete_phase', session_id: id, phase: 1 });
    expect((await call({ action: 'pause', session_id: id })).session_status).toBe('paused');
    expect((await call({ action: 'claim_next', session_id: id })).error_type).toBe('session_paused');
    await call({ action: 'resume', session_id: id });
    const rb = await call({ action: 'rollback', session_id: id, to_phase: 1 });
    expect(rb.reopened_phase).toBe(1);
    expect((await call({ action: 'get_state', session_id: id })).phases.map((p: any) => p.status)).toEqual(['active', 'pending']);
    const retry = await call({ action: 'retry_phase', session_id: id, phase: 1, reset_evidence: true });
    expect(retry.reopened_tasks).toEqual(['1.1', '1.2', '1.3']);
    const next = await call({ action: 'claim_next', session_id: id, agent_id: 'a' });
    expect(next.claimed.task_id).toBe('1.1');
    const events = await call({ action: 'get_events', session_id: id });
    expect(events.events.filter((e: any) => e.action === 'complete_task').length).toBe(3);
  });

  test('retention archives stale sessions when a session starts', async () => {
    let now = 1_700_000_000_000;
    const { call } = setup(demoWorkflow(), { now: () => now, retentionDays: 1 });
    const old = (await call({ action: 'start', workflow_type: 'demo', target_file: 'a' })).session_id;
    now += 2 * 86_400_000;
    const fresh = await call({ action: 'start', workflow_type: 'demo', target_file: 'a' });
    expect(fresh.archived_sessions).toEqual([old]);
    expect((await call({ action: 'get_phase', session_id: old })).error_type).toBe('session_archived');
    expect((await call({ action: 'list_sessions', status: 'archived' })).count).toBe(1);
  });

  test('a gate runs its own checks: each failing check says expected, actual and what to do; advisory gates pass with a warning', async () => {
    const files = demoWorkflow();
    files['.praxis-os/workflows/demo/phases/1/gate-definition.yaml'] =
      'checks:\n  - { kind: file_exists, glob: "docs/{target_file}.md" }\n  - { kind: section_present, file: "docs/{target_file}.md", heading: "Design" }\n';
    files['.praxis-os/workflows/demo/phases/2/gate-definition.yaml'] =
      'checkpoint: { strict: false }\nevidence_schema:\n  summary: { type: string, required: true }\n';
    const { call, project } = setup(files);
    const id = (await call({ action: 'start', workflow_type: 'demo', target_file: 'plan' })).session_id;
    for (const t of ['1.1', '1.2', '1.3']) {
      await call({ action: 'claim_task', session_id: id, task_id: t, agent_id: 'a' });
      await call({ action: 'complete_task', session_id: id, task_id: t, agent_id: 'a' });
    }
    const failed = await call({ action: 'complete_phase', session_id: id, phase: 1 });
    expect(failed.error_type).toBe('gate_failed');
    expect(failed.failed_checks.map((c: any) => c.kind)).toEqual(['file_exists', 'section_present']);
    for (const c of failed.failed_checks) {
      expect(c.expected).toBeTruthy();
      expect(c.actual).toBeTruthy();
      expect(c.remediation).toBeTruthy();
    }
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(`${project.root}/docs`, { recursive: true });
    writeFileSync(`${project.root}/docs/plan.md`, '# Plan\n\n## Design\n\nText.\n');
    const passed = await call({ action: 'complete_phase', session_id: id, phase: 1 });
    expect(passed.status).toBe('success');
    expect(passed.gate.checks.every((c: any) => c.passed)).toBe(true);
    await call({ action: 'claim_task', session_id: id, task_id: '2.1', agent_id: 'a' });
    await call({ action: 'complete_task', session_id: id, task_id: '2.1', agent_id: 'a' });
    const phase2 = await call({ action: 'get_phase', session_id: id, phase: 2 });
    expect(phase2.status).toBe('success'); // the envelope, never shadowed by the phase's own status
    expect(phase2.phase_status).toBe('active');
    expect(phase2.gate.mode).toBe('advisory');
    const advisory = await call({ action: 'complete_phase', session_id: id, phase: 2, evidence: {} });
    expect(advisory.status).toBe('success');
    expect(advisory.gate.advisory).toBe(true);
    expect(advisory.warning).toContain('advisory');
  });

  test('a session pins the definition hash and warns when the files change under it', async () => {
    let now = 1_700_000_000_000;
    const files = demoWorkflow();
    const project = makeProject(files);
    const open = openWorkflowEngine(project, { now: () => now, defs: createDefinitionProvider(project.root, () => now) });
    cleanups.push(() => {
      open.close();
      project.cleanup();
    });
    const call = (args: Record<string, unknown>) => open.engine.handle(args as never, { client: 'c', transport: 'stdio' }) as Promise<Record<string, any>>;
    const started = await call({ action: 'start', workflow_type: 'demo', target_file: 'x' });
    expect((await call({ action: 'get_state', session_id: started.session_id })).warnings).toBeUndefined();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(`${project.root}/.praxis-os/workflows/demo/phases/1/phase.md`, '# Phase 1: Build, rewritten\n');
    now += 2000;
    const state = await call({ action: 'get_state', session_id: started.session_id });
    expect(state.warnings[0]).toContain('changed since this session started');
    expect(state.warnings[0]).toContain(started.definition_hash.slice(0, 12));
    // The session keeps its pinned phases: the claim still works.
    expect((await call({ action: 'claim_next', session_id: started.session_id, agent_id: 'a' })).claimed.task_id).toBe('1.1');
  });
});
