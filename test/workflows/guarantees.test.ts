// The guarantees of issue 13, each against the compiled binary with real processes: no double
// claim and no lost update across server agents and CLI processes, two agents completing one
// phase at once, and crash safety under kill -9.
import { afterEach, describe, expect, test } from 'bun:test';
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { connectStdio } from '../helpers/clients.ts';
import { readJson, runBinary, waitFor } from '../helpers/process.ts';
import { type Answer, type WorkflowAgent, cliAgent, httpAgent, startServer, work } from '../helpers/workflow-agents.ts';
import { bulkWorkflow, makeProject } from '../helpers/workflow-project.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function project(files: Record<string, string>) {
  const p = makeProject(files);
  cleanups.push(() => p.cleanup());
  return { ...p, statePath: join(p.praxisDir, '.mcp_server_state.json'), db: join(p.praxisDir, '.cache', 'praxis.db') };
}

async function startSession(root: string, type: string, target = 'work'): Promise<string> {
  const r = await runBinary(['workflow', 'start', type, target, '--json', '--direct', '--project', root]);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout).session_id;
}

function allEvents(dbPath: string, session: string) {
  const db = new DatabaseSync(dbPath);
  try {
    return db.prepare('SELECT action, ok, task_id, agent, client, transport, input_json, result_json FROM wf_events WHERE session_id = ? ORDER BY seq').all(session) as any[];
  } finally {
    db.close();
  }
}

/** Counts the answers: every call is an event; no answer may be an error (busy or otherwise). */
function tally(answers: Answer[]) {
  const errors = answers.filter((a) => a.status !== 'success');
  return { calls: answers.length, errors };
}

