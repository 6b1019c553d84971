/** Every action of `pos_workflow`: the original's 14, then the task and history actions (issue 13). */
export const ACTIONS = [
  'list_workflows',
  'start',
  'get_phase',
  'get_task',
  'complete_phase',
  'get_state',
  'list_sessions',
  'get_session',
  'delete_session',
  'pause',
  'resume',
  'retry_phase',
  'rollback',
  'get_errors',
  'claim_task',
  'claim_next',
  'heartbeat',
  'release_task',
  'complete_task',
  'add_task',
  'attach',
  'get_events',
] as const;

export type ActionName = (typeof ACTIONS)[number];

/** The flat arguments of one call (the tool's input object). */
export interface ActionArgs {
  action: ActionName;
  session_id?: string;
  workflow_type?: string;
  target_file?: string;
  options?: Record<string, unknown>;
  phase?: number;
  to_phase?: number;
  task_id?: string;
  task_number?: number;
  evidence?: unknown;
  result?: unknown;
  status?: string;
  category?: string;
  agent_id?: string;
  request_id?: string;
  reset_evidence?: boolean;
  lease_seconds?: number;
  name?: string;
  description?: string;
  depends_on?: string[];
  acceptance_criteria?: string[];
  after_seq?: number;
  limit?: number;
}

/** Where a call came from: the MCP client's name and the transport. */
export interface CallInfo {
  client?: string;
  transport: string;
}
