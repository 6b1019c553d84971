// Speed and memory of search_standards (issue 12), this build beside the MiniSearch build it
// replaced, in one run on the same corpora. Not a timed test: it prints a Markdown table.
//
//   bun bench/search-speed.ts [--binary dist/praxis-mcp] [--baseline-commit a6891f9] [--no-baseline]
//
// The baseline is built from its commit in a temporary git worktree (MiniSearch installed there
// with npm, since this tree no longer depends on it). Measured per binary, over stdio:
//   first search on a fresh 10,000-chunk project (spawn to first answer: the first build)
//   restart with the files unchanged (spawn to first answer)
//   a one-file change until the new text is found (median of 5)
//   RSS with the dev set corpus twice (6,008 chunks) loaded, settled
//   RSS idle with the example project, settled
//   spawn to the state file (median of 9, empty project)
// and in process, per source tree, bench/standards.bench.ts on the same generated 10,000 chunks.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { WORK_DIR } from './lib/build.ts';
import { type Proc, rssMb, startProc, stopAll } from './lib/procs.ts';
import { type StdioClient, initialize, stdioClient } from './lib/stdio-client.ts';
import { pause } from './lib/stats.ts';
import { timeToStateFile, writeCorpus } from './standards.bench.ts';

const ROOT = join(import.meta.dirname, '..');
const BUN = process.execPath;
const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1]! : fallback;
};
const DEVSET = resolve(ROOT, '..', 'shared', 'search-devset', 'corpus');

