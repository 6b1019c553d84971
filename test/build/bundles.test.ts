// MCP bundles and the MCP Registry entry (issue 15). Every platform's manifest is validated by the
// official mcpb CLI, and server.json by the registry's published schema (test/fixtures/registry).
// Packing a bundle zips a 100 MB binary (about a minute on this shared machine), so the real
// bundle, built from this machine's binary only, is checked in CI (.ci/run sets CI=true) and with
// PRAXIS_MCPB=1: `mcpb info` reads it, `mcpb unpack` opens it, and a real MCP client talks to the
// server started the way Claude Desktop starts it, from the manifest.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { chmodSync, copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { TARGETS, hostTarget, packageVersion, sha256File } from '../../build/compile.ts';
import { bundleManifest, bundleName, buildBundle, mcpb } from '../../build/mcpb.ts';
import { REGISTRY_DESCRIPTION, SERVER_SCHEMA_URL, registryName, serverJson } from '../../build/server-json.ts';
import { builtinTools } from '../../src/registry/tools.ts';
import { connectStdio } from '../helpers/clients.ts';
import { BINARY, ROOT, tempProject } from '../helpers/process.ts';

const version = packageVersion();
const dirs: string[] = [];
const scratch = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const schema = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'registry', 'server.schema.json'), 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validateServerJson = ajv.compile(schema);

describe('bundle manifests, every platform', () => {
  test.each(TARGETS.map((t) => [t.file, t] as const))('%s: the mcpb CLI validates it', (_, target) => {
    const manifest = bundleManifest(target, version);
    const dir = scratch('praxis-manifest-');
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
    expect(mcpb(['validate', join(dir, 'manifest.json')])).toContain('valid');
    expect(manifest).toMatchObject({
      manifest_version: '0.3',
      name: 'praxis-mcp',
      version,
      server: { type: 'binary', mcp_config: { args: ['serve', '--transport', 'dual', '--project', '${user_config.project}'] } },
      user_config: { project: { type: 'directory', required: true } },
      compatibility: { platforms: [target.os === 'windows' ? 'win32' : target.os] },
    });
    const server = manifest.server as { entry_point: string; mcp_config: { command: string } };
    expect(server.entry_point).toBe(target.os === 'windows' ? 'server/praxis-mcp.exe' : 'server/praxis-mcp');
    expect(server.mcp_config.command).toBe(`\${__dirname}/${server.entry_point}`);
    expect(manifest.tools).toEqual(builtinTools.map((t) => ({ name: t.name, description: t.description })));
  }, 30_000);

  test('a manifest the CLI must refuse is refused (the validation is real)', () => {
    const dir = scratch('praxis-manifest-bad-');
    const { server: _, ...broken } = bundleManifest(TARGETS[0], version);
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(broken));
    expect(() => mcpb(['validate', join(dir, 'manifest.json')])).toThrow();
  }, 30_000);
});

