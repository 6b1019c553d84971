// Compiles praxis-mcp into self-contained executables with `bun build --compile`.
//   bun build/compile.ts                        dist/praxis-mcp for this machine
//   bun build/compile.ts --outfile F            the same, written to F
//   bun build/compile.ts --all [--outdir DIR]   every release target, their .mcpb bundles, server.json and
//                                               SHA256SUMS over all of them (default dir: dist/)
//   bun build/compile.ts --package [--outdir DIR] [--version V] [--repo OWNER/NAME]
//                                               bundles, server.json and SHA256SUMS from the binaries
//                                               already in DIR (the release does this after signing)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist');

/** Release targets: Bun's target name, the artifact's file name, and the OS and CPU it runs on. */
export const TARGETS = [
  { bun: 'bun-linux-x64', file: 'praxis-mcp-linux-x64', os: 'linux', arch: 'x64' },
  { bun: 'bun-linux-arm64', file: 'praxis-mcp-linux-arm64', os: 'linux', arch: 'arm64' },
  { bun: 'bun-darwin-x64', file: 'praxis-mcp-darwin-x64', os: 'darwin', arch: 'x64' },
  { bun: 'bun-darwin-arm64', file: 'praxis-mcp-darwin-arm64', os: 'darwin', arch: 'arm64' },
  { bun: 'bun-windows-x64', file: 'praxis-mcp-windows-x64.exe', os: 'windows', arch: 'x64' },
] as const;

/** One release target. */
export type Target = (typeof TARGETS)[number];

/** Optional code-generation flags; `build/measure-flags.ts` measures each (see README, "Build flags"). */
export interface FlagChoice {
  minify: boolean;
  bytecode: boolean;
  sourcemap: boolean;
  /** `--compile-jit-policy`: how many times more reluctant the JIT starts (1, or absent: normal). */
  jitPolicy?: number;
}

// Chosen by measurement (bun build/measure-flags.ts; table in the README, "Build flags"): bytecode
// cuts the time to the first answer to a third (linux-x64: --version 66 -> 22 ms, initialize reply
// 83 -> 32 ms) for +4 MB on a 110 MB binary; minify saves 0.6 MB; a source map adds 1 MB and buys
// nothing a user sees, because the CLI prints error messages, never stack traces. A JIT policy of
// 100 keeps run-once start-up and first-index code in the interpreter (the server sets the normal
// policy once the first index is built, src/app.ts): idle RSS 60 -> 54 MB, state file 33 -> 29 ms,
// the same req/s after.
export const CHOSEN_FLAGS: FlagChoice = { minify: true, bytecode: true, sourcemap: false, jitPolicy: 100 };

/** The flags every build uses. Autoload stays off: the binary runs inside other people's projects. */
export function compileFlags(version: string, choice: FlagChoice = CHOSEN_FLAGS): string[] {
  return [
    '--compile',
    ...(choice.minify ? ['--minify'] : []),
    ...(choice.bytecode ? ['--bytecode'] : []),
    ...(choice.sourcemap ? ['--sourcemap=inline'] : []),
    ...(choice.jitPolicy && choice.jitPolicy !== 1 ? [`--compile-jit-policy=${choice.jitPolicy}`] : []),
    // --bytecode defaults to CJS, which rejects the entry's top-level await.
    '--format=esm',
    '--no-compile-autoload-dotenv',
    '--no-compile-autoload-bunfig',
    '--define',
    `__PRAXIS_VERSION__=${JSON.stringify(version)}`,
  ];
}

