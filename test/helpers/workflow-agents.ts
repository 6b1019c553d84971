// Agents that drive pos_workflow in tests: a CLI process (`praxis-mcp workflow act --stdin`, JSON
// lines in and out, writing the database directly) and a plain Streamable HTTP client of the owner.
import { type Spawned, spawnBinary, waitFor } from './process.ts';

export type Answer = Record<string, any>;

export interface WorkflowAgent {
  name: string;
  call(args: Record<string, unknown>): Promise<Answer>;
  close(): Promise<void>;
}

/** A `praxis-mcp workflow act --stdin` process: one JSON line per call, answered in order. */
export function cliAgent(root: string, agent: string, direct = true): WorkflowAgent & { child: Spawned; answers(): Answer[] } {
  const child = spawnBinary(['workflow', 'act', '--stdin', ...(direct ? ['--direct'] : []), '--agent', agent, '--project', root]);
  const waiting: ((a: Answer) => void)[] = [];
  const answers: Answer[] = [];
  let buffer = '';
  child.proc.stdout!.on('data', (d: Buffer) => {
    buffer += d.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (!line.trim()) continue;
      const answer = JSON.parse(line) as Answer;
      answers.push(answer);
      waiting.shift()?.(answer);
    }
  });
  return {
    name: agent,
    child,
    answers: () => answers,
    call(args) {
      return new Promise<Answer>((resolve, reject) => {
        if (child.proc.exitCode !== null) return reject(new Error(`${agent} exited: ${child.stderr()}`));
        waiting.push(resolve);
        child.proc.stdin!.write(`${JSON.stringify(args)}\n`);
      });
    },
    async close() {
      child.proc.stdin!.end();
      const code = await Promise.race([child.exited, new Promise((r) => setTimeout(() => r('timeout'), 10_000))]);
      if (code === 'timeout') await child.kill('SIGKILL');
    },
  };
}

/** A plain Streamable HTTP client (2025-era, stateless) calling pos_workflow on the owner. */
export function httpAgent(url: string, token: string | null, agent: string | undefined, client = 'http-agent'): WorkflowAgent {
  let id = 0;
  return {
    name: agent ?? client,
    async call(args) {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2025-06-18',
          'user-agent': client,
          ...(token && { authorization: `Bearer ${token}` }),
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method: 'tools/call', params: { name: 'pos_workflow', arguments: { ...(agent && { agent_id: agent }), ...args } } }),
      });
      const text = await res.text();
      const data = text.split('\n').find((l) => l.startsWith('data: '));
      if (!data) throw new Error(`HTTP ${res.status}: ${text.slice(0, 300)}`);
      const msg = JSON.parse(data.slice(6));
      if (msg.error) throw new Error(`JSON-RPC error: ${msg.error.message}`);
      const sc = msg.result.structuredContent;
      if (!sc) throw new Error(`no structured content: ${JSON.stringify(msg.result).slice(0, 300)}`);
      return sc;
    },
    async close() {},
  };
}

/** Claims and completes tasks until none is ready; returns every answer. */
export async function work(agent: WorkflowAgent, session: string, max = Infinity): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (let n = 0; n < max; n++) {
    const claim = await agent.call({ action: 'claim_next', session_id: session });
    answers.push(claim);
    if (claim.status !== 'success' || !claim.claimed) break;
    const done = await agent.call({ action: 'complete_task', session_id: session, task_id: claim.claimed.task_id });
    answers.push(done);
    if (done.status !== 'success') break;
  }
  return answers;
}

/** Starts `serve` on the project and returns its URL and token once its state file says so. */
export async function startServer(root: string, statePath: string, transport = 'http'): Promise<{ server: Spawned; url: string; token: string | null }> {
  const { readJson } = await import('./process.ts');
  const server = spawnBinary(['serve', '--transport', transport, '--port', '0', '--project', root]);
  const state = await waitFor(() => readJson(statePath), 'the state file', 15_000);
  return { server, url: state.url, token: state.auth?.token ?? null };
}
