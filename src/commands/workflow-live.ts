// `praxis-mcp workflow approve | reject | override | watch` (issue 14). Each opens the project
// database itself, never the server's tools: a decision is a person's act at the terminal, which
// no MCP client can make through a tool call.
import { PraxisError } from '../errors.ts';
import type { OpenEngine } from '../workflows/engine/open.ts';

type Answer = Record<string, any>;
const out = (text: string): void => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

export const LIVE_SUBCOMMANDS = ['approve', 'reject', 'override', 'watch'];

/** Who decides: the login name, at the terminal. */
function person(): { agent: string; client: string; transport: string } {
  const user = process.env.USER || process.env.USERNAME || 'person';
  return { agent: `${user}@cli`, client: 'praxis-mcp-cli', transport: 'cli' };
}

async function openDirect(projectFlag: string | undefined): Promise<OpenEngine> {
  const { locateProject } = await import('../project/locate.ts');
  const { openWorkflowEngine } = await import('../workflows/engine/open.ts');
  const project = locateProject({ flag: projectFlag });
  return openWorkflowEngine(project, { warn: (m) => process.stderr.write(`praxis-mcp: ${m}\n`) });
}

/** Runs one of LIVE_SUBCOMMANDS. */
export async function runLiveSubcommand(sub: string, positionals: string[], args: { project?: string; note?: string; json?: boolean; interval?: string }): Promise<void> {
  const opened = await openDirect(args.project);
  if (sub === 'watch') return watch(opened, positionals[0], args);
  try {
    const [session, phaseText] = positionals;
    const phase = Number(phaseText);
    if (!session || !Number.isInteger(phase)) throw new PraxisError('E_USAGE', `Usage: praxis-mcp workflow ${sub} SESSION PHASE${sub === 'approve' ? ' [--note TEXT]' : ' --note TEXT'}`);
    const { decide } = await import('../workflows/live/approvals.ts');
    let answer: Answer;
    try {
      answer = await decide(opened.engine.core, person(), session, phase, sub as 'approve' | 'reject' | 'override', args.note);
    } catch (error) {
      const e = error as { message?: string; remediation?: string };
      throw new PraxisError('E_TOOL_FAILED', `${sub}: ${e.message ?? String(error)}${e.remediation ? `\n  ${e.remediation}` : ''}`);
    }
    if (args.json) {
      out(JSON.stringify(answer, null, 2));
      return;
    }
    out(`${answer.decision === 'granted' ? 'Override granted' : answer.decision === 'approved' ? 'Approved' : 'Rejected'}: session ${answer.session_id} phase ${answer.phase}${answer.note ? ` (${answer.note})` : ''}; ${answer.next}.`);
  } finally {
    opened.close();
  }
}

/** Redraws on every commit to the database (PRAGMA data_version) and once a second for the lease clocks; plain event lines when stdout is not a terminal. */
async function watch(opened: OpenEngine, session: string | undefined, args: { interval?: string }): Promise<void> {
  const { sessionSnapshot, sessionsSnapshot } = await import('../workflows/live/snapshot.ts');
  const { eventLine, watchFrame } = await import('../workflows/live/render-watch.ts');
  const { engine, store } = opened;
  const tty = process.stdout.isTTY === true;
  const pollMs = Math.max(20, Number(args.interval ?? 150) || 150);
  const snaps = async () => {
    const ids = session ? [session] : (await sessionsSnapshot(engine)).sessions.map((s: Answer) => s.session_id as string);
    const all = await Promise.all(ids.map((id: string) => sessionSnapshot(engine, id, 8)));
    if (session && !all[0]) throw new PraxisError('E_USAGE', `No workflow session ${session} (praxis-mcp workflow status lists them)`);
    return all.filter((s): s is Answer => s !== undefined);
  };
  let lastSeq = 0;
  let version = -1;
  let lastDraw = 0;
  const tick = async () => {
    const v = store.dataVersion();
    const now = Date.now();
    if (v === version && !(tty && now - lastDraw >= 1000)) return;
    const changed = v !== version;
    version = v;
    if (tty) {
      lastDraw = now;
      process.stdout.write(`\x1b[H\x1b[2J${watchFrame('praxis-mcp workflow watch', await snaps(), now, process.stdout.columns || 120)}\n`);
      return;
    }
    if (!changed) return;
    const rows = engine.core.all<{ seq: number; session_id: string | null }>(
      session ? 'SELECT seq, session_id FROM wf_events WHERE seq > ? AND session_id = ? ORDER BY seq LIMIT 1000' : 'SELECT seq, session_id FROM wf_events WHERE seq > ? ORDER BY seq LIMIT 1000',
      ...(session ? [lastSeq, session] : [lastSeq]),
    );
    if (lastSeq === 0) {
      // First look: the state of each session, then only what happens from now on.
      for (const snap of await snaps()) out(`${snap.digest?.text ?? snap.session.session_id} · ${snap.session.session_id}`);
      lastSeq = engine.core.get<{ m: number | null }>('SELECT max(seq) AS m FROM wf_events')!.m ?? 0;
      return;
    }
    const { presentEvent } = await import('../workflows/engine/events.ts');
    for (const r of rows) {
      const row = engine.core.get<Parameters<typeof presentEvent>[0]>('SELECT * FROM wf_events WHERE seq = ?', r.seq)!;
      out(`${r.session_id?.slice(0, 8) ?? '-'} ${eventLine(presentEvent(row))}`);
      lastSeq = r.seq;
    }
  };
  let busy = false;
  await tick();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      tick()
        .catch((e) => process.stderr.write(`praxis-mcp: watch: ${(e as Error).message}\n`))
        .finally(() => (busy = false));
    }, pollMs);
    const stop = () => {
      clearInterval(timer);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  opened.close();
}
