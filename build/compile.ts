// Compiles praxis-mcp into self-contained executables with `bun build --compile`.
//   bun build/compile.ts            dist/praxis-mcp for this machine
//   bun build/compile.ts --outfile F  the same, written to F
//   bun build/compile.ts --all      every release target, plus dist/SHA256SUMS
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist');

/** Release targets: Bun's target name and the artifact's file name. */
export const TARGETS = [
  { bun: 'bun-linux-x64', file: 'praxis-mcp-linux-x64' },
  { bun: 'bun-linux-arm64', file: 'praxis-mcp-linux-arm64' },
  { bun: 'bun-darwin-x64', file: 'praxis-mcp-darwin-x64' },
  { bun: 'bun-darwin-arm64', file: 'praxis-mcp-darwin-arm64' },
  { bun: 'bun-windows-x64', file: 'praxis-mcp-windows-x64.exe' },
] as const;

/** The flags every build uses. Autoload stays off: the binary runs inside other people's projects. */
export function compileFlags(version: string): string[] {
  return [
    '--compile',
    '--minify',
    '--bytecode',
    '--format=esm',
    '--no-compile-autoload-dotenv',
    '--no-compile-autoload-bunfig',
    `--define`,
    `__PRAXIS_VERSION__=${JSON.stringify(version)}`,
  ];
}

function compile(outfile: string, version: string, target?: string): void {
  const args = ['build', join(root, 'src/main.ts'), ...compileFlags(version), '--outfile', outfile];
  if (target) args.push(`--target=${target}`);
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`bun build failed for ${target ?? 'this machine'} (exit ${result.status})`);
}

if (import.meta.main) {
  const version = String(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
  mkdirSync(dist, { recursive: true });
  if (process.argv.includes('--all')) {
    const sums: string[] = [];
    for (const t of TARGETS) {
      const out = join(dist, t.file);
      compile(out, version, t.bun);
      sums.push(`${createHash('sha256').update(readFileSync(out)).digest('hex')}  ${t.file}`);
    }
    writeFileSync(join(dist, 'SHA256SUMS'), `${sums.join('\n')}\n`);
    process.stderr.write(`wrote ${TARGETS.length} binaries and dist/SHA256SUMS\n`);
  } else {
    const at = process.argv.indexOf('--outfile');
    const outfile = at > 0 ? process.argv[at + 1]! : join(dist, process.platform === 'win32' ? 'praxis-mcp.exe' : 'praxis-mcp');
    compile(outfile, version);
  }
}
