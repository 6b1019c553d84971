// Benchmark of the workflow engine (issue 13). Not a timed test: it prints a Markdown table.
//   1. claim_next + complete_task over HTTP, 16 concurrent agents, against the compiled binary:
//      transitions per second (one transition = one claim or one completion, each its own
//      BEGIN IMMEDIATE transaction with its event) and per-call latency p50/p99.
//   2. get_state in process (engine.handle, the same path the tool takes): p50/p99.
//   3. Idle RSS of a server that never sees a workflow call, next to a baseline binary (e.g. one
//      built from main, without the engine), and after the first workflow call.
//   bun bench/workflows.bench.ts [--tasks 4000] [--agents 16] [--binary dist/praxis-mcp] [--baseline BINARY] [--rounds 3] [--only http,state,rss]
// The fair baseline for idle RSS is this tree built without pos_workflow in src/registry/tools.ts.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openWorkflowEngine } from '../src/workflows/engine/open.ts';
import { bulkWorkflow, makeProject } from '../test/helpers/workflow-project.ts';
import { cpuMs, rssMb } from './lib/procs.ts';

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1]! : fallback;
};
const TASKS = Number(arg('tasks', '4000'));
const AGENTS = Number(arg('agents', '16'));
const root = join(import.meta.dirname, '..');
const binary = arg('binary', join(root, 'dist', 'praxis-mcp'));
const baseline = arg('baseline', '');
const ROUNDS = Number(arg('rounds', '3'));
const ONLY = arg('only', 'http,state,rss').split(',');
const log = (m: string) => process.stderr.write(`bench: ${m}\n`);

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startServer(bin: string, projectRoot: string, statePath: string) {
  const proc = spawn(bin, ['serve', '--transport', 'http', '--port', '0', '--project', projectRoot], { stdio: ['ignore', 'ignore', 'pipe'] });
  proc.stderr!.on('data', () => {});
  for (let i = 0; i < 500; i++) {
    if (existsSync(statePath)) {
      try {
        const s = JSON.parse(readFileSync(statePath, 'utf8'));
        if (s.pid === proc.pid) return { proc, url: s.url as string, token: s.auth?.token as string };
      } catch {}
    }
    await pause(20);
  }
  proc.kill();
  throw new Error('server did not start');
}

