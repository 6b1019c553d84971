import type { CallToolResult, JSONRPCMessage } from '@modelcontextprotocol/server';
import { defineCommand } from 'citty';
import { createInterface } from 'node:readline';
import { discoverServer } from '../discovery.ts';
import { PraxisError } from '../errors.ts';
import { CLIENT_HEADER } from '../registry/tool.ts';
import { type RpcTarget, postRpc } from '../transports/rpc-over-http.ts';
import type { ActionArgs } from '../workflows/engine/actions.ts';
import { buildToolArguments } from './call-args.ts';
import { projectArg } from './serve.ts';
import { LIVE_SUBCOMMANDS, runLiveSubcommand } from './workflow-live.ts';

type Answer = Record<string, any>;
/** One action, on the live server or on the database directly. */
type Caller = { via: string; call(args: Record<string, unknown>): Promise<Answer>; close(): void };

const CLI_CLIENT = 'praxis-mcp-cli';
const SUBCOMMANDS = ['list', 'start', 'status', 'events', 'export', 'act', ...LIVE_SUBCOMMANDS];

async function viaServer(target: RpcTarget): Promise<Caller> {
  let next = 1;
  return {
    via: `server ${target.url}`,
    async call(args) {
      let reply: (JSONRPCMessage & { result?: CallToolResult; error?: { message: string } }) | undefined;
      const status = await postRpc(
        { ...target, headers: { [CLIENT_HEADER]: CLI_CLIENT } },
        { jsonrpc: '2.0', id: next++, method: 'tools/call', params: { name: 'pos_workflow', arguments: args } },
        (m) => void (reply = m as typeof reply),
      );
      if (!reply) throw new PraxisError('E_TOOL_FAILED', `the server answered HTTP ${status} without a reply`);
      if (reply.error) throw new PraxisError('E_TOOL_FAILED', `pos_workflow failed: ${reply.error.message}`);
      const sc = reply.result?.structuredContent as Answer | undefined;
      if (!sc) throw new PraxisError('E_TOOL_FAILED', `the server's pos_workflow gave no structured answer: ${JSON.stringify(reply.result).slice(0, 300)}`);
      return sc;
    },
    close() {},
  };
}

async function direct(project: { root: string; praxisDir: string }): Promise<Caller> {
  const { openWorkflowEngine } = await import('../workflows/engine/open.ts');
  const opened = openWorkflowEngine(project, { warn: (m) => process.stderr.write(`praxis-mcp: ${m}\n`) });
  return {
    via: `database ${opened.store.path}`,
    call: (args) => opened.engine.handle(args as unknown as ActionArgs, { client: CLI_CLIENT, transport: 'cli' }),
    close: () => opened.close(),
  };
}

async function connect(projectFlag: string | undefined, forceDirect: boolean): Promise<Caller> {
  const found = await discoverServer(projectFlag);
  if (!forceDirect && found.liveness.kind === 'live' && found.liveness.state.url) {
    return viaServer({ url: found.liveness.state.url, token: found.liveness.state.auth?.token ?? null });
  }
  return direct(found.project);
}

const out = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

function failIfError(answer: Answer): Answer {
  if (answer.status === 'error') {
    throw new PraxisError('E_TOOL_FAILED', `${answer.action}: ${answer.error} [${answer.error_type}]${answer.remediation ? `\n  ${answer.remediation}` : ''}`);
  }
  return answer;
}

async function allEvents(caller: Caller, session: string): Promise<Answer[]> {
  const events: Answer[] = [];
  let after = 0;
  for (;;) {
    const page = failIfError(await caller.call({ action: 'get_events', session_id: session, after_seq: after, limit: 500 }));
    events.push(...page.events);
    if (page.next_after_seq === null || page.next_after_seq === undefined) return events;
    after = page.next_after_seq;
  }
}

const eventLine = (e: Answer) =>
  `${String(e.seq).padStart(6)} ${e.at} ${e.ok ? 'ok   ' : 'ERROR'} ${e.action}${e.phase !== undefined ? ` phase=${e.phase}` : ''}${e.task_id ? ` task=${e.task_id}` : ''} by ${e.actor.agent} (${e.actor.client}, ${e.actor.transport})${e.ok ? '' : `: ${e.result?.error_type ?? ''} ${e.result?.error ?? ''}`}`;

