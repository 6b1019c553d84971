// Tiny, import-free state shared by the live workflow modules and the app (issue 14): the app
// consults it on every notification and at shutdown without loading the engine or the SDK.
import type { WorkflowLive } from './live.ts';

/** The live workflow state of each server process (context), once a workflow was used there. */
export const lives = new WeakMap<object, WorkflowLive>();

/** Per SDK server (one stdio connection): the URIs it subscribed to, and how to undo each. */
export const subscribedOn = new WeakMap<object, Map<string, () => void>>();

/**
 * Whether a notification should reach this connection: an update only if it subscribed to the URI
 * (2025 era, resources/subscribe). In the 2026-07-28 era the SDK itself sends notifications only
 * on the listen streams whose filter names the URI, so everything passes here.
 */
export function wantsNotification(server: object, n: { method: string; params?: Record<string, unknown> }, protocolVersion?: string): boolean {
  if (n.method !== 'notifications/resources/updated' || (protocolVersion ?? '') >= '2026-07-28') return true;
  return subscribedOn.get(server)?.has(String(n.params?.uri)) ?? false;
}

/** The SDK servers serving this process's own stdio (an IDE), which can be asked questions (elicitation). */
export const stdioServers = new Set<object>();