function caller(url: string, token: string, agent: string) {
  let id = 0;
  return async (args: Record<string, unknown>) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}`, 'mcp-protocol-version': '2025-06-18' },
      body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method: 'tools/call', params: { name: 'pos_workflow', arguments: { agent_id: agent, ...args } } }),
    });
    const text = await res.text();
    return JSON.parse(text.slice(text.indexOf('data: ') + 6)).result.structuredContent as Record<string, any>;
  };
}

async function settleRss(pid: number): Promise<number> {
  let last = rssMb(pid) ?? 0;
  for (let i = 0; i < 15; i++) {
    await pause(1000);
    const now = rssMb(pid) ?? 0;
    if (i >= 2 && Math.abs(now - last) < 0.3) return now;
    last = now;
  }
  return last;
}

const rows: string[] = [];

// 1. HTTP throughput and latency.
if (ONLY.includes('http')) {
  const project = makeProject(bulkWorkflow(TASKS));
  const statePath = join(project.praxisDir, '.mcp_server_state.json');
  const { proc, url, token } = await startServer(binary, project.root, statePath);
  try {
    const admin = caller(url, token, 'admin');
    const session = (await admin({ action: 'start', workflow_type: 'bulk', target_file: 'bench' })).session_id as string;
    // Warm-up: 200 transitions.
    await Promise.all(Array.from({ length: 4 }, async (_, i) => {
      const call = caller(url, token, `warm-${i}`);
      for (let k = 0; k < 25; k++) {
        const c = await call({ action: 'claim_next', session_id: session });
        await call({ action: 'complete_task', session_id: session, task_id: c.claimed.task_id });
      }
    }));
    const latencies: number[] = [];
    let errors = 0;
    const cpu0 = cpuMs(proc.pid!) ?? 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: AGENTS }, async (_, i) => {
      const call = caller(url, token, `agent-${i}`);
      for (;;) {
        let s = performance.now();
        const c = await call({ action: 'claim_next', session_id: session });
        latencies.push(performance.now() - s);
        if (c.status !== 'success') errors++;
        if (!c.claimed) return;
        s = performance.now();
        const d = await call({ action: 'complete_task', session_id: session, task_id: c.claimed.task_id });
        latencies.push(performance.now() - s);
        if (d.status !== 'success') errors++;
      }
    }));
    const elapsed = (performance.now() - t0) / 1000;
    const serverCpu = (cpuMs(proc.pid!) ?? 0) - cpu0;
    latencies.sort((a, b) => a - b);
    const transitions = latencies.length - AGENTS; // each agent's last claim_next found nothing
    const rate = transitions / elapsed;
    const p50 = pct(latencies, 50);
    const p99 = pct(latencies, 99);
    log(`http: ${transitions} transitions in ${elapsed.toFixed(2)} s, ${errors} errors`);
    rows.push(`| claim_next + complete_task over HTTP, ${AGENTS} agents | ${rate.toFixed(0)} transitions/s (${(rate / 2).toFixed(0)} tasks/s) | >= 2,000/s | ${rate >= 2000 ? 'met' : 'NOT met'} |`);
    rows.push(`| per-call latency under that load | p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms | p99 <= 10 ms | ${p99 <= 10 ? 'met' : 'NOT met'} |`);
    rows.push(`| server CPU per transition | ${(serverCpu / latencies.length).toFixed(3)} ms (so one core serves at most ${(1000 / (serverCpu / latencies.length)).toFixed(0)} calls/s) | - | - |`);
    rows.push(`| errors reaching an agent | ${errors} | 0 | ${errors === 0 ? 'met' : 'NOT met'} |`);
  } finally {
    proc.kill();
    project.cleanup();
  }
}

// 2. get_state in process.
if (ONLY.includes('state')) {
  const project = makeProject(bulkWorkflow(1000));
  const opened = openWorkflowEngine(project);
  const call = (a: Record<string, unknown>) => opened.engine.handle(a as never, { client: 'bench', transport: 'stdio' });
  const session = (await call({ action: 'start', workflow_type: 'bulk', target_file: 'x' })).session_id as string;
  for (let i = 0; i < 300; i++) {
    const c = await call({ action: 'claim_next', session_id: session, agent_id: `a${i % 16}` });
    if (i % 2 === 0) await call({ action: 'complete_task', session_id: session, task_id: (c.claimed as any).task_id, agent_id: `a${i % 16}` });
  }
  for (let i = 0; i < 200; i++) await call({ action: 'get_state', session_id: session });
  const times: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const s = performance.now();
    await call({ action: 'get_state', session_id: session });
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  const p50 = pct(times, 50);
  rows.push(`| get_state in process (1,000 tasks, 150 claimed) | p50 ${p50.toFixed(3)} ms, p99 ${pct(times, 99).toFixed(3)} ms | p50 <= 1 ms | ${p50 <= 1 ? 'met' : 'NOT met'} |`);
  opened.close();
  project.cleanup();
}

// 3. Idle RSS.
if (ONLY.includes('rss')) {
  const measure = async (bin: string, useWorkflow: boolean) => {
    const project = makeProject(bulkWorkflow(10));
    const statePath = join(project.praxisDir, '.mcp_server_state.json');
    const { proc, url, token } = await startServer(bin, project.root, statePath);
    try {
      const idle = await settleRss(proc.pid!);
      let after: number | undefined;
      if (useWorkflow) {
        await caller(url, token, 'x')({ action: 'list_workflows' });
        after = await settleRss(proc.pid!);
      }
      return { idle, after };
    } finally {
      proc.kill();
      project.cleanup();
    }
  };
  // Alternating rounds, medians: other processes on the machine move RSS readings by a MB or two.
  const oursIdle: number[] = [];
  const oursAfter: number[] = [];
  const baseIdle: number[] = [];
  const withBase = baseline !== '' && existsSync(baseline);
  for (let round = 0; round < ROUNDS; round++) {
    const o = await measure(binary, true);
    oursIdle.push(o.idle);
    oursAfter.push(o.after!);
    if (withBase) baseIdle.push((await measure(baseline, false)).idle);
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const ours = { idle: med(oursIdle), after: med(oursAfter) };
  const base = withBase ? { idle: med(baseIdle) } : undefined;
  log(`rss: ours ${oursIdle.map((x) => x.toFixed(1)).join(', ')}; baseline ${baseIdle.map((x) => x.toFixed(1)).join(', ')}`);
  rows.push(`| idle RSS, no workflow call (median of ${ROUNDS}) | ${ours.idle.toFixed(1)} MB${base ? ` (baseline ${baseline.split('/').pop()}: ${base.idle.toFixed(1)} MB, ${(ours.idle - base.idle >= 0 ? '+' : '')}${(ours.idle - base.idle).toFixed(1)} MB)` : ''} | unchanged (at most 1 MB above the baseline, the noise between runs) | ${base ? (ours.idle - base.idle <= 1 ? 'met' : 'NOT met') : 'no baseline given'} |`);
  rows.push(`| RSS after the first workflow call | ${ours.after.toFixed(1)} MB (the engine and the database, loaded on first use) | - | - |`);
}

process.stdout.write(['| measure | result | target | |', '|---|---|---|---|', ...rows].join('\n') + '\n');
