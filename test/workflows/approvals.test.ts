import { afterEach, expect, test } from 'bun:test';
import { openWorkflowEngine, type OpenEngine } from '../../src/workflows/engine/open.ts';
import { decide } from '../../src/workflows/live/approvals.ts';
import { demoWorkflow, makeProject } from '../helpers/workflow-project.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function setup(gate: string) {
  const files = demoWorkflow();
  files['.praxis-os/workflows/demo/phases/1/gate-definition.yaml'] = gate;
  const project = makeProject(files);
  const open: OpenEngine = openWorkflowEngine(project);
  cleanups.push(() => {
    open.close();
    project.cleanup();
  });
  const call = (args: Record<string, unknown>) => open.engine.handle(args as never, { client: 'agent', transport: 'http' }) as Promise<Record<string, any>>;
  const person = { agent: 'person@cli', client: 'praxis-mcp-cli', transport: 'cli' };
  return { open, call, person };
}

async function finishPhase1(call: (a: Record<string, unknown>) => Promise<Record<string, any>>, id: string) {
  for (const t of ['1.1', '1.2', '1.3']) {
    await call({ action: 'claim_task', session_id: id, task_id: t });
    await call({ action: 'complete_task', session_id: id, task_id: t });
  }
}

test('approval: required holds a passing phase until a person approves; no action approves; rejection reaches the agent with its note', async () => {
  const { open, call, person } = setup('approval: required\nevidence_schema:\n  summary: { type: string, required: true }\n');
  const id = (await call({ action: 'start', workflow_type: 'demo', target_file: 'x' })).session_id;
  await finishPhase1(call, id);
  // A failing gate fails as before, before any approval is asked.
  expect((await call({ action: 'complete_phase', session_id: id, phase: 1, evidence: {} })).error_type).toBe('gate_failed');
  const held = await call({ action: 'complete_phase', session_id: id, phase: 1, evidence: { summary: 'ok' } });
  expect(held.error_type).toBe('approval_required');
  expect(held.remediation).toContain(`praxis-mcp workflow approve ${id} 1`);
  expect((await call({ action: 'get_state', session_id: id })).current_phase?.number ?? 1).toBe(1);
  // An agent cannot approve by any action.
  expect((await call({ action: 'approve', session_id: id, phase: 1 })).error_type).toBe('unknown_action');
  expect((await call({ action: 'complete_phase', session_id: id, phase: 1, evidence: { summary: 'ok' } })).error_type).toBe('approval_required');

  await decide(open.engine.core, person, id, 1, 'reject', 'the summary is too thin');
  const rejected = await call({ action: 'complete_phase', session_id: id, phase: 1, evidence: { summary: 'better' } });
  expect(rejected.error_type).toBe('approval_rejected');
  expect(rejected.error).toContain('the summary is too thin');

  await decide(open.engine.core, person, id, 1, 'approve', 'fine');
  const done = await call({ action: 'complete_phase', session_id: id, phase: 1, evidence: { summary: 'better' } });
  expect(done.status).toBe('success');
  const events = (await call({ action: 'get_events', session_id: id, limit: 500 })).events.map((e: any) => e.action);
  expect(events).toContain('approval_requested');
  expect(events).toContain('reject');
  expect(events).toContain('approve');
});

test('override: a person waives a failed strict gate with a reason; the phase completes with the failures shown and the reason recorded', async () => {
  const { open, call, person } = setup('checks:\n  - { kind: file_exists, glob: "docs/none.md" }\n');
  const id = (await call({ action: 'start', workflow_type: 'demo', target_file: 'x' })).session_id;
  await finishPhase1(call, id);
  expect((await call({ action: 'complete_phase', session_id: id, phase: 1 })).error_type).toBe('gate_failed');
  await expect(decide(open.engine.core, person, id, 1, 'override')).rejects.toThrow(/reason/);
  await decide(open.engine.core, person, id, 1, 'override', 'docs come in the next phase');
  const done = await call({ action: 'complete_phase', session_id: id, phase: 1 });
  expect(done.status).toBe('success');
  expect(JSON.stringify(done)).toContain('waived by a person: docs come in the next phase');
  const override = (await call({ action: 'get_events', session_id: id, limit: 500 })).events.find((e: any) => e.action === 'override' && e.ok);
  expect(override.actor.transport).toBe('cli');
  expect(override.input.note).toBe('docs come in the next phase');
});

test('a phase with unfinished tasks is refused as before, and no approval is asked for it', async () => {
  const { open, call } = setup('approval: required\n');
  const id = (await call({ action: 'start', workflow_type: 'demo', target_file: 'x' })).session_id;
  await call({ action: 'claim_task', session_id: id, task_id: '1.1' });
  expect((await call({ action: 'complete_phase', session_id: id, phase: 1 })).error_type).toBe('tasks_incomplete');
  expect(open.engine.core.get<{ n: number }>('SELECT count(*) AS n FROM wf_approvals')!.n).toBe(0);
});
