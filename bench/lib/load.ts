// Runs one HTTP load with a real generator in its own process: wrk (C, preferred: it needs far
// less CPU per request than the servers it measures) or autocannon under Node (the npm
// devDependency, used when wrk is not installed). Both report the same figures.
import { spawn, spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORK_DIR, benchFile } from './build.ts';

/** One load run: `{{ID}}` in `body` becomes a fresh JSON-RPC id per request. */
export interface LoadSpec {
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  durationS?: number;
  /** Stop after this many requests (autocannon only). */
  amount?: number;
}

/** What a run measured; latencies in microseconds. */
export interface LoadResult {
  ok: number;
  rps: number;
  p50us: number | null;
  p99us: number | null;
  errors: number;
}

export type Generator = 'wrk' | 'autocannon';

/** The generator to use: wrk when it is on PATH (installed from apt first with `install`), else autocannon. */
export function pickGenerator(forced?: Generator, install = false): Generator {
  if (forced) return forced;
  const hasWrk = () => !spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error;
  if (!hasWrk() && install) spawnSync('apt-get', ['install', '-y', '-qq', 'wrk'], { stdio: 'inherit' });
  return hasWrk() ? 'wrk' : 'autocannon';
}

function collect(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}: ${err || out}`))));
  });
}

const lua = (s: string) => `[==[${s}]==]`;
let scriptCount = 0;

function wrkScript(spec: LoadSpec): string {
  const [pre, post = ''] = spec.body.split('{{ID}}');
  const headers = Object.entries(spec.headers).map(([k, v]) => `[ ${lua(k)} ] = ${lua(v)}`).join(', ');
  const path = join(WORK_DIR, `wrk-${process.pid}-${scriptCount++}.lua`);
  writeFileSync(
    path,
    `local n = 0
local headers = { ${headers} }
local pre, post = ${lua(pre!)}, ${lua(post)}
request = function()
  n = n + 1
  return wrk.format("POST", nil, headers, pre .. n .. post)
end
done = function(s, latency)
  local e = s.errors
  io.write(string.format('\\nWRKJSON {"requests":%d,"duration_us":%d,"p50":%d,"p99":%d,"errors":%d}\\n',
    s.requests, s.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
`,
  );
  return path;
}

async function runWrk(spec: LoadSpec): Promise<LoadResult> {
  const script = wrkScript(spec);
  const seconds = Math.max(1, Math.round(spec.durationS ?? 3));
  const out = await collect('wrk', ['-t1', `-c${spec.connections}`, `-d${seconds}s`, '--timeout', '10s', '-s', script, spec.url]).finally(
    () => rmSync(script, { force: true }),
  );
  const line = out.split('\n').find((l) => l.startsWith('WRKJSON '));
  if (!line) throw new Error(`wrk printed no result: ${out}`);
  const r = JSON.parse(line.slice(8)) as { requests: number; duration_us: number; p50: number; p99: number; errors: number };
  const ok = r.requests - r.errors;
  return { ok, rps: ok / (r.duration_us / 1e6), p50us: r.p50, p99us: r.p99, errors: r.errors };
}

async function runAutocannon(spec: LoadSpec): Promise<LoadResult> {
  const driver = benchFile('load/autocannon-driver.mjs');
  const body = spec.body.replace('{{ID}}', '"[<id>]"');
  const out = await collect('node', [driver, JSON.stringify({ ...spec, body })]);
  const r = JSON.parse(out.trim().split('\n').pop()!) as LoadResult & { non2xx: number };
  return { ok: r.ok, rps: r.rps, p50us: r.p50us, p99us: r.p99us, errors: r.errors + r.non2xx };
}

/** Runs one load with `generator` (autocannon whenever `amount` is set: wrk cannot stop at a count). */
export function runLoad(generator: Generator, spec: LoadSpec): Promise<LoadResult> {
  return generator === 'wrk' && spec.amount === undefined ? runWrk(spec) : runAutocannon(spec);
}
