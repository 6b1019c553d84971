// MCP bundles (.mcpb) for Claude Desktop's one-click install (issue 15): one per release binary, a
// zip of `manifest.json` plus `server/praxis-mcp[.exe]`, validated and packed by the official
// `@anthropic-ai/mcpb` CLI. The manifest declares a binary server, asks the user for the project
// folder, and lists the tools.
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinTools } from '../src/registry/tools.ts';
import type { Target } from './compile.ts';
import { DEFAULT_REPO } from './homebrew.ts';

const root = join(import.meta.dirname, '..');

/** The bundle's file name next to the binaries: praxis-mcp-linux-x64.mcpb, ... */
export function bundleName(target: Target): string {
  return `${target.file.replace(/\.exe$/, '')}.mcpb`;
}

/** MCPB's platform names (Node's). */
function mcpbPlatform(target: Target): 'darwin' | 'linux' | 'win32' {
  return target.os === 'windows' ? 'win32' : target.os;
}

/** The manifest.json of `target`'s bundle (MCPB manifest 0.3, which the mcpb CLI validates). */
export function bundleManifest(target: Target, version: string, repo: string = DEFAULT_REPO): Record<string, unknown> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const entry = `server/${target.os === 'windows' ? 'praxis-mcp.exe' : 'praxis-mcp'}`;
  return {
    manifest_version: '0.3',
    name: 'praxis-mcp',
    display_name: 'praxis-mcp',
    version,
    description: pkg.description,
    long_description:
      'Serves a project\'s standards search and tools to Claude over stdio and, from the same process, to local agents over ' +
      'Streamable HTTP on loopback. Point it at a project folder that holds .praxis-os/ (create one with `praxis-mcp init`).',
    author: { name: 'praxis-os', url: `https://github.com/${repo}` },
    repository: { type: 'git', url: `https://github.com/${repo}` },
    homepage: `https://github.com/${repo}`,
    license: pkg.license,
    server: {
      type: 'binary',
      entry_point: entry,
      mcp_config: {
        command: `\${__dirname}/${entry}`,
        args: ['serve', '--transport', 'dual', '--project', '${user_config.project}'],
      },
    },
    user_config: {
      project: {
        type: 'directory',
        title: 'Project folder',
        description: 'The project to serve: the folder that holds .praxis-os/ (run `praxis-mcp init` there to create it).',
        required: true,
      },
    },
    tools: builtinTools.map((tool) => ({ name: tool.name, description: tool.description })),
    compatibility: { platforms: [mcpbPlatform(target)] },
    keywords: ['mcp', 'standards', 'search', 'agents'],
  };
}

/** Runs the mcpb CLI from node_modules; throws with its output when it fails. */
export function mcpb(args: string[]): string {
  const cli = join(root, 'node_modules', '@anthropic-ai', 'mcpb', 'dist', 'cli', 'cli.js');
  const result = spawnSync('node', [cli, ...args], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`mcpb ${args.join(' ')} failed (exit ${result.status}):\n${result.stdout}${result.stderr}`);
  return `${result.stdout}${result.stderr}`;
}

/** Builds `<outdir>/<bundleName>` from the release binary `<outdir>/<target.file>`; returns its path. */
export function buildBundle(target: Target, outdir: string, version: string, repo?: string): string {
  const stage = mkdtempSync(join(tmpdir(), 'praxis-mcpb-'));
  try {
    const manifest = bundleManifest(target, version, repo);
    const entry = (manifest.server as { entry_point: string }).entry_point;
    mkdirSync(join(stage, 'server'));
    copyFileSync(join(outdir, target.file), join(stage, entry));
    chmodSync(join(stage, entry), 0o755);
    writeFileSync(join(stage, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    mcpb(['validate', join(stage, 'manifest.json')]);
    const out = join(outdir, bundleName(target));
    rmSync(out, { force: true });
    mcpb(['pack', stage, out]);
    return out;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}
