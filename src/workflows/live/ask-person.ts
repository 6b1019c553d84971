// Approval by elicitation (issue 14): when an agent's complete_phase waits for a person, the server
// asks the person at an IDE whose client can be asked (2025 era, elicitation form mode): the IDE on
// this process's own stdio first, else one behind a bridge (a second `serve` for the project),
// asked on the bridge's notification stream (connections.ts); never an HTTP client. Their
// answer is recorded as a person's decision (transport "elicitation"); the agent still cannot
// answer through a tool call. One IDE is asked per question.
import type { AppContext } from '../../context.ts';
import { engineFor } from '../engine/host.ts';
import { decide } from './approvals.ts';
import { stdioServers } from './registry.ts';

interface Askable {
  server: {
    getClientCapabilities(): { elicitation?: Record<string, unknown> } | undefined;
    getClientVersion(): { name?: string } | undefined;
    elicitInput(params: Record<string, unknown>): Promise<{ action: string; content?: Record<string, unknown> }>;
  };
}

// One question per (session, phase) at a time.
const asking = new Set<string>();

/** Asks the person at an IDE to approve or reject; resolves once answered (or not asked). */
export async function askPersonToApprove(ctx: AppContext, sessionId: string, phase: number, requestedBy: string): Promise<'asked' | 'not-asked'> {
  const server = [...stdioServers].map((s) => s as Askable).find((s) => {
    const c = s.server.getClientCapabilities()?.elicitation;
    return c !== undefined && (Object.keys(c).length === 0 || c.form !== undefined);
  });
  const remote = server ? undefined : ctx.clients?.canElicit()[0];
  const key = `${sessionId}\n${phase}`;
  if ((!server && !remote) || asking.has(key)) return 'not-asked';
  asking.add(key);
  try {
    const params = {
      mode: 'form',
      message: `praxis-mcp: ${requestedBy} finished phase ${phase} of workflow session ${sessionId} and its gate passed. Approve it, or reject it with a note?`,
      requestedSchema: {
        type: 'object',
        properties: {
          decision: { type: 'string', title: 'Decision', enum: ['approve', 'reject'] },
          note: { type: 'string', title: 'Note (needed to reject)' },
        },
        required: ['decision'],
      },
    };
    const answer = (server ? await server.server.elicitInput(params) : await ctx.clients!.request(remote!.connection, 'elicitation/create', params)) as {
      action?: unknown;
      content?: Record<string, unknown>;
    };
    if (answer.action !== 'accept' || !answer.content) return 'asked';
    const decision = answer.content.decision === 'approve' ? 'approve' : answer.content.decision === 'reject' ? 'reject' : undefined;
    if (!decision) return 'asked';
    const note = typeof answer.content.note === 'string' && answer.content.note.trim() ? answer.content.note : undefined;
    const client = (server ? server.server.getClientVersion()?.name : remote!.client) ?? 'ide';
    const engine = await engineFor(ctx);
    await decide(engine.core, { agent: `person@${client}`, client, transport: 'elicitation' }, sessionId, phase, decision, note).catch((e) =>
      ctx.log.warn(`workflows: the person's ${decision} of phase ${phase} was not recorded: ${(e as Error).message}`),
    );
    return 'asked';
  } catch (error) {
    ctx.log.debug(`workflows: could not ask for approval: ${(error as Error).message}`);
    return 'not-asked';
  } finally {
    asking.delete(key);
  }
}
