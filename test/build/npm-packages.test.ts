// The npm packages behind `npx -y praxis-mcp` (issue 15). The manifests are checked for all five
// platforms (from stand-in files); the real thing is checked with this machine's binary only (the
// other four would add minutes): `npm pack` the launcher and the host's platform package, install
// both tarballs into a temp prefix without the network, and a real MCP client calls a tool
// through the launcher. Packing and unpacking a 100 MB binary takes 30-90 s here, so that part runs
// in CI (.ci/run sets CI=true) and with PRAXIS_NPM_PACK=1, not in every local `npm test`.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, linkSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TARGETS, hostTarget, packageVersion } from '../../build/compile.ts';
import { binaryName, generateNpmPackages, npmPlatform, platformPackageName } from '../../build/npm-packages.ts';
import { connectStdio } from '../helpers/clients.ts';
import { BINARY, tempProject } from '../helpers/process.ts';

const version = packageVersion();
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const dirs: string[] = [];
const scratch = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

describe('generated packages, every platform', () => {
  let out: string;
  beforeAll(() => {
    const bins = scratch('praxis-npm-bins-');
    for (const t of TARGETS) writeFileSync(join(bins, t.file), `stand-in for ${t.file}`);
    out = join(scratch('praxis-npm-out-'), 'npm');
    generateNpmPackages(bins, out, '9.8.7');
  });

  test.each(TARGETS.map((t) => [platformPackageName(t), t] as const))('%s: os and cpu as npm names them, the binary in bin/, executable', (name, target) => {
    const { os, cpu } = npmPlatform(target);
    const dir = join(out, `${os}-${cpu}`);
    expect(readJson(join(dir, 'package.json'))).toMatchObject({ name, version: '9.8.7', os: [os], cpu: [cpu], files: ['bin/'] });
    const binary = join(dir, 'bin', binaryName(target));
    expect(readFileSync(binary, 'utf8')).toBe(`stand-in for ${target.file}`);
    if (process.platform !== 'win32') expect(statSync(binary).mode & 0o111).toBe(0o111);
  });

  test('the launcher: bin praxis-mcp, every platform package as an optional dependency at the same version', () => {
    const launcher = readJson(join(out, 'praxis-mcp', 'package.json'));
    expect(launcher).toMatchObject({ name: 'praxis-mcp', version: '9.8.7', bin: { 'praxis-mcp': 'bin/praxis-mcp.js' } });
    expect(launcher.optionalDependencies).toEqual(Object.fromEntries(TARGETS.map((t) => [platformPackageName(t), '9.8.7'])));
    expect(Object.keys(launcher.optionalDependencies).sort()).toEqual(['@praxis-mcp/darwin-arm64', '@praxis-mcp/darwin-x64', '@praxis-mcp/linux-arm64', '@praxis-mcp/linux-x64', '@praxis-mcp/win32-x64']);
    expect(launcher.dependencies).toBeUndefined();
    expect(readFileSync(join(out, 'praxis-mcp', 'bin', 'praxis-mcp.js'), 'utf8')).toStartWith('#!/usr/bin/env node\n');
  });

  test('a missing release binary is an error naming it', () => {
    expect(() => generateNpmPackages(scratch('praxis-npm-empty-'), join(scratch('praxis-npm-out-'), 'npm'), '1.0.0')).toThrow(/missing release binary .*praxis-mcp-linux-x64/);
  });
});

const host = hostTarget();
const hasNpm = spawnSync(npm, ['--version'], { shell: process.platform === 'win32' }).status === 0;
const wanted = Boolean(process.env.CI || process.env.PRAXIS_NPM_PACK);

/** Runs npm (no network: --offline) and resolves with its output; rejects on a non-zero exit. */
function runNpm(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(npm, [...args, '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd, shell: process.platform === 'win32' });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`npm ${args.join(' ')} exited ${code}: ${out}`))));
  });
}