function markdownReport(state: Answer, events: Answer[]): string {
  const s = state.session;
  const lines = [
    `# Workflow session ${s.session_id}`,
    '',
    `- workflow: ${s.workflow_type}`,
    `- target: ${s.target_file}`,
    `- status: ${s.status}`,
    `- started: ${s.created_at} by ${s.created_by}`,
    '',
    '## Phases',
    '',
    '| phase | name | status | done | claimed | ready | blocked | completed by |',
    '|---|---|---|---|---|---|---|---|',
    ...state.phases.map((p: Answer) => `| ${p.phase} | ${p.name} | ${p.status} | ${p.tasks.done + p.tasks.skipped} | ${p.tasks.claimed} | ${p.tasks.ready} | ${p.tasks.blocked} | ${p.completed_by ?? ''} |`),
    '',
    `## History (${events.length} events)`,
    '',
    '| seq | time | action | ok | phase | task | agent | client | transport | detail |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...events.map((e) =>
      `| ${e.seq} | ${e.at} | ${e.action} | ${e.ok ? 'yes' : 'no'} | ${e.phase ?? ''} | ${e.task_id ?? ''} | ${e.actor.agent} | ${e.actor.client} | ${e.actor.transport} | ${e.ok ? '' : String(e.result?.error ?? '').replace(/\|/g, '\\|').slice(0, 200)} |`,
    ),
  ];
  return lines.join('\n');
}

