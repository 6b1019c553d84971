// Workflow state as MCP resources (issue 14): praxis://workflows (definitions),
// praxis://workflows/sessions (open sessions) and praxis://workflows/sessions/{id} (get_state plus
// recent events, pending approvals and the last refused complete_phase). resources/subscribe marks
// a session as watched; the live state (live.ts) sends notifications/resources/updated for it.
import { type McpServer, ResourceNotFoundError, ResourceTemplate } from '@modelcontextprotocol/server';
import { existsSync } from 'node:fs';
import type { AppContext } from '../../context.ts';
import { SESSIONS_URI, WORKFLOWS_URI, sessionUri } from './live.ts';

type Live = typeof import('./host-live.ts');
type Snap = typeof import('./snapshot.ts');
let modules: Promise<[Live, Snap, typeof import('../engine/host.ts')]> | undefined;
// The engine loads on first use, not when a server instance is built.
const load = () => (modules ??= Promise.all([import('./host-live.ts'), import('./snapshot.ts'), import('../engine/host.ts')]));

import { subscribedOn } from './registry.ts';
import { connectionOfRequest } from '../../registry/tool.ts';
// HTTP is stateless: a subscription there lasts until unsubscribed, once per URI.
const httpSubscriptions = new WeakMap<AppContext, Map<string, () => void>>();

const json = (uri: string, data: unknown) => ({ contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(data, null, 2) }] });

/** Registers the workflow resources and resources/subscribe on one SDK server (before the standards template, which would match any praxis:// URI). */
export function registerWorkflowResources(server: McpServer, ctx: AppContext): void {
  const engine = async () => {
    const [live, , host] = await load();
    (await live.liveFor(ctx)).touch();
    return host.engineFor(ctx);
  };
  server.registerResource('workflows', WORKFLOWS_URI, { title: 'Workflows', description: 'The workflow definitions of this project (pos_workflow list_workflows).', mimeType: 'application/json' }, async (uri) => {
    const [, snap] = await load();
    return json(uri.href, await snap.definitionsSnapshot(await engine()));
  });
  server.registerResource('workflow-sessions', SESSIONS_URI, { title: 'Workflow sessions', description: 'Open workflow sessions with their status (pos_workflow list_sessions).', mimeType: 'application/json' }, async (uri) => {
    const [, snap] = await load();
    return json(uri.href, await snap.sessionsSnapshot(await engine()));
  });
  server.registerResource(
    'workflow-session',
    new ResourceTemplate(`${SESSIONS_URI}/{id}`, {
      list: async () => {
        // Listing (every IDE does at start) opens nothing: without a database there are no sessions,
        // and the list alone does not count as using workflows (no polling).
        const { projectDbPath } = await import('../../store/project.ts');
        if (!existsSync(projectDbPath(ctx.project.praxisDir))) return { resources: [] };
        const [, snap, host] = await load();
        const { sessions } = await snap.sessionsSnapshot(await host.engineFor(ctx));
        return {
          resources: sessions.map((s: Record<string, any>) => ({
            uri: sessionUri(s.session_id),
            name: `workflow session ${s.session_id}`,
            title: `${s.workflow_type} on ${s.target_file} (${s.status}, phase ${s.current_phase}/${s.phase_count})`,
            mimeType: 'application/json',
          })),
        };
      },
    }),
    { title: 'Workflow session', description: 'One session: phases, tasks, claims, recent events, approvals waiting (pos_workflow get_state and more). Subscribe to be told when it changes.', mimeType: 'application/json' },
    async (uri, variables) => {
      const [, snap] = await load();
      const snapshot = await snap.sessionSnapshot(await engine(), String(variables.id));
      if (!snapshot) throw new ResourceNotFoundError(uri.href);
      return json(uri.href, snapshot);
    },
  );

  server.server.registerCapabilities({ resources: { listChanged: true, subscribe: true } });
  server.server.setRequestHandler('resources/subscribe', async (request, extra) => {
    const uri = request.params.uri;
    const [live] = await load();
    const l = await live.liveFor(ctx);
    const isHttp = Boolean((extra as { http?: { req?: Request } } | undefined)?.http?.req);
    let map: Map<string, () => void> | undefined;
    if (isHttp) {
      // A client known by its connection (a session id, a bridge) gets the updates it subscribed to on its stream.
      const connection = connectionOfRequest((extra as { http: { req: Request } }).http.req);
      if (connection) ctx.clients?.subscribe(connection, uri, true);
      map = httpSubscriptions.get(ctx);
      if (!map) httpSubscriptions.set(ctx, (map = new Map()));
    } else {
      map = subscribedOn.get(server);
      if (!map) {
        subscribedOn.set(server, (map = new Map()));
        const onclose = server.server.onclose;
        server.server.onclose = () => {
          for (const undo of map!.values()) undo();
          map!.clear();
          onclose?.();
        };
      }
    }
    if (!map.has(uri)) map.set(uri, l.subscribe(uri));
    return {};
  });
  server.server.setRequestHandler('resources/unsubscribe', async (request, extra) => {
    const uri = request.params.uri;
    const req = (extra as { http?: { req?: Request } } | undefined)?.http?.req;
    if (req) {
      // The connection's own subscription ends; the process stops watching only when no other connection has one.
      const connection = connectionOfRequest(req);
      if (connection) ctx.clients?.subscribe(connection, uri, false);
      if ((ctx.clients?.subscribers(uri) ?? 0) > 0) return {};
    }
    const map = req ? httpSubscriptions.get(ctx) : subscribedOn.get(server);
    map?.get(uri)?.();
    map?.delete(uri);
    return {};
  });
}
