// The MCP Registry entry (issue 15): `server.json` in the registry's published format (schema
// 2025-09-29, kept in test/fixtures/registry/ and checked there), generated from package.json and
// the release's files: one `mcpb` package per bundle with its download URL and SHA-256, and the
// npm launcher package behind `npx -y praxis-mcp`.
import type { Target } from './compile.ts';
import { releaseBaseUrl } from './homebrew.ts';
import { bundleName } from './mcpb.ts';

/** The schema `server.json` declares and is validated against. */
export const SERVER_SCHEMA_URL = 'https://static.modelcontextprotocol.io/schemas/2025-09-29/server.schema.json';

/** The registry name: reverse DNS of the GitHub owner, as the registry's GitHub login requires. */
export function registryName(repo: string): string {
  const [owner, name] = repo.split('/');
  return `io.github.${owner}/${name}`;
}

/** What `server.json` is made of. */
export interface ServerJsonInput {
  version: string;
  repo: string;
  /** Each bundled target with the SHA-256 of its .mcpb file. */
  bundles: { target: Target; sha256: string }[];
}

/** The registry's description field holds at most 100 characters. */
export const REGISTRY_DESCRIPTION = 'A project\'s standards search and tools, over stdio for the IDE and loopback HTTP for agents.';

/** The `server.json` document. */
export function serverJson(input: ServerJsonInput): Record<string, unknown> {
  const base = releaseBaseUrl(input.repo, input.version);
  return {
    $schema: SERVER_SCHEMA_URL,
    name: registryName(input.repo),
    title: 'praxis-mcp',
    description: REGISTRY_DESCRIPTION,
    version: input.version,
    repository: { url: `https://github.com/${input.repo}`, source: 'github' },
    websiteUrl: `https://github.com/${input.repo}#readme`,
    packages: [
      ...input.bundles.map(({ target, sha256 }) => ({
        registryType: 'mcpb',
        identifier: `${base}/${bundleName(target)}`,
        fileSha256: sha256,
        transport: { type: 'stdio' },
      })),
      {
        registryType: 'npm',
        identifier: 'praxis-mcp',
        version: input.version,
        runtimeHint: 'npx',
        transport: { type: 'stdio' },
        packageArguments: [
          { type: 'positional', value: 'serve' },
          { type: 'named', name: '--transport', value: 'dual' },
          {
            type: 'named',
            name: '--project',
            description: 'The project folder (it holds .praxis-os/); without it, the nearest such folder above the working directory.',
            format: 'filepath',
            isRequired: false,
          },
        ],
      },
    ],
  };
}
