// `npm run build:all`, for real: every release target is compiled once into a temp dir (about 13 s
// with Bun's cross-compile runtimes cached; 18 s cold here, when bun fetches the four foreign
// runtimes from the npm registry), then each artifact's header, the checksums, and the host binary
// itself are checked (issue 5).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TARGETS, buildAll, hostTarget, packageVersion, parseSums, sha256File } from '../../build/compile.ts';
import { FORMAT_OF_OS, readExecutableHeader } from '../../build/executable-header.ts';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { bundleName, mcpb } from '../../build/mcpb.ts';
import { probeInitialize } from '../../build/stdio-probe.ts';

let outdir = '';
let sumsText = '';

// PRAXIS_ARTIFACTS_DIR=dist checks artifacts built elsewhere (the release workflow checks the very
// files it publishes) instead of building a fresh set.
const given = process.env.PRAXIS_ARTIFACTS_DIR ? resolve(process.env.PRAXIS_ARTIFACTS_DIR) : undefined;

beforeAll(() => {
  if (given) {
    outdir = given;
    sumsText = readFileSync(join(given, 'SHA256SUMS'), 'utf8');
    return;
  }
  outdir = mkdtempSync(join(tmpdir(), 'praxis-artifacts-'));
  sumsText = buildAll(outdir);
}, 240_000);

afterAll(() => {
  if (given) rmSync(join(given, `host-${hostTarget()?.file}`), { force: true });
  else if (outdir) rmSync(outdir, { recursive: true, force: true });
});

function head(path: string, length = 4096): Uint8Array {
  const buffer = new Uint8Array(length);
  const fd = openSync(path, 'r');
  try {
    return buffer.subarray(0, readSync(fd, buffer, 0, length, 0));
  } finally {
    closeSync(fd);
  }
}

describe('every target', () => {
  test.each(TARGETS.map((t) => [t.file, t] as const))('%s has the right format and CPU in its header', (_, target) => {
    expect(readExecutableHeader(head(join(outdir, target.file)))).toEqual({ format: FORMAT_OF_OS[target.os], arch: target.arch });
  });

  test('SHA256SUMS has one line per target (and, after build:all, per bundle and for server.json), each matching its file', () => {
    const sums = parseSums(sumsText);
    const binaries = TARGETS.map((t) => t.file);
    const packaged = [...TARGETS.map((t) => bundleName(t)), 'server.json'];
    const names = [...sums.keys()].sort();
    // `buildAll` alone (as npm test runs it) writes the binaries' lines; `npm run build:all` adds the rest.
    expect([binaries.sort(), [...binaries, ...packaged].sort()]).toContainEqual(names);
    for (const line of sumsText.trimEnd().split('\n')) expect(line).toMatch(/^[0-9a-f]{64} {2}(praxis-mcp-[a-z0-9-]+(\.exe|\.mcpb)?|server\.json)$/);
    for (const [name, sum] of sums) expect(sum).toBe(sha256File(join(outdir, name)));
    // Hashing five 100 MB files takes seconds on a loaded 2-core machine: more than bun's default 5 s.
  }, 120_000);

  // After `npm run build:all` (the release checks dist/ this way): every bundle opens with the
  // mcpb CLI and holds its target's binary; server.json lists them with the right SHA-256.
  // (npm test's fresh set has binaries only: then there is nothing here to check.)
  const packagedSet = given !== undefined && existsSync(join(given, 'server.json'));
  test.skipIf(!packagedSet)('bundles and server.json (a build:all set): each bundle is read by mcpb, server.json matches the schema and the files', () => {
    const document = JSON.parse(readFileSync(join(outdir, 'server.json'), 'utf8'));
    const ajv = new Ajv({ strict: false });
    addFormats(ajv);
    const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'registry', 'server.schema.json'), 'utf8'));
    expect(ajv.validate(schema, document), JSON.stringify(ajv.errors)).toBe(true);
    const listed = new Map<string, string>(document.packages.filter((p: any) => p.registryType === 'mcpb').map((p: any) => [p.identifier.split('/').at(-1), p.fileSha256]));
    expect([...listed.keys()].sort()).toEqual(TARGETS.map((t) => bundleName(t)).sort());
    for (const t of TARGETS) {
      expect(listed.get(bundleName(t))).toBe(sha256File(join(outdir, bundleName(t))));
      expect(mcpb(['info', join(outdir, bundleName(t))])).toContain(bundleName(t));
    }
  }, 240_000);

  // The checksum tools users run; whichever this machine has (sha256sum on Linux, shasum on macOS).
  const checker = [['sha256sum', '-c'], ['shasum', '-a', '256', '-c']].find(
    ([cmd]) => spawnSync(cmd!, ['--version'], { stdio: 'ignore' }).status === 0,
  );
  test.skipIf(!checker)(`${checker?.[0] ?? 'sha256sum'} -c SHA256SUMS accepts the file as written`, () => {
    const result = spawnSync(checker![0]!, [...checker!.slice(1), 'SHA256SUMS'], { cwd: outdir, encoding: 'utf8' });
    expect(result.stdout).toContain(`${TARGETS[0].file}: OK`);
    expect(result.status).toBe(0);
  }, 120_000);
});

