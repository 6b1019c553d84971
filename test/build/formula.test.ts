// The generated Homebrew formula: one url + sha256 per (OS, CPU) matching SHA256SUMS, valid Ruby
// when Ruby is here, and a `test do` block whose request and check work against the real binary.
import { afterAll, describe, expect, test } from 'bun:test';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TARGETS, packageVersion, parseSums } from '../../build/compile.ts';
import { renderFormula } from '../../build/homebrew.ts';
import { ROOT, runBinary } from '../helpers/process.ts';

const work = mkdtempSync(join(tmpdir(), 'praxis-formula-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Distinct made-up sums, so that a formula pairing a URL with another target's sum fails.
const sumsText = TARGETS.map((t, i) => `${String(i + 1).repeat(64)}  ${t.file}`).join('\n') + '\n';
const sumsPath = join(work, 'SHA256SUMS');
writeFileSync(sumsPath, sumsText);

function generate(extra: string[] = []): { code: number | null; formula: string; stderr: string } {
  const out = join(work, `praxis-mcp-${Math.random().toString(36).slice(2)}.rb`);
  const result = spawnSync(process.execPath, [join(ROOT, 'build', 'homebrew.ts'), '--sums', sumsPath, '--out', out, ...extra], {
    encoding: 'utf8',
    env: { ...process.env, GITHUB_REPOSITORY: undefined } as NodeJS.ProcessEnv,
  });
  let formula = '';
  try {
    formula = readFileSync(out, 'utf8');
  } catch {}
  return { code: result.status, formula, stderr: result.stderr };
}

/** (os block, cpu block) -> { url, sha256 } as the formula states them. */
function resources(formula: string): Map<string, { url: string; sha256: string }> {
  const found = new Map<string, { url: string; sha256: string }>();
  let os = '';
  let cpu = '';
  let url = '';
  for (const line of formula.split('\n')) {
    const block = /^\s*on_(macos|linux|arm|intel) do$/.exec(line);
    if (block) (['macos', 'linux'].includes(block[1]!) ? (os = block[1]!) : (cpu = block[1]!));
    const u = /^\s*url "(.+)"$/.exec(line);
    if (u) url = u[1]!;
    const s = /^\s*sha256 "(.+)"$/.exec(line);
    if (s) found.set(`${os}/${cpu}`, { url, sha256: s[1]! });
  }
  return found;
}

describe('npm run formula (build/homebrew.ts)', () => {
  const { code, formula } = generate(['--version', '9.8.7', '--repo', 'acme/praxis']);

  test('exits 0 and states the version', () => {
    expect(code).toBe(0);
    expect(formula).toContain('class PraxisMcp < Formula');
    expect(formula).toContain('version "9.8.7"');
  });

  test.each([
    ['macos/arm', 'praxis-mcp-darwin-arm64'],
    ['macos/intel', 'praxis-mcp-darwin-x64'],
    ['linux/arm', 'praxis-mcp-linux-arm64'],
    ['linux/intel', 'praxis-mcp-linux-x64'],
  ])('%s downloads %s from the release and pins its SHA256SUMS line', (block, file) => {
    const found = resources(formula).get(block);
    expect(found?.url).toBe(`https://github.com/acme/praxis/releases/download/v9.8.7/${file}`);
    expect(found?.sha256).toBe(parseSums(sumsText).get(file)!);
  });

  test('every sha256 in the formula is a line of SHA256SUMS, and there are exactly four', () => {
    const all = [...formula.matchAll(/sha256 "([0-9a-f]{64})"/g)].map((m) => m[1]);
    expect(all).toHaveLength(4);
    const sums = new Set(parseSums(sumsText).values());
    for (const sha of all) expect(sums.has(sha!)).toBe(true);
  });

  test('installs the binary as praxis-mcp', () => {
    expect(formula).toContain('bin.install Dir["praxis-mcp-*"].first => "praxis-mcp"');
  });

  const ruby = spawnSync('ruby', ['--version'], { stdio: 'ignore' }).status === 0;
  test.skipIf(!ruby)('is valid Ruby (ruby -c)', () => {
    const path = join(work, 'check.rb');
    writeFileSync(path, formula);
    const result = spawnSync('ruby', ['-c', path], { encoding: 'utf8' });
    expect(result.stdout).toContain('Syntax OK');
    expect(result.status).toBe(0);
  });

  test('refuses SHA256SUMS without a unix target', () => {
    const partial = join(work, 'PARTIAL');
    writeFileSync(partial, sumsText.split('\n').filter((l) => !l.includes('darwin-arm64')).join('\n'));
    const result = spawnSync(process.execPath, [join(ROOT, 'build', 'homebrew.ts'), '--sums', partial, '--out', join(work, 'x.rb')], { encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('praxis-mcp-darwin-arm64');
  });
});

describe('the formula\'s `test do` block', () => {
  const version = packageVersion();
  const formula = renderFormula({ version, sums: parseSums(sumsText), baseUrl: 'https://x', homepage: 'https://x' });

  test('pipes its initialize request into the real binary and the reply passes its assert_match', async () => {
    const literal = /request = ("(?:[^"\\]|\\.)*")/.exec(formula)?.[1];
    expect(literal).toBeDefined();
    const request = JSON.parse(literal!); // the Ruby literal uses only \" escapes, which JSON reads alike
    expect(JSON.parse(request).method).toBe('initialize');
    expect(formula).toContain('praxis-mcp serve --transport stdio --project #{testpath}');
    const project = join(work, 'testpath');
    mkdirSync(join(project, '.praxis-os', 'standards'), { recursive: true });
    const result = await runBinary(['serve', '--transport', 'stdio', '--project', project], { input: `${request}\n` });
    expect(result.code).toBe(0);
    // The formula's second assert_match, with #{version} filled in as Homebrew would.
    const expected = /assert_match "((?:[^"\\]|\\.)*)", output/.exec(formula)![1]!.replace(/\\"/g, '"').replace('#{version}', version);
    expect(expected).toBe(`"serverInfo":{"name":"praxis-mcp","version":"${version}"}`);
    expect(result.stdout).toContain(expected);
    expect(result.stdout).toMatch(/"id":1\b/);
  });
});
