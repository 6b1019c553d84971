// What follows a pos_workflow call (issue 14): clients are told of the change at once, and a claim
// taken over a connection with a visible end is remembered so that it ends with the connection.
import type { AppContext } from '../../context.ts';
import type { ToolCallInfo } from '../../registry/tool.ts';
import { actorOf } from '../engine/identity.ts';
import { liveFor } from './host-live.ts';

const CLAIMS = new Set(['claim_task', 'claim_next']);

/** Called after each pos_workflow call with its arguments and answer. */
export async function afterWorkflowCall(ctx: AppContext, args: { action: string; agent_id?: string; session_id?: string }, call: ToolCallInfo | undefined, result: Record<string, any>): Promise<void> {
  const live = await liveFor(ctx);
  live.touch();
  if (result.error_type === 'approval_required' && args.session_id) {
    // The person at an IDE that can be asked is asked, whichever agent (the IDE's own, a sub-agent
    // over HTTP) called; in the background: the agent's answer does not wait for the person.
    const phase = Number(result.phase ?? (args as { phase?: number }).phase ?? result.digest?.phase?.number);
    if (Number.isInteger(phase)) void import('./ask-person.ts').then((m) => m.askPersonToApprove(ctx, args.session_id!, phase, actorOf(args.agent_id, call?.client, call?.transport ?? 'stdio').agent));
  }
  if (!CLAIMS.has(args.action) || result.status !== 'success' || !call?.connection) return;
  const taskId: string | undefined = args.action === 'claim_next' ? result.claimed?.task_id : result.task_id;
  const sessionId: string | undefined = result.session_id ?? args.session_id;
  if (!taskId || !sessionId) return;
  live.trackClaim(call.connection, sessionId, taskId, actorOf(args.agent_id, call.client, call.transport ?? 'stdio').agent);
}