describe('the host binary', () => {
  const host = hostTarget();
  let runnable = '';
  // A copy that this machine will run: on macOS, signed ad hoc as the release workflow does
  // (Apple silicon kills binaries with a broken signature), leaving the checksummed file as built.
  const binary = () => {
    if (runnable) return runnable;
    runnable = join(outdir, `host-${host!.file}`);
    copyFileSync(join(outdir, host!.file), runnable);
    if (process.platform === 'darwin') {
      expect(spawnSync('codesign', ['--force', '--sign', '-', runnable]).status).toBe(0);
    }
    return runnable;
  };

  test.skipIf(!host)('prints the package.json version, from any working directory', () => {
    const result = spawnSync(binary(), ['--version'], { cwd: tmpdir(), encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(packageVersion());
  });

  test.skipIf(!host)('answers a real initialize over stdio, then exits 0 when stdin ends', async () => {
    const project = mkdtempSync(join(tmpdir(), 'praxis-artifact-project-'));
    try {
      mkdirSync(join(project, '.praxis-os', 'standards'), { recursive: true });
      const probe = await probeInitialize(binary(), project);
      expect(probe.reply.id).toBe(1);
      expect(probe.reply.result.serverInfo).toEqual({ name: 'praxis-mcp', version: packageVersion() });
      expect(probe.exitCode).toBe(0);
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });

  test.skipIf(!host)('ignores .env and bunfig.toml in the working directory (autoload is off)', () => {
    const project = mkdtempSync(join(tmpdir(), 'praxis-autoload-'));
    try {
      mkdirSync(join(project, '.praxis-os'), { recursive: true });
      // If .env were loaded, the project would come from this variable and the command would fail.
      writeFileSync(join(project, '.env'), 'PRAXIS_MCP_PROJECT=/nonexistent/elsewhere\n');
      // If bunfig.toml were loaded, the preload would write the marker file.
      writeFileSync(join(project, 'bunfig.toml'), 'preload = ["./preload.js"]\n');
      writeFileSync(join(project, 'preload.js'), `require('node:fs').writeFileSync(${JSON.stringify(join(project, 'marker'))}, 'x');\n`);
      const env = { ...process.env, PRAXIS_MCP_PROJECT: undefined, AGENT_OS_BASE_PATH: undefined } as NodeJS.ProcessEnv;
      // A user-wide editor file names the project by absolute path (a project file would say ${workspaceFolder}).
      const result = spawnSync(binary(), ['config', 'windsurf'], { cwd: project, encoding: 'utf8', env });
      expect(result.stderr).not.toContain('nonexistent');
      expect(result.status).toBe(0);
      const [entry] = Object.values(JSON.parse(result.stdout).mcpServers) as { args: string[] }[];
      // Compare real paths: macOS temp dirs sit behind a symlink, Windows ones may use 8.3 short names.
      expect(realpathSync.native(entry!.args.at(-1)!)).toBe(realpathSync.native(project));
      expect(() => readFileSync(join(project, 'marker'))).toThrow();
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
