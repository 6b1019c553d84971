// The npm packages behind `npx -y praxis-mcp` (issue 15), by the pattern esbuild and biome use: a
// small launcher package, `praxis-mcp`, whose `optionalDependencies` name one package per platform
// (`@praxis-mcp/linux-x64`, ...), each holding one release binary and declaring its `os` and `cpu`,
// so that npm installs only the one that runs here. Generated from the release binaries:
//   bun build/npm-packages.ts [--bins dist] [--out dist/npm] [--version 0.1.0] [--only-host]
// writes <out>/praxis-mcp/ and <out>/<os>-<cpu>/, ready for `npm pack` or `npm publish`.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TARGETS, type Target, hostTarget, packageVersion } from './compile.ts';
import { DEFAULT_REPO } from './homebrew.ts';
import { registryName } from './server-json.ts';

const root = join(import.meta.dirname, '..');

/** The npm scope of the per-platform packages. */
export const SCOPE = '@praxis-mcp';

/** npm's `os` and `cpu` names (Node's `process.platform` and `process.arch`) for a release target. */
export function npmPlatform(target: Target): { os: string; cpu: string } {
  return { os: target.os === 'windows' ? 'win32' : target.os, cpu: target.arch };
}

/** The per-platform package's name, e.g. `@praxis-mcp/linux-x64`. */
export function platformPackageName(target: Target): string {
  const { os, cpu } = npmPlatform(target);
  return `${SCOPE}/${os}-${cpu}`;
}

/** The binary's file name inside a platform package. */
export function binaryName(target: Target): string {
  return target.os === 'windows' ? 'praxis-mcp.exe' : 'praxis-mcp';
}

// The launcher runs under the user's Node, any version npx runs on: plain CommonJS, no dependencies.
const LAUNCHER = `#!/usr/bin/env node
// praxis-mcp's npm launcher: runs the release binary from the package for this platform, which npm
// installed through optionalDependencies, with this process's arguments, stdio and exit code.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');

const name = \`${SCOPE}/\${process.platform}-\${process.arch}\`;
const file = process.platform === 'win32' ? 'praxis-mcp.exe' : 'praxis-mcp';
let binary;
try {
  binary = path.join(path.dirname(require.resolve(\`\${name}/package.json\`)), 'bin', file);
} catch {
  process.stderr.write(
    \`praxis-mcp: the package \${name} (the binary for \${process.platform}-\${process.arch}) is not installed. \` +
      'npm installs it with praxis-mcp unless optional dependencies are turned off (--omit=optional, --no-optional); ' +
      \`install it with \\\`npm install \${name}\\\`, or download the binary from the GitHub release.\\n\`,
  );
  process.exit(1);
}
const child = spawn(binary, process.argv.slice(2), { stdio: 'inherit', windowsHide: true });
// The editor stops the server by signal or by closing stdin; the binary handles both itself.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (child.exitCode === null) child.kill(signal);
  });
}
child.on('error', (error) => {
  process.stderr.write(\`praxis-mcp: cannot run \${binary}: \${error.message}\\n\`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (signal) {
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else process.exit(code ?? 1);
});
`;

const common = (version: string) => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return {
    version,
    description: pkg.description as string,
    license: pkg.license as string,
    repository: { type: 'git', url: 'git+https://github.com/praxis-os/praxis-mcp.git' },
  };
};

/** What `generateNpmPackages` wrote: each package's folder and name. */
export interface GeneratedPackage {
  name: string;
  dir: string;
}

/**
 * Writes the launcher and the platform packages for `targets` (every release target by default)
 * from the binaries in `binDir` (named as the release names them: praxis-mcp-linux-x64, ...).
 */
export function generateNpmPackages(binDir: string, outDir: string, version: string, targets: readonly Target[] = TARGETS): GeneratedPackage[] {
  rmSync(outDir, { recursive: true, force: true });
  const written: GeneratedPackage[] = [];
  for (const target of targets) {
    const source = join(binDir, target.file);
    if (!existsSync(source)) throw new Error(`missing release binary ${source}: run \`npm run build:all\` first`);
    const { os, cpu } = npmPlatform(target);
    const dir = join(outDir, `${os}-${cpu}`);
    mkdirSync(join(dir, 'bin'), { recursive: true });
    copyFileSync(source, join(dir, 'bin', binaryName(target)));
    chmodSync(join(dir, 'bin', binaryName(target)), 0o755);
    const name = platformPackageName(target);
    const manifest = { name, ...common(version), description: `The praxis-mcp binary for ${os}-${cpu} (installed by the praxis-mcp package).`, os: [os], cpu: [cpu], files: ['bin/'], preferUnplugged: true };
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    writeFileSync(join(dir, 'README.md'), `# ${name}\n\nThe \`praxis-mcp\` binary for ${os}-${cpu}. Install \`praxis-mcp\` instead; npm picks this package for you.\n`);
    written.push({ name, dir });
  }
  const dir = join(outDir, 'praxis-mcp');
  mkdirSync(join(dir, 'bin'), { recursive: true });
  writeFileSync(join(dir, 'bin', 'praxis-mcp.js'), LAUNCHER, { mode: 0o755 });
  const launcher = {
    name: 'praxis-mcp',
    ...common(version),
    bin: { 'praxis-mcp': 'bin/praxis-mcp.js' },
    files: ['bin/'],
    // The MCP Registry checks that the npm package names the server it is listed under.
    mcpName: registryName(DEFAULT_REPO),
    // Every platform, always: npm skips the ones whose os/cpu do not match this machine.
    optionalDependencies: Object.fromEntries(TARGETS.map((t) => [platformPackageName(t), version])),
    engines: { node: '>=18' },
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(launcher, null, 2)}\n`);
  copyFileSync(join(root, 'README.md'), join(dir, 'README.md'));
  written.push({ name: 'praxis-mcp', dir });
  return written;
}

function optionValue(argv: string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
}

if (import.meta.main) {
  const argv = process.argv.slice(2);
  const bins = optionValue(argv, '--bins') ?? join(root, 'dist');
  const out = optionValue(argv, '--out') ?? join(root, 'dist', 'npm');
  const host = hostTarget();
  const targets = argv.includes('--only-host') ? (host ? [host] : []) : TARGETS;
  const written = generateNpmPackages(bins, out, optionValue(argv, '--version') ?? packageVersion(), targets);
  process.stderr.write(`wrote ${written.map((p) => p.name).join(', ')} to ${out}\n`);
}