describe.skipIf(!host || !hasNpm || !wanted)(`npm pack, npm install and npx, with this machine's binary (${host?.file}; runs when CI or PRAXIS_NPM_PACK is set)`, () => {
  let prefix: string;
  let launcher: string;
  beforeAll(async () => {
    const work = scratch('praxis-npm-pack-');
    mkdirSync(join(work, 'bins'));
    try {
      linkSync(BINARY, join(work, 'bins', host!.file));
    } catch {
      copyFileSync(BINARY, join(work, 'bins', host!.file));
    }
    const [platform, main] = generateNpmPackages(join(work, 'bins'), join(work, 'npm'), version, [host!]);
    mkdirSync(join(work, 'tarballs'));
    await Promise.all([platform!, main!].map((p) => runNpm(['pack', '--pack-destination', join(work, 'tarballs')], p.dir)));
    prefix = join(work, 'prefix');
    mkdirSync(prefix);
    writeFileSync(join(prefix, 'package.json'), '{ "private": true }\n');
    const { os, cpu } = npmPlatform(host!);
    // The other platforms' packages are not published: npm skips those optional dependencies.
    await runNpm(['install', join(work, 'tarballs', `praxis-mcp-${version}.tgz`), join(work, 'tarballs', `praxis-mcp-${os}-${cpu}-${version}.tgz`)], prefix);
    launcher = join(prefix, 'node_modules', '.bin', process.platform === 'win32' ? 'praxis-mcp.cmd' : 'praxis-mcp');
  }, 180_000);

  test('npm installed the launcher and only this platform\'s package', () => {
    expect(existsSync(launcher)).toBe(true);
    expect(existsSync(join(prefix, 'node_modules', platformPackageName(host!), 'bin', binaryName(host!)))).toBe(true);
    const others = TARGETS.filter((t) => t !== host).map((t) => join(prefix, 'node_modules', platformPackageName(t)));
    for (const other of others) expect(existsSync(other)).toBe(false);
  });

  test('npx praxis-mcp --version prints the version; exit codes pass through the launcher', () => {
    const npx = spawnSync(npm, ['exec', '--offline', '--', 'praxis-mcp', '--version'], { cwd: prefix, encoding: 'utf8', shell: process.platform === 'win32' });
    expect(npx.stdout.trim()).toBe(version);
    expect(npx.status).toBe(0);
    const project = tempProject({ prefix: 'praxis-npm-status-' });
    try {
      const status = spawnSync(launcher, ['status', '--project', project.root], { encoding: 'utf8', shell: process.platform === 'win32' });
      expect(status.status).toBe(3);
      expect(status.stdout).toContain('not running');
      expect(spawnSync(launcher, ['--no-auht'], { encoding: 'utf8' }).status).toBe(2);
    } finally {
      project.cleanup();
    }
  }, 60_000);

  test('a real MCP client calls a tool through the launcher, over stdio', async () => {
    const project = tempProject({ prefix: 'praxis-npm-serve-' });
    writeFileSync(join(project.praxisDir, 'standards', 'testing.md'), '# Testing\n\nTable tests for pure functions.\n');
    const client = await connectStdio('v2', ['serve', '--transport', 'dual', '--port', '0', '--project', project.root], { command: launcher });
    try {
      const tools = await client.listTools();
      expect(tools.tools.map((t) => t.name)).toContain('search_standards');
      const result = await client.callTool({ name: 'search_standards', arguments: { query: 'table tests' } });
      expect(result.isError).toBeFalsy();
      expect(JSON.stringify(result.structuredContent)).toContain('testing.md');
      const info = await client.callTool({ name: 'get_server_info', arguments: {} });
      expect(info.structuredContent.project.root).toBe(project.root);
    } finally {
      await client.close();
      project.cleanup();
    }
  }, 60_000);

  test('without the platform package, the launcher says which package to install and exits 1', () => {
    rmSync(join(prefix, 'node_modules', platformPackageName(host!)), { recursive: true, force: true });
    const r = spawnSync(launcher, ['--version'], { encoding: 'utf8', shell: process.platform === 'win32' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`the package ${platformPackageName(host!)}`);
    expect(r.stdout).toBe('');
  }, 30_000);
});