function sh(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** Checks out `commit` in a worktree, gives it node_modules (ours, plus MiniSearch), compiles it. */
function buildBaseline(commit: string): { binary: string; tree: string } {
  const tree = join(WORK_DIR, `baseline-${commit}`);
  const binary = join(WORK_DIR, `praxis-mcp-${commit}`);
  mkdirSync(WORK_DIR, { recursive: true });
  if (!existsSync(join(tree, 'package.json'))) {
    rmSync(tree, { recursive: true, force: true });
    sh('git', ['worktree', 'prune'], ROOT);
    sh('git', ['worktree', 'add', '--detach', tree, commit], ROOT);
  }
  const modules = join(tree, 'node_modules');
  if (!existsSync(join(modules, 'minisearch'))) {
    // Its own node_modules: links to ours, plus the packages only the baseline needs.
    const deps = JSON.parse(readFileSync(join(tree, 'package.json'), 'utf8')).dependencies as Record<string, string>;
    const missing = Object.entries(deps).filter(([name]) => !existsSync(join(ROOT, 'node_modules', name)));
    const extra = join(WORK_DIR, `baseline-deps-${commit}`);
    if (missing.length > 0 && !missing.every(([name]) => existsSync(join(extra, 'node_modules', name)))) {
      mkdirSync(extra, { recursive: true });
      writeFileSync(join(extra, 'package.json'), '{"private":true}');
      sh('npm', ['install', '--no-save', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund', ...missing.map(([n, v]) => `${n}@${v}`)], extra);
    }
    rmSync(modules, { recursive: true, force: true });
    mkdirSync(modules);
    const entries = sh('ls', ['-A', join(ROOT, 'node_modules')], ROOT).split('\n').filter(Boolean);
    for (const e of entries) symlinkSync(join(ROOT, 'node_modules', e), join(modules, e));
    for (const [name] of missing) {
      rmSync(join(modules, name), { force: true });
      symlinkSync(join(extra, 'node_modules', name), join(modules, name));
    }
  }
  if (!existsSync(binary)) sh(BUN, [join(tree, 'build', 'compile.ts'), '--outfile', binary], tree);
  return { binary, tree };
}

/** A stdio server on `project`, initialized. */
async function serve(binary: string, project: string): Promise<{ proc: Proc; client: StdioClient; spawnedAt: number }> {
  const spawnedAt = performance.now();
  const proc = startProc('praxis', binary, ['serve', '--transport', 'stdio', '--project', project, '--log-level', 'error']);
  const client = stdioClient(proc);
  await initialize(client);
  return { proc, client, spawnedAt };
}

/** Results of a search over stdio: the files of the hits. */
async function search(client: StdioClient, query: string, n = 5): Promise<string[]> {
  const line = await client.request('tools/call', { name: 'search_standards', arguments: { query, n_results: n } });
  const reply = JSON.parse(line) as { result?: { structuredContent?: { results?: { file: string }[] } } };
  return (reply.result?.structuredContent?.results ?? []).map((r) => r.file);
}

/** Private memory stops moving: two readings a second apart within 0.5 MB (2 to 15 s). */
async function settle(pid: number): Promise<void> {
  let last = rssMb(pid, 'RssAnon') ?? 0;
  for (let waited = 1; waited <= 15; waited++) {
    await pause(1000);
    const now = rssMb(pid, 'RssAnon') ?? 0;
    if (waited >= 2 && Math.abs(now - last) < 0.5) return;
    last = now;
  }
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const ms = (n: number) => `${n.toFixed(n < 10 ? 2 : 0)} ms`;
const mb = (n: number | undefined) => (n === undefined ? 'n/a' : `${n.toFixed(1)} MB`);

interface Measures {
  [key: string]: string;
}

async function measureBinary(binary: string, projects: { big: string; devset2: string; example: string; empty: string }): Promise<Measures> {
  const m: Measures = {};
  // First build: a fresh copy of the 10k project (no database), spawn to the first answer.
  const fresh = mkdtempSync(join(tmpdir(), 'praxis-speed-fresh-'));
  cpSync(projects.big, fresh, { recursive: true });
  try {
    let s = await serve(binary, fresh);
    while ((await search(s.client, 'testing errors')).length === 0) await pause(2);
    m.first = ms(performance.now() - s.spawnedAt);
    // A one-file change, found by a query for a new word; median of 5.
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const token = `zqx${'abcde'[i]}marker${i}w`;
      const file = join(fresh, '.praxis-os', 'standards', `area-${i}`, `doc-${i}.md`);
      const t = performance.now();
      writeFileSync(file, `${readFileSync(file, 'utf8')}\n## Changed ${i}\n${token} words here\n`);
      while (!(await search(s.client, token, 1)).some((f) => f === `area-${i}/doc-${i}.md`)) await pause(1);
      times.push(performance.now() - t);
    }
    m.change = ms(median(times));
    await s.proc.stop();
    // Restart with nothing changed: spawn to the first answer (median of 3).
    const restarts: number[] = [];
    for (let i = 0; i < 3; i++) {
      s = await serve(binary, fresh);
      while ((await search(s.client, 'testing errors')).length === 0) await pause(2);
      restarts.push(performance.now() - s.spawnedAt);
      await s.proc.stop();
    }
    m.restart = ms(median(restarts));
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
  // RSS with ~6,000 chunks loaded, after a first search, settled.
  for (const [key, project] of [['rss_devset2', projects.devset2], ['rss_example', projects.example]] as const) {
    const s = await serve(binary, project);
    try {
      while ((await search(s.client, 'testing')).length === 0) await pause(5);
      await settle(s.proc.pid);
      m[key] = `${mb(rssMb(s.proc.pid))} (private ${mb(rssMb(s.proc.pid, 'RssAnon'))})`;
    } finally {
      await s.proc.stop();
    }
  }
  const state: number[] = [];
  for (let i = 0; i < 9; i++) state.push(await timeToStateFile(projects.empty, binary));
  m.state = ms(median(state));
  return m;
}

/** Runs a tree's bench/standards.bench.ts (10,000 generated chunks, in process) and reads its table. */
function inProcess(tree: string): Measures {
  const out = sh(BUN, [join(tree, 'bench', 'standards.bench.ts'), '--binary', '/nonexistent'], tree);
  const rows = new Map(out.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| measure')).map((l) => {
    const [, k, v] = l.split('|').map((c) => c.trim());
    return [k!, v!] as const;
  }));
  const find = (re: RegExp) => [...rows.entries()].find(([k]) => re.test(k))?.[1] ?? 'n/a';
  return {
    build: find(/^index build/),
    read: find(/^read \+ parse/),
    p50: find(/latency p50/),
    p99: find(/latency p99/),
    rss_growth: find(/^RSS growth/),
    change_inproc: find(/^change to searchable, median/),
  };
}

async function main(): Promise<void> {
  const binary = resolve(arg('binary', join(ROOT, 'dist', process.platform === 'win32' ? 'praxis-mcp.exe' : 'praxis-mcp')));
  const commit = arg('baseline-commit', 'a6891f9');
  const withBaseline = !process.argv.includes('--no-baseline');
  const work = mkdtempSync(join(tmpdir(), 'praxis-speed-'));
  const projects = { big: join(work, 'big'), devset2: join(work, 'devset2'), example: join(work, 'example'), empty: join(work, 'empty') };
  writeCorpus(join(projects.big, '.praxis-os', 'standards'), 10_000);
  for (const copy of ['a', 'b']) cpSync(DEVSET, join(projects.devset2, '.praxis-os', 'standards', copy), { recursive: true });
  cpSync(join(ROOT, 'example'), projects.example, { recursive: true });
  rmSync(join(projects.example, '.praxis-os', '.cache'), { recursive: true, force: true });
  mkdirSync(join(projects.empty, '.praxis-os'), { recursive: true });
  const cols: { name: string; bin: Measures; inproc: Measures }[] = [];
  try {
    if (withBaseline) {
      const base = buildBaseline(commit);
      cols.push({ name: `MiniSearch (${commit})`, bin: await measureBinary(base.binary, projects), inproc: inProcess(base.tree) });
      for (const p of Object.values(projects)) rmSync(join(p, '.praxis-os', '.cache'), { recursive: true, force: true });
    }
    cols.push({ name: 'SQLite FTS5 (this tree)', bin: await measureBinary(binary, projects), inproc: inProcess(ROOT) });
  } finally {
    await stopAll();
    rmSync(work, { recursive: true, force: true });
  }
  const rows: [string, string, (c: (typeof cols)[number]) => string][] = [
    ['10,000 chunks in process: query p50', '<= 1 ms', (c) => c.inproc.p50!],
    ['10,000 chunks in process: query p99', '<= 5 ms', (c) => c.inproc.p99!],
    ['10,000 chunks in process: index build (after read + parse)', '', (c) => `${c.inproc.build} (+ ${c.inproc.read})`],
    ['10,000 chunks in process: RSS growth', '', (c) => c.inproc.rss_growth!],
    ['10,000 chunks binary: spawn to first answer, fresh project (first build)', '<= 1 s', (c) => c.bin.first!],
    ['10,000 chunks binary: restart, files unchanged, spawn to first answer', '<= 150 ms', (c) => c.bin.restart!],
    ['10,000 chunks binary: one-file change to searchable (median of 5)', '<= 200 ms', (c) => c.bin.change!],
    ['server RSS, dev set corpus x2 (6,008 chunks) loaded', '<= 90 MB', (c) => c.bin.rss_devset2!],
    ['server RSS, example project, idle after indexing', 'no higher than today', (c) => c.bin.rss_example!],
    ['spawn to state file, empty project (median of 9)', '<= 40 ms', (c) => c.bin.state!],
  ];
  const machine = `${process.platform}-${process.arch}, ${navigator.hardwareConcurrency} cores, Bun ${process.versions.bun ?? '?'}`;
  process.stdout.write(`### search_standards speed and memory (${machine}, ${new Date().toISOString().slice(0, 16)}Z)\n\n`);
  process.stdout.write(`| measure | target | ${cols.map((c) => c.name).join(' | ')} |\n|---|---|${cols.map(() => '---|').join('')}\n`);
  for (const [label, target, get] of rows) process.stdout.write(`| ${label} | ${target} | ${cols.map(get).join(' | ')} |\n`);
}

if (import.meta.main) await main();
