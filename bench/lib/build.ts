// Builds what the bench runs: the praxis-mcp binary from the current source (unless one is given)
// and the bare compiled Bun "hello" used as the start-up floor. Both go to a temp folder.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileFlags } from '../../build/compile.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/** The folder for the bench's builds and temp projects. */
export const WORK_DIR = join(tmpdir(), `praxis-bench-${process.getuid?.() ?? 'user'}`);

function run(args: string[]): void {
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`bun ${args.join(' ')} failed (exit ${result.status})`);
}

/** The praxis-mcp binary to measure: `given`, or a fresh build of the working tree. */
export function praxisBinary(given?: string): string {
  if (given) {
    if (!existsSync(given)) throw new Error(`--binary ${given}: no such file`);
    return given;
  }
  mkdirSync(WORK_DIR, { recursive: true });
  const out = join(WORK_DIR, 'praxis-mcp');
  run([join(ROOT, 'build/compile.ts'), '--outfile', out]);
  return out;
}

/** The bare "hello" binary, compiled with the same flags as praxis-mcp so start-up compares like with like. */
export function helloBinary(): string {
  mkdirSync(WORK_DIR, { recursive: true });
  const out = join(WORK_DIR, 'hello');
  run(['build', join(ROOT, 'bench/peers/hello.ts'), ...compileFlags('0.0.0'), '--outfile', out]);
  return out;
}

/** Absolute path of a file under bench/. */
export const benchFile = (relative: string) => join(ROOT, 'bench', relative);
