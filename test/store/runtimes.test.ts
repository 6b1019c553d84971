// node:sqlite with WAL and FTS5 where praxis-mcp runs: a `bun build --compile` binary (the way
// dist/praxis-mcp is built) and Deno, both through src/store (issue 12).
import { afterAll, expect, test } from 'bun:test';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/process.ts';

const dir = mkdtempSync(join(tmpdir(), 'praxis-store-rt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bin = (name: string) => join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
const PROBE = join(ROOT, 'test', 'fixtures', 'store-probe.ts');

function expectProbe(stdout: string) {
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!);
  expect(result.journal_mode).toBe('wal');
  // Porter stems on both sides: "draining" finds "drain", "shutdowns" finds "shutdown".
  expect(result.hits).toEqual(['Graceful shutdown']);
  expect(result.schema).toBe(1);
}

test('a compiled binary opens the store in WAL mode and searches FTS5', () => {
  const exe = join(dir, process.platform === 'win32' ? 'probe.exe' : 'probe');
  const build = spawnSync(bin('bun'), ['build', '--compile', PROBE, '--outfile', exe], { encoding: 'utf8' });
  expect(build.status, build.stderr).toBe(0);
  const run = spawnSync(exe, [join(dir, 'compiled', 'praxis.db')], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  expectProbe(run.stdout);
}, 60_000);

test('Deno opens the store in WAL mode and searches FTS5', () => {
  const run = spawnSync(bin('deno'), ['run', '-A', PROBE, join(dir, 'deno', 'praxis.db')], {
    encoding: 'utf8',
    cwd: ROOT,
    env: { ...process.env, DENO_DIR: join(dir, 'deno-dir'), DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1', NPM_CONFIG_REGISTRY: 'http://127.0.0.1:9/' },
  });
  expect(run.status, run.stderr).toBe(0);
  expectProbe(run.stdout);
}, 60_000);