/** `praxis-mcp workflow ...`: workflows and sessions from the terminal (issue 13). */
export const workflowCommand = defineCommand({
  meta: {
    name: 'workflow',
    description:
      'Workflows: list | start TYPE TARGET | status [SESSION] | events SESSION | export SESSION [--format jsonl|md] | act ACTION [key=value ...] (uses the running server, else the project database) | approve|reject|override SESSION PHASE [--note TEXT] | watch [SESSION] (the database directly)',
  },
  args: {
    sub: { type: 'positional', description: `One of: ${SUBCOMMANDS.join(', ')}`, required: true },
    ...projectArg,
    format: { type: 'string', description: 'export: jsonl (default) or md', valueHint: 'jsonl|md' },
    options: { type: 'string', description: 'start: options as a JSON object, e.g. {"spec_path": "specs/x"}', valueHint: 'JSON' },
    agent: { type: 'string', description: 'act/start: the agent id to act as', valueHint: 'ID' },
    json: { type: 'boolean', description: 'Print the raw answers as JSON', default: false },
    direct: { type: 'boolean', description: 'Use the project database even when a server runs', default: false },
    args: { type: 'string', description: 'act: the arguments as a JSON object (merged under key=value words)', valueHint: 'JSON' },
    stdin: { type: 'boolean', description: 'act: read one JSON arguments object per line, answer one JSON line each', default: false },
    note: { type: 'string', description: 'approve/reject/override: the note (the reason, for reject and override)', valueHint: 'TEXT' },
    interval: { type: 'string', description: 'watch: how often to look for changes, in ms (default 150)', valueHint: 'MS' },
  },
  async run({ args }) {
    const sub = args.sub;
    if (!SUBCOMMANDS.includes(sub)) throw new PraxisError('E_USAGE', `Unknown workflow command "${sub}". Commands: ${SUBCOMMANDS.join(', ')}.`);
    const positionals = (args._ as string[]).slice(1);
    const agent = args.agent ? { agent_id: args.agent } : {};
    if (LIVE_SUBCOMMANDS.includes(sub)) return runLiveSubcommand(sub, positionals, args);
    const caller = await connect(args.project, args.direct);
    try {
      switch (sub) {
        case 'list': {
          const a = failIfError(await caller.call({ action: 'list_workflows' }));
          const sessions = failIfError(await caller.call({ action: 'list_sessions' }));
          if (args.json) return out(JSON.stringify({ workflows: a, sessions }, null, 2));
          out(a.count === 0 ? 'No workflows: add one under .praxis-os/workflows/ (praxis-mcp init installs starters).' : 'Workflows:');
          for (const w of a.workflows) out(`  ${w.workflow_type.padEnd(24)} ${String(w.phases).padEnd(6)} ${w.description}`);
          for (const e of a.load_errors ?? []) out(`  (not loaded) ${e.dir}: ${e.message}`);
          out(sessions.count === 0 ? 'No open sessions.' : 'Open sessions:');
          for (const s of sessions.sessions) out(`  ${s.session_id}  ${s.workflow_type} on ${s.target_file}  ${s.status}, phase ${s.current_phase}/${s.phase_count}`);
          return;
        }
        case 'start': {
          const [type, target] = positionals;
          if (!type || !target) throw new PraxisError('E_USAGE', 'Usage: praxis-mcp workflow start TYPE TARGET [--options JSON]');
          let options: unknown;
          try {
            options = args.options ? JSON.parse(args.options) : undefined;
          } catch {
            throw new PraxisError('E_USAGE', '--options must be a JSON object');
          }
          const a = failIfError(await caller.call({ action: 'start', workflow_type: type, target_file: target, ...(options !== undefined && { options }), ...agent }));
          if (args.json) return out(JSON.stringify(a, null, 2));
          out(`Started ${a.session_id} (${a.workflow_type} on ${a.target_file}, ${a.phase_count} phases) via ${caller.via}`);
          for (const w of a.not_enforced ?? []) out(`  not enforced: ${w}`);
          out(a.digest.text);
          out(`Next: an agent calls pos_workflow {"action": "claim_next", "session_id": "${a.session_id}"}`);
          return;
        }
        case 'status': {
          const [session] = positionals;
          if (!session) {
            const s = failIfError(await caller.call({ action: 'list_sessions' }));
            if (args.json) return out(JSON.stringify(s, null, 2));
            if (s.count === 0) return out('No open sessions (praxis-mcp workflow start TYPE TARGET begins one).');
            for (const x of s.sessions) out(`${x.session_id}  ${x.workflow_type} on ${x.target_file}  ${x.status}, phase ${x.current_phase}/${x.phase_count}, updated ${x.updated_at}`);
            return;
          }
          const st = failIfError(await caller.call({ action: 'get_state', session_id: session }));
          if (args.json) return out(JSON.stringify(st, null, 2));
          out(st.digest.text);
          for (const p of st.phases) {
            out(`  phase ${p.phase} ${p.name}: ${p.status} · ${p.tasks.done + p.tasks.skipped} done, ${p.tasks.claimed} claimed, ${p.tasks.ready} ready, ${p.tasks.blocked} blocked${p.gate ? ` · gate ${p.gate}` : ''}`);
          }
          for (const c of st.claims) out(`  claim ${c.task_id} by ${c.claimed_by} until ${c.lease_until}${c.expired ? ' (expired)' : ''}`);
          for (const w of st.warnings ?? []) out(`  warning: ${w}`);
          return;
        }
        case 'events':
        case 'export': {
          const [session] = positionals;
          if (!session) throw new PraxisError('E_USAGE', `Usage: praxis-mcp workflow ${sub} SESSION`);
          const events = await allEvents(caller, session);
          const format = args.format ?? (sub === 'export' ? 'jsonl' : 'text');
          if (sub === 'export' && format === 'md') {
            const st = failIfError(await caller.call({ action: 'get_state', session_id: session }));
            return out(markdownReport(st, events));
          }
          if (sub === 'export' && format !== 'jsonl') throw new PraxisError('E_USAGE', `--format must be jsonl or md, not ${format}`);
          if (args.json || format === 'jsonl') return out(events.map((e) => JSON.stringify(e)).join('\n'));
          for (const e of events) out(eventLine(e));
          return;
        }
        case 'act': {
          if (args.stdin) {
            const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
            for await (const line of rl) {
              if (!line.trim()) continue;
              let parsed: unknown;
              try {
                parsed = JSON.parse(line);
              } catch {
                out(JSON.stringify({ status: 'error', error: 'not a JSON object', error_type: 'invalid_input' }));
                continue;
              }
              out(JSON.stringify(await caller.call({ ...agent, ...(parsed as object) })));
            }
            return;
          }
          const [action, ...words] = positionals;
          if (!action) throw new PraxisError('E_USAGE', 'Usage: praxis-mcp workflow act ACTION [key=value ...] (or --stdin for JSON lines)');
          const a = await caller.call({ action, ...agent, ...(args.args ? buildToolArguments(['--args', args.args]) : {}), ...buildToolArguments(words, { properties: { phase: { type: 'integer' }, to_phase: { type: 'integer' }, task_number: { type: 'integer' }, lease_seconds: { type: 'integer' }, after_seq: { type: 'integer' }, limit: { type: 'integer' }, session_id: { type: 'string' }, task_id: { type: 'string' }, agent_id: { type: 'string' }, request_id: { type: 'string' }, target_file: { type: 'string' }, workflow_type: { type: 'string' }, name: { type: 'string' }, description: { type: 'string' }, status: { type: 'string' }, depends_on: { type: 'array' } } }) });
          out(JSON.stringify(a, null, 2));
          failIfError(a);
          return;
        }
      }
    } finally {
      caller.close();
    }
  },
});