describe('workflow guarantees (binary, real processes)', () => {
  test('16 HTTP agents and 4 CLI processes complete 1,000 tasks: each exactly once, events match, no busy error', async () => {
    const p = project(bulkWorkflow(1000));
    const session = await startSession(p.root, 'bulk');
    const answers: Answer[] = [];

    // First, no server: 4 CLI processes write the database directly, 100 tasks each.
    const clis1 = [0, 1, 2, 3].map((i) => cliAgent(p.root, `cli-a${i}`));
    cleanups.push(() => Promise.all(clis1.map((c) => c.close())).then(() => {}));
    for (const r of await Promise.all(clis1.map((c) => work(c, session, 100)))) answers.push(...r);
    await Promise.all(clis1.map((c) => c.close()));

    // Then with the owner running: 16 HTTP agents, and 4 CLI processes still writing directly.
    const { server, url, token } = await startServer(p.root, p.statePath);
    cleanups.push(() => server.kill().then(() => {}));
    const agents: WorkflowAgent[] = Array.from({ length: 16 }, (_, i) => httpAgent(url, token, `http-${i}`));
    const clis2 = [0, 1, 2, 3].map((i) => cliAgent(p.root, `cli-b${i}`));
    cleanups.push(() => Promise.all(clis2.map((c) => c.close())).then(() => {}));
    for (const r of await Promise.all([...agents, ...clis2].map((a) => work(a, session)))) answers.push(...r);
    await Promise.all(clis2.map((c) => c.close()));

    const { calls, errors } = tally(answers);
    expect(errors).toEqual([]);
    const completions = answers.filter((a) => a.action === 'complete_task');
    expect(completions.length).toBe(1000);
    expect(new Set(completions.map((a) => a.task_id)).size).toBe(1000);
    const claims = answers.filter((a) => a.action === 'claim_next' && a.claimed);
    expect(new Set(claims.map((a) => a.claimed.task_id)).size).toBe(1000);
    expect(claims.length).toBe(1000);

    const events = allEvents(p.db, session);
    expect(events.length).toBe(calls + 1); // every call, plus the start
    expect(events.filter((e) => e.action === 'complete_task' && e.ok === 1).length).toBe(1000);
    expect(events.filter((e) => e.ok === 0)).toEqual([]);
    expect(new Set(events.map((e) => e.transport))).toEqual(new Set(['cli', 'http']));
    const state = await httpAgent(url, token, 'checker').call({ action: 'get_state', session_id: session });
    expect(state.phases[0].tasks).toEqual({ done: 1000, claimed: 0, ready: 0, blocked: 0, skipped: 0 });
  }, 120_000);

  test('two agents complete the same phase at once (stdio and HTTP): one wins, the other is told, both evidences are recorded', async () => {
    const files = {
      '.praxis-os/workflows/gated/metadata.json': JSON.stringify({
        workflow_type: 'gated',
        version: '1',
        description: 'one gated phase, then another',
        phases: [{ phase_number: 1, phase_name: 'Decide', tasks: [] }, { phase_number: 2, phase_name: 'Do', tasks: [] }],
      }),
      '.praxis-os/workflows/gated/phases/1/phase.md': '# Decide\n',
      '.praxis-os/workflows/gated/phases/2/phase.md': '# Do\n',
      '.praxis-os/workflows/gated/phases/1/gate-definition.yaml': 'evidence_schema:\n  decision: { type: string, required: true }\n',
    };
    const p = project(files);
    const stdio = await connectStdio('v2', ['serve', '--transport', 'dual', '--port', '0', '--project', p.root]);
    cleanups.push(() => stdio.close());
    const state = await waitFor(() => readJson(p.statePath), 'the state file');
    const http = httpAgent(state.url, state.auth?.token ?? null, undefined, 'racer-http');
    const viaStdio = async (args: Record<string, unknown>) => (await stdio.callTool({ name: 'pos_workflow', arguments: args })).structuredContent as Answer;

    for (let round = 0; round < 5; round++) {
      const session = (await viaStdio({ action: 'start', workflow_type: 'gated', target_file: `t${round}` })).session_id;
      const [a, b] = await Promise.all([
        viaStdio({ action: 'complete_phase', session_id: session, phase: 1, evidence: { decision: 'stdio' } }),
        http.call({ action: 'complete_phase', session_id: session, phase: 1, evidence: { decision: 'http' } }),
      ]);
      const wins = [a, b].filter((x) => x.status === 'success');
      const losses = [a, b].filter((x) => x.status !== 'success');
      expect(wins.length).toBe(1);
      expect(losses.length).toBe(1);
      expect(losses[0]!.error_type).toBe('phase_already_completed');
      expect(losses[0]!.error).toContain('already completed by');
      expect(losses[0]!.remediation).toBeTruthy();
      const events = (await http.call({ action: 'get_events', session_id: session })).events.filter((e: Answer) => e.action === 'complete_phase');
      expect(events.map((e: Answer) => e.input.evidence.decision).sort()).toEqual(['http', 'stdio']);
      expect(events.map((e: Answer) => e.actor.transport).sort()).toEqual(['http', 'stdio']);
      expect(events.find((e: Answer) => e.actor.transport === 'stdio').actor.client).toBe('praxis-test');
    }
  }, 60_000);

  test('kill -9 of a writer in the middle of 1,000 transitions: integrity ok, nothing half applied, the next start continues', async () => {
    const p = project(bulkWorkflow(500));
    const session = await startSession(p.root, 'bulk');
    const writer = cliAgent(p.root, 'crasher');
    cleanups.push(() => writer.close());
    // 1,000 transitions (claim then complete of 500 tasks), sent at once; the writer is killed part-way.
    let lines = '';
    for (let k = 1; k <= 500; k++) {
      lines += `${JSON.stringify({ action: 'claim_task', session_id: session, task_id: `1.${k}` })}\n`;
      lines += `${JSON.stringify({ action: 'complete_task', session_id: session, task_id: `1.${k}` })}\n`;
    }
    writer.child.proc.stdin!.write(lines);
    await waitFor(() => writer.answers().length >= 300, '300 transitions', 30_000, 1);
    process.kill(writer.child.pid, 'SIGKILL');
    await writer.child.exited;
    const seen = writer.answers().length;
    expect(seen).toBeLessThan(1000);

    const db = new DatabaseSync(p.db);
    try {
      expect((db.prepare('PRAGMA integrity_check').get() as any).integrity_check).toBe('ok');
      const tasks = db.prepare('SELECT id, status, claimed_by, claims FROM wf_tasks WHERE session_id = ?').all(session) as any[];
      const events = db.prepare('SELECT action, ok, task_id FROM wf_events WHERE session_id = ? AND ok = 1').all(session) as any[];
      const claimed = new Set(events.filter((e) => e.action === 'claim_task').map((e) => e.task_id));
      const completed = new Set(events.filter((e) => e.action === 'complete_task').map((e) => e.task_id));
      // Every row agrees with the history: a transition is its row change and its event, or neither.
      for (const t of tasks) {
        if (t.status === 'done') expect(completed.has(t.id)).toBe(true);
        else if (t.status === 'claimed') expect(claimed.has(t.id) && !completed.has(t.id)).toBe(true);
        else expect(claimed.has(t.id)).toBe(false);
        expect(t.claims).toBe(claimed.has(t.id) ? 1 : 0);
      }
      expect(tasks.filter((t) => t.status === 'done').length).toBe(completed.size);
      expect(completed.size).toBeGreaterThanOrEqual(Math.floor(seen / 2) - 1);
    } finally {
      db.close();
    }

    // The next start continues: the same agent finishes what it held and the rest.
    const next = cliAgent(p.root, 'crasher');
    cleanups.push(() => next.close());
    const digest = (await next.call({ action: 'get_state', session_id: session })).digest;
    for (const held of digest.your_claims) expect((await next.call({ action: 'complete_task', session_id: session, task_id: held })).status).toBe('success');
    const rest = await work(next, session);
    expect(rest.filter((a) => a.status !== 'success')).toEqual([]);
    const state = await next.call({ action: 'get_state', session_id: session });
    expect(state.phases[0].tasks.done).toBe(500);
  }, 60_000);

  test('through a bridge: a second stdio server forwards pos_workflow to the owner, and the events name the IDE and stdio', async () => {
    const p = project(bulkWorkflow(3));
    const { server, url, token } = await startServer(p.root, p.statePath);
    cleanups.push(() => server.kill().then(() => {}));
    const bridged = await connectStdio('v1', ['serve', '--transport', 'dual', '--port', '0', '--project', p.root]);
    cleanups.push(() => bridged.close());
    const started = (await bridged.callTool({ name: 'pos_workflow', arguments: { action: 'start', workflow_type: 'bulk', target_file: 'x' } })).structuredContent as Answer;
    expect(started.status).toBe('success');
    const claimed = (await bridged.callTool({ name: 'pos_workflow', arguments: { action: 'claim_next', session_id: started.session_id } })).structuredContent as Answer;
    expect(claimed.claimed.task_id).toBe('1.1');
    expect(claimed.digest.your_claims).toEqual(['1.1']);
    // The owner (not the bridge) holds the state: an HTTP agent sees the claim.
    const state = await httpAgent(url, token, 'observer').call({ action: 'get_state', session_id: started.session_id });
    expect(state.claims).toEqual([expect.objectContaining({ task_id: '1.1', claimed_by: 'praxis-test@stdio' })]);
    const events = (await httpAgent(url, token, 'observer').call({ action: 'get_events', session_id: started.session_id })).events;
    expect(events[0].actor).toEqual({ agent: 'praxis-test@stdio', client: 'praxis-test', transport: 'stdio' });
  }, 60_000);
});
