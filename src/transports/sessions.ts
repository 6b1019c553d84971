import { randomUUID } from 'node:crypto';

/** The 2025-era session header (spec 2025-11-25, "Session Management"). */
export const SESSION_HEADER = 'mcp-session-id';

/** How many ended session ids are remembered (their requests get 404); the oldest are forgotten first. */
export const MAX_ENDED_SESSIONS = 4096;

/**
 * 2025-era HTTP sessions, kept as light as the stateless server they sit on. The reply to an
 * `initialize` carries a new `Mcp-Session-Id`; real clients (the v1 and v2 SDKs, Gemini CLI...)
 * then send it with every request and on their notification stream, which is what ties a claim to
 * the stream whose end releases it (issue 14). Nothing else depends on a session: any request is
 * served with or without one (a server restarted under a client keeps serving it), except that a
 * session its client ended with `DELETE` is not found any more (404), as the spec asks.
 */
export interface HttpSessions {
  /** A new session id, for the reply to an `initialize`. */
  issue(): string;
  /** Whether the client ended this session with `DELETE`. */
  ended(id: string): boolean;
  /** The client ends its session (`DELETE`): `onEnd` is told once. */
  end(id: string): void;
}

export function createHttpSessions(onEnd: (id: string) => void = () => {}): HttpSessions {
  const ended = new Set<string>();
  return {
    issue: () => randomUUID(),
    ended: (id) => ended.has(id),
    end(id) {
      if (ended.has(id)) return;
      ended.add(id);
      if (ended.size > MAX_ENDED_SESSIONS) ended.delete(ended.values().next().value!);
      onEnd(id);
    },
  };
}

/** Whether a session id is one a client may send: visible ASCII (0x21-0x7E), at most 128 characters. */
export const isValidSessionId = (id: string) => /^[\x21-\x7e]{1,128}$/.test(id);
