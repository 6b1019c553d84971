// The GitHub workflows parse as YAML and have the shape Actions requires, plus the steps issue 5
// promises: CI runs .ci/run on three OSes; a tag release builds, re-signs darwin and fails on a bad
// signature, uploads binaries and SHA256SUMS, and updates the Homebrew tap.
import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../helpers/process.ts';

type Step = { uses?: string; run?: string; name?: string; with?: Record<string, unknown> };
type Job = { 'runs-on': unknown; steps: Step[]; needs?: string | string[]; strategy?: { matrix?: Record<string, unknown> } };
type Workflow = { name: string; on: Record<string, any>; jobs: Record<string, Job> };

const load = (file: string): Workflow => parse(readFileSync(join(ROOT, '.github', 'workflows', file), 'utf8'));
const runs = (job: Job) => job.steps.map((s) => s.run ?? '').join('\n');

describe.each(['ci.yml', 'release.yml'])('%s is a valid workflow', (file) => {
  const workflow = load(file);

  test('has name, triggers and jobs', () => {
    expect(typeof workflow.name).toBe('string');
    expect(typeof workflow.on).toBe('object');
    expect(Object.keys(workflow.jobs).length).toBeGreaterThan(0);
  });

  test.each(Object.entries(workflow.jobs))('job %s: runs-on, steps each with exactly one of uses/run, needs that exist', (_, job) => {
    expect(job['runs-on']).toBeDefined();
    expect(job.steps.length).toBeGreaterThan(0);
    for (const step of job.steps) expect(Number(step.uses !== undefined) + Number(step.run !== undefined)).toBe(1);
    for (const need of [job.needs ?? []].flat()) expect(Object.keys(workflow.jobs)).toContain(need);
    for (const step of job.steps) if (step.uses) expect(step.uses).toMatch(/^[\w.-]+\/[\w./-]+@[\w.-]+$/);
  });
});

describe('ci.yml', () => {
  const ci = load('ci.yml');
  test('runs .ci/run on Linux, macOS and Windows for pushes and pull requests', () => {
    expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(['push', 'pull_request']));
    const job = ci.jobs.test!;
    expect(job.strategy?.matrix?.os).toEqual(['ubuntu-latest', 'macos-latest', 'windows-latest']);
    expect(job['runs-on']).toBe('${{ matrix.os }}');
    expect(runs(job)).toContain('.ci/run');
  });
});

describe('release.yml', () => {
  const release = load('release.yml');
  const jobs = Object.values(release.jobs);
  const jobRunning = (text: string) => jobs.find((j) => runs(j).includes(text));

  test('triggers on version tags only', () => {
    expect(Object.keys(release.on)).toEqual(['push']);
    expect(release.on.push.tags).toEqual(['v*']);
  });

  test('builds every target', () => {
    expect(jobRunning('npm run build:all')).toBeDefined();
  });

  test('re-signs the darwin binaries ad hoc on macOS and verifies the signature (a failing codesign fails the job)', () => {
    const job = jobRunning('codesign --force --sign -')!;
    expect(String(job['runs-on'])).toStartWith('macos');
    const script = runs(job);
    for (const file of ['praxis-mcp-darwin-arm64', 'praxis-mcp-darwin-x64']) expect(script).toContain(file);
    expect(script).toContain('codesign --verify');
    expect(script).toContain('set -euo pipefail');
    expect(script).not.toMatch(/codesign --verify[^\n]*\|\| true/);
  });

  test('uploads binaries, SHA256SUMS and install.sh to the release after signing', () => {
    const [name, job] = Object.entries(release.jobs).find(([, j]) => runs(j).includes('gh release create'))!;
    expect(runs(job)).toMatch(/dist\/praxis-mcp-\* dist\/server\.json dist\/SHA256SUMS install\.sh/);
    const signer = Object.entries(release.jobs).find(([, j]) => runs(j).includes('codesign'))![0];
    expect([job.needs].flat()).toContain(signer);
    expect(name).not.toBe(signer);
  });

  test('regenerates the formula and pushes it to the Homebrew tap', () => {
    const job = jobRunning('npm run formula')!;
    expect(runs(job)).toContain('git push');
    expect(job.steps.some((s) => String(s.with?.repository ?? '').includes('homebrew-tap'))).toBe(true);
  });
});

describe('installs use the committed lockfile (issue 10)', () => {
  const ciRun = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
  const commands = (text: string) => text.split('\n').filter((line) => !line.trimStart().startsWith('#'));
  test('.ci/run installs with npm ci, never npm install', () => {
    expect(commands(ciRun).some((line) => /^\s*npm ci\b/.test(line))).toBe(true);
    expect(commands(ciRun).some((line) => /\bnpm (install|i)\b/.test(line))).toBe(false);
  });
  test.each(['ci.yml', 'release.yml'])('%s installs only through .ci/run or npm ci', (file) => {
    const script = Object.values(load(file).jobs).map(runs).join('\n');
    expect(script).not.toMatch(/\bnpm (install|i)\b/);
    expect(script).toMatch(/\.ci\/run|npm ci\b/);
  });
});

describe('release.yml publishes the npm packages (issue 15)', () => {
  const release = load('release.yml');
  test('generates them from the signed binaries, publishes every platform package before the launcher', () => {
    const [, job] = Object.entries(release.jobs).find(([, j]) => runs(j).includes('build/npm-packages.ts'))!;
    const script = runs(job);
    expect(script).toContain('--bins dist');
    expect(script.indexOf('build/npm-packages.ts')).toBeLessThan(script.indexOf('npm publish'));
    expect(script.lastIndexOf('npm publish npm-packages/praxis-mcp')).toBeGreaterThan(script.indexOf('npm publish "$dir"'));
    const signer = Object.entries(release.jobs).find(([, j]) => runs(j).includes('codesign'))![0];
    expect([job.needs].flat()).toContain(signer);
  });
});

describe('release.yml ships the one-click artifacts (issue 15)', () => {
  const release = load('release.yml');
  test('bundles, server.json and SHA256SUMS are built from the signed binaries, checked, then uploaded', () => {
    const [, job] = Object.entries(release.jobs).find(([, j]) => runs(j).includes('gh release create'))!;
    const script = runs(job);
    const packaged = script.indexOf('build/compile.ts --package --outdir dist');
    expect(packaged).toBeGreaterThan(0);
    expect(script.indexOf('PRAXIS_ARTIFACTS_DIR=dist npx bun test test/build/artifacts.test.ts')).toBeGreaterThan(packaged);
    expect(script.indexOf('gh release create')).toBeGreaterThan(packaged);
    expect(script).toContain('mcp-publisher publish');
    expect((job as { permissions?: Record<string, string> }).permissions?.['id-token']).toBe('write');
  });
});
