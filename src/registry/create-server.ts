import { McpServer } from '@modelcontextprotocol/server';
import type { AppContext } from '../context.ts';
import { INSTRUCTIONS, SERVER_NAME } from '../protocol/light.ts';
import { registerStandardsResources } from './resources.ts';
import { guardRequestParams } from './params-guard.ts';
import { withPortableJsonSchema } from './portable-schema.ts';
import { registerWorkflowResources } from '../workflows/live/resources.ts';
import { type ToolDefinition, callInfoOfRequest } from './tool.ts';

/** Builds SDK server instances; one per stdio connection or HTTP request (an McpServer serves one connection). */
export type ServerFactory = () => McpServer;

/** A factory of SDK servers serving `tools` with the shared `ctx`. */
export function createServerFactory(ctx: AppContext, tools: readonly ToolDefinition[]): ServerFactory {
  return () => {
    const server = new McpServer(
      { name: SERVER_NAME, version: ctx.version },
      // tools.listChanged false: the SDK would otherwise declare true, and the tools never change at run time.
      { capabilities: { tools: { listChanged: false } }, instructions: INSTRUCTIONS },
    );
    for (const tool of tools) {
      server.registerTool(
        tool.name,
        {
          title: tool.title,
          description: tool.description,
          // Listed as portableJsonSchema makes them; the light protocol lists the same (issue 10).
          inputSchema: withPortableJsonSchema(tool.inputSchema),
          outputSchema: tool.outputSchema && withPortableJsonSchema(tool.outputSchema),
          annotations: tool.annotations,
        },
        (args: unknown, extra: { http?: { req?: Request } }) =>
          tool.handler(args as never, ctx, callInfoOfRequest(extra?.http?.req, server.server.getClientVersion()?.name)),
      );
    }
    registerWorkflowResources(server, ctx); // first: the standards template matches any praxis:// URI (issue 14)
    registerStandardsResources(server, ctx);
    guardRequestParams(server);
    return server;
  };
}