/** The version in package.json, the one place it is written. */
export function packageVersion(): string {
  return String(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
}

/** The release target of this machine, or undefined if none matches. */
export function hostTarget(platform: string = process.platform, arch: string = process.arch): Target | undefined {
  const os = platform === 'win32' ? 'windows' : platform;
  return TARGETS.find((t) => t.os === os && t.arch === arch);
}

/** Compiles src/main.ts into `outfile` (for `target`, or this machine); throws if bun build fails. */
export function compile(outfile: string, version: string, target?: string, choice: FlagChoice = CHOSEN_FLAGS): void {
  const args = ['build', join(root, 'src/main.ts'), ...compileFlags(version, choice), '--outfile', outfile];
  if (target) args.push(`--target=${target}`);
  // bun build's progress goes to our stderr, so that stdout stays free for what a script prints.
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 2, 'inherit'] });
  if (result.status !== 0) throw new Error(`bun build failed for ${target ?? 'this machine'} (exit ${result.status})`);
}

/** The SHA-256 of a file, hex. */
export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Parses `sha256sum` output (`<hex>  <name>` or `<hex> *<name>` lines) into name -> hex. */
export function parseSums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const match = /^([0-9a-f]{64}) [ *](.+)$/.exec(line.trim());
    if (match) sums.set(match[2]!, match[1]!);
  }
  return sums;
}

/** Builds every release target into `outdir` and writes `outdir/SHA256SUMS`; returns the sums file text. */
export function buildAll(outdir: string = dist, version: string = packageVersion()): string {
  mkdirSync(outdir, { recursive: true });
  const lines: string[] = [];
  for (const t of TARGETS) {
    const out = join(outdir, t.file);
    compile(out, version, t.bun);
    lines.push(`${sha256File(out)}  ${t.file}`);
  }
  const text = `${lines.join('\n')}\n`;
  writeFileSync(join(outdir, 'SHA256SUMS'), text);
  return text;
}

/**
 * From the release binaries in `outdir`: one .mcpb bundle per target (validated and packed by the
 * mcpb CLI), `server.json` for the MCP Registry, and `SHA256SUMS` over binaries and bundles.
 * Returns the sums file text. Loaded lazily: `npm run build` needs none of it.
 */
export async function packageRelease(outdir: string = dist, version: string = packageVersion(), repo?: string): Promise<string> {
  const { buildBundle, bundleName } = await import('./mcpb.ts');
  const { serverJson } = await import('./server-json.ts');
  const { DEFAULT_REPO } = await import('./homebrew.ts');
  const bundles = TARGETS.map((target) => ({ target, sha256: sha256File(buildBundle(target, outdir, version, repo)) }));
  const document = serverJson({ version, repo: repo ?? DEFAULT_REPO, bundles });
  writeFileSync(join(outdir, 'server.json'), `${JSON.stringify(document, null, 2)}\n`);
  const lines = [
    ...TARGETS.map((t) => `${sha256File(join(outdir, t.file))}  ${t.file}`),
    ...bundles.map(({ target, sha256 }) => `${sha256}  ${bundleName(target)}`),
    `${sha256File(join(outdir, 'server.json'))}  server.json`,
  ];
  const text = `${lines.join('\n')}\n`;
  writeFileSync(join(outdir, 'SHA256SUMS'), text);
  return text;
}

function optionValue(argv: string[], name: string): string | undefined {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
}

if (import.meta.main) {
  const argv = process.argv.slice(2);
  const version = packageVersion();
  const outdir = optionValue(argv, '--outdir') ?? dist;
  if (argv.includes('--all') || argv.includes('--package')) {
    const release = optionValue(argv, '--version') ?? version;
    if (argv.includes('--all')) buildAll(outdir, release);
    await packageRelease(outdir, release, optionValue(argv, '--repo') ?? process.env.GITHUB_REPOSITORY);
    process.stderr.write(`wrote ${TARGETS.length} binaries, ${TARGETS.length} .mcpb bundles, server.json and SHA256SUMS to ${outdir}\n`);
  } else {
    mkdirSync(dist, { recursive: true });
    const outfile =
      optionValue(argv, '--outfile') ?? join(dist, process.platform === 'win32' ? 'praxis-mcp.exe' : 'praxis-mcp');
    compile(outfile, version);
  }
}
