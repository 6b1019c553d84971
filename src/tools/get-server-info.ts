import { z } from 'zod';
import { readGitInfo } from '../project/info.ts';
import { defineTool, jsonResult } from '../registry/tool.ts';

/** `get_server_info`: who serves this project, since when, and how busy; read fresh at each call. */
export const getServerInfoTool = defineTool({
  name: 'get_server_info',
  title: 'Server info',
  description:
    'Describes this praxis-mcp server: version, transport, pid, start time, uptime and HTTP URL; the project ' +
    '(name, root, git remote, branch, commit, uncommitted changes); the tools and index it serves; and how many ' +
    'requests each transport (stdio, http) has served. Every field is read at call time.',
  inputSchema: z.object({}),
  annotations: { readOnlyHint: true, openWorldHint: false },
  async handler(_args, ctx) {
    const now = ctx.now();
    const git = await readGitInfo(ctx.project.root);
    const capabilities: Record<string, unknown> = { tools: [...ctx.tools] };
    for (const [name, provide] of ctx.infoProviders) capabilities[name] = provide();
    const data = {
      server: {
        name: 'praxis-mcp',
        version: ctx.version,
        transport: ctx.transport,
        pid: ctx.pid,
        instance_id: ctx.instanceId,
        started_at: ctx.startedAt.toISOString(),
        uptime_seconds: Math.max(0, (now.getTime() - ctx.startedAt.getTime()) / 1000),
        url: ctx.url,
      },
      project: { name: ctx.project.name, root: ctx.project.root, git },
      capabilities,
      requests: { ...ctx.counters },
    };
    return jsonResult(data);
  },
});
