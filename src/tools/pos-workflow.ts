import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { type ToolCallInfo, defineTool, jsonResult } from '../registry/tool.ts';
import { ACTIONS } from '../workflows/engine/actions.ts';

type Host = typeof import('../workflows/engine/host.ts');
let host: Promise<Host> | undefined;

function buildSchema() {
  const id = z.string().max(200);
  const int = z.number().int().min(0).max(1_000_000);
  const obj = z.record(z.string(), z.unknown());
  return z.object({
    action: z.enum(ACTIONS),
    session_id: id.optional(),
    workflow_type: id.optional().describe('start'),
    target_file: z.string().max(4096).optional().describe('start: path relative to the project root'),
    options: obj.optional().describe('start: e.g. {"spec_path": ...} for a dynamic workflow, {"force_new": true}'),
    phase: int.optional().describe('Phase number (default: current)'),
    to_phase: int.optional().describe('rollback'),
    task_id: id.optional().describe('e.g. "1.2"'),
    task_number: int.optional().describe('get_task with phase'),
    evidence: obj.optional().describe('complete_phase: the gate\'s evidence'),
    result: obj.optional().describe('complete_task: what was done'),
    status: z.string().max(40).optional().describe('list_sessions filter; complete_task: done|skipped'),
    category: z.string().max(200).optional().describe('list_workflows filter'),
    agent_id: id.optional(),
    request_id: id.optional(),
    reset_evidence: z.boolean().optional().describe('retry_phase: reopen the phase\'s tasks too'),
    lease_seconds: int.optional(),
    name: z.string().max(500).optional().describe('add_task'),
    description: z.string().max(20_000).optional().describe('add_task'),
    depends_on: z.array(id).max(100).optional().describe('add_task: task ids'),
    acceptance_criteria: z.array(z.string().max(2000)).max(50).optional().describe('add_task'),
    after_seq: int.optional().describe('get_events/get_errors: page after this seq'),
    limit: int.optional().describe('get_events/get_errors page size'),
  });
}
let schema: ReturnType<typeof buildSchema> | undefined;

/**
 * `pos_workflow` (issue 13): phase-gated workflows shared by every agent of the project. One tool, a
 * flat input object with an `action` enum (a union at the top trips some clients; no tuples, so the
 * schema means the same under draft-07 and 2020-12). The engine and its database load on first use.
 */
export const posWorkflowTool = defineTool({
  name: 'pos_workflow',
  title: 'Workflows',
  description:
    'Phase-gated workflows from .praxis-os/workflows/, shared by every agent of this project. ' +
    'Typical loop: list_workflows; start (workflow_type, target_file) or attach (session_id); ' +
    'claim_next -> read get_task -> do the work -> complete_task; heartbeat while working (claims are 15-minute leases); ' +
    'complete_phase (phase, evidence) when the phase\'s tasks are done: the gate validates the evidence and runs its checks. ' +
    'Pass agent_id to name yourself (default: client name + transport); request_id makes a retry return the first answer. ' +
    'Every answer carries a digest (phase x/y, tasks done/claimed/ready, your claims).',
  // Built on first use (tools/list, tools/call): a server whose clients never list tools pays nothing for it.
  get inputSchema() {
    return (schema ??= buildSchema());
  },
  annotations: { readOnlyHint: false, idempotentHint: false, openWorldHint: false },
  async handler(args, ctx: AppContext, call?: ToolCallInfo) {
    const { engineFor } = await (host ??= import('../workflows/engine/host.ts'));
    const engine = await engineFor(ctx);
    const result = await engine.handle(args, { client: call?.client, transport: call?.transport ?? 'stdio' });
    await (await import('../workflows/live/after-call.ts')).afterWorkflowCall(ctx, args, call, result); // issue 14: notify, and claims end with their connection
    // Compact text: the same JSON as the structured content, without the indentation a model pays tokens for.
    const out = jsonResult(result, JSON.stringify(result));
    return result.status === 'error' ? { ...out, isError: true } : out;
  },
});