describe('server.json against the registry\'s published schema', () => {
  const bundles = TARGETS.map((target, i) => ({ target, sha256: String(i).repeat(64) }));
  const document = serverJson({ version, repo: 'praxis-os/praxis-mcp', bundles });

  test('is valid, names its schema, and lists every bundle with its release URL and SHA-256, and the npm launcher', () => {
    expect(validateServerJson(document), JSON.stringify(validateServerJson.errors)).toBe(true);
    expect(schema.$id).toBe(SERVER_SCHEMA_URL);
    expect(document).toMatchObject({ $schema: SERVER_SCHEMA_URL, name: 'io.github.praxis-os/praxis-mcp', version });
    const packages = document.packages as { registryType: string; identifier: string; fileSha256?: string }[];
    expect(packages.filter((p) => p.registryType === 'mcpb').map((p) => [p.identifier, p.fileSha256])).toEqual(
      bundles.map(({ target, sha256 }) => [`https://github.com/praxis-os/praxis-mcp/releases/download/v${version}/${bundleName(target)}`, sha256]),
    );
    expect(packages.find((p) => p.registryType === 'npm')).toMatchObject({ identifier: 'praxis-mcp', version, runtimeHint: 'npx' });
    expect(REGISTRY_DESCRIPTION.length).toBeLessThanOrEqual(100);
  });

  test.each([
    ['a bundle without its SHA-256', (d: any) => delete d.packages[0].fileSha256],
    ['a description over 100 characters', (d: any) => (d.description = 'x'.repeat(101))],
    ['a name without a namespace', (d: any) => (d.name = 'praxis-mcp')],
    ['an npm version range', (d: any) => (d.packages.at(-1).version = 'latest')],
  ])('the schema refuses %s (the validation is real)', (_, spoil) => {
    const copy = structuredClone(document);
    spoil(copy);
    expect(validateServerJson(copy)).toBe(false);
  });

  test('the npm launcher names the same registry entry (mcpName), as the registry checks', async () => {
    const { generateNpmPackages } = await import('../../build/npm-packages.ts');
    const bins = scratch('praxis-mcpname-bins-');
    for (const t of TARGETS) writeFileSync(join(bins, t.file), 'x');
    const out = join(scratch('praxis-mcpname-out-'), 'npm');
    generateNpmPackages(bins, out, version);
    expect(JSON.parse(readFileSync(join(out, 'praxis-mcp', 'package.json'), 'utf8')).mcpName).toBe(registryName('praxis-os/praxis-mcp'));
  });
});

const host = hostTarget();
const wanted = Boolean(process.env.CI || process.env.PRAXIS_MCPB);

describe.skipIf(!host || !wanted)(`a real bundle of this machine's binary (${host?.file}; runs when CI or PRAXIS_MCPB is set)`, () => {
  let bundle: string;
  let unpacked: string;
  beforeAll(() => {
    const outdir = scratch('praxis-bundle-');
    try {
      linkSync(BINARY, join(outdir, host!.file));
    } catch {
      copyFileSync(BINARY, join(outdir, host!.file));
    }
    bundle = buildBundle(host!, outdir, version);
    unpacked = join(scratch('praxis-unpacked-'), 'bundle');
    mcpb(['unpack', bundle, unpacked]);
  }, 240_000);

  test('mcpb info reads it; unpacked, it holds the manifest and the very binary, executable', () => {
    expect(mcpb(['info', bundle])).toContain(bundleName(host!));
    const manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8'));
    expect(manifest).toEqual(bundleManifest(host!, version));
    const binary = join(unpacked, manifest.server.entry_point);
    expect(sha256File(binary)).toBe(sha256File(BINARY));
    if (process.platform !== 'win32') {
      chmodSync(binary, statSync(binary).mode | 0o755); // some unzip paths drop the mode; Claude Desktop sets it
    }
    expect(existsSync(binary)).toBe(true);
  }, 60_000);

  test('started the way Claude Desktop starts it, from the manifest, it serves the chosen project to a real client', async () => {
    const manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8'));
    const project = tempProject({ prefix: 'praxis-bundle-project-' });
    mkdirSync(join(project.praxisDir, 'standards'), { recursive: true });
    writeFileSync(join(project.praxisDir, 'standards', 'testing.md'), '# Testing\n\nTable tests for pure functions.\n');
    const fill = (text: string) => text.replace('${__dirname}', unpacked).replace('${user_config.project}', project.root);
    const client = await connectStdio('v2', manifest.server.mcp_config.args.map(fill), { command: fill(manifest.server.mcp_config.command) });
    try {
      const result = await client.callTool({ name: 'search_standards', arguments: { query: 'table tests' } });
      expect(JSON.stringify(result.structuredContent)).toContain('testing.md');
      const info = await client.callTool({ name: 'get_server_info', arguments: {} });
      expect(info.structuredContent.project.root).toBe(project.root);
    } finally {
      await client.close();
      project.cleanup();
    }
  }, 60_000);
});
