import { type McpServer, ResourceNotFoundError, ResourceTemplate } from '@modelcontextprotocol/server';
import type { AppContext } from '../context.ts';

/** The URI scheme of standards documents: `praxis://standards/<path>`, `praxis://<extra folder>/<path>`. */
export const STANDARDS_URI_TEMPLATE = 'praxis://{+path}';

/**
 * Serves every standards document as an MCP resource (resources/list, resources/read). Both read
 * from the index (the project database), so a listed URI can be read, and a read agrees with search.
 */
export function registerStandardsResources(server: McpServer, ctx: AppContext): void {
  const standards = ctx.standards;
  if (!standards) return;
  server.registerResource(
    'standards',
    new ResourceTemplate(STANDARDS_URI_TEMPLATE, {
      list: async () => {
        const snapshot = await standards.snapshot();
        return {
          resources: snapshot.docs.map((doc) => ({
            uri: doc.uri,
            name: `${doc.root}/${doc.file}`,
            title: doc.title,
            mimeType: 'text/markdown',
            size: doc.size,
          })),
        };
      },
    }),
    {
      title: 'Project standards',
      description: 'A Markdown document from the project\'s standards (.praxis-os/standards/ and configured folders).',
      mimeType: 'text/markdown',
    },
    async (uri) => {
      const text = await standards.read(uri.href);
      if (text === undefined) throw new ResourceNotFoundError(uri.href);
      return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text }] };
    },
  );
}
