/** Who acts: every event records all three. */
export interface Actor {
  /** The `agent_id` argument, else `<client>@<transport>`. */
  agent: string;
  /** The MCP client's name (clientInfo.name), the HTTP user agent, or "cli". */
  client: string;
  /** stdio, http, or cli (a CLI process writing the database directly). */
  transport: string;
}

const clean = (s: string | undefined) => (s ?? '').trim().slice(0, 200);

/** The actor of one call: an explicit agent id wins; otherwise the client and the transport name it. */
export function actorOf(agentId: string | undefined, client: string | undefined, transport: string): Actor {
  const c = clean(client) || 'unknown-client';
  const a = clean(agentId);
  return { agent: a || `${c}@${transport}`, client: c, transport };
}
