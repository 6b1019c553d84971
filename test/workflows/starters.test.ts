// The starter workflows of our own, feature_v1 and bugfix_v1 (issue 13): in the example project,
// embedded for `init`, loading with no errors, every phase strictly gated by server-run checks,
// and those gates pass on the work they ask for and fail without it.
import { afterEach, describe, expect, test } from 'bun:test';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { SOURCE_DIR, STARTER_WORKFLOWS, TARGET_FILE, starterModule } from '../../build/embed-workflows.ts';
import { initProject } from '../../src/commands/init.ts';
import { loadDefinitions } from '../../src/workflows/definitions/load-definitions.ts';
import { evaluateGate } from '../../src/workflows/gates/evaluate-gate.ts';
import { gitHead } from '../../src/workflows/gates/git-changed.ts';
import type { CheckContext, WorkflowDefinition } from '../../src/workflows/types.ts';
import { type TempProject, tempProject } from '../helpers/process.ts';

const EXAMPLE = resolve(import.meta.dirname, '../../example');
const projects: TempProject[] = [];
afterEach(() => {
  for (const p of projects.splice(0)) p.cleanup();
});

function initialised(): TempProject {
  const project = tempProject({ praxis: false, prefix: 'praxis-starters-' });
  projects.push(project);
  initProject(project.root);
  return project;
}

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

const JUNIT_PASS = '<testsuite name="s" tests="2"><testcase name="a"/><testcase name="b"/></testsuite>\n';
const JUNIT_RED = '<testsuite name="s" tests="1"><testcase name="regression"><failure message="bug"/></testcase></testsuite>\n';

describe('the starter workflows', () => {
  test('the embedded module is up to date with example/.praxis-os/workflows (else: bun build/embed-workflows.ts)', () => {
    expect(readFileSync(TARGET_FILE, 'utf8')).toBe(starterModule());
    expect(SOURCE_DIR).toBe(join(EXAMPLE, '.praxis-os', 'workflows'));
  });

  test.each([
    ['the example project', () => EXAMPLE],
    ['a project made by init', () => initialised().root],
  ])('%s: both load with no errors, every phase strictly gated by server-run checks, nothing unenforced', (_name, root) => {
    const set = loadDefinitions(root());
    expect(set.errors).toEqual([]);
    expect([...set.definitions.keys()].sort()).toEqual([...STARTER_WORKFLOWS]);
    const feature = set.definitions.get('feature_v1')!;
    const bugfix = set.definitions.get('bugfix_v1')!;
    expect(feature.phases.map((p) => p.name)).toEqual(['Spec', 'Design', 'Tasks', 'Implement', 'Verify']);
    expect(bugfix.phases.map((p) => p.name)).toEqual(['Reproduce', 'Root cause', 'Fix', 'Regression test']);
    for (const def of [feature, bugfix]) {
      expect(def.notEnforced).toEqual([]);
      for (const phase of def.phases) {
        expect(phase.gate?.strict).toBe(true);
        expect(phase.gate!.checks.length).toBeGreaterThan(0);
        expect(phase.tasks.length).toBeGreaterThan(0);
        expect(phase.overviewFile).toBe(`phases/${phase.number}/phase.md`);
      }
    }
    const kinds = new Set([feature, bugfix].flatMap((d) => d.phases.flatMap((p) => p.gate!.checks.map((c) => c.kind))));
    expect([...kinds].sort()).toEqual(['file_contains', 'file_exists', 'git_changed', 'section_present', 'test_report']);
  });

  test('init never overwrites a workflow the user changed', () => {
    const { root } = initialised();
    const path = join(root, '.praxis-os', 'workflows', 'feature_v1', 'metadata.json');
    writeFileSync(path, '{"mine": true}');
    const report = initProject(root);
    expect(report.kept).toContain('.praxis-os/workflows/feature_v1/metadata.json');
    expect(readFileSync(path, 'utf8')).toBe('{"mine": true}');
  });
});

describe('the starter gates do their job', () => {
  const gitOk = spawnSync('git', ['--version']).status === 0;
  const git = (root: string, ...args: string[]) => {
    const r = spawnSync('git', args, { cwd: root, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });
    if (r.status !== 0) throw new Error(r.stderr);
  };

  function session(def: WorkflowDefinition, root: string, started: Date, base: string | null) {
    const ctx: CheckContext = { root, sessionStartedAt: started, gitBaseCommit: base, vars: { target_file: 'work/w1' } };
    return (phase: number, evidence: unknown) => evaluateGate(def.phases[phase]!.gate!, evidence, ctx);
  }

  test.skipIf(!gitOk)('feature_v1: each gate fails on an empty target and passes once the work is there', () => {
    const { root } = initialised();
    write(root, { 'src/app.ts': 'export {};\n' });
    git(root, 'init', '-q');
    git(root, 'add', '.');
    git(root, 'commit', '-qm', 'base');
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(join(root, 'src/app.ts'), old, old);
    const gate = session(loadDefinitions(root).definitions.get('feature_v1')!, root, new Date(), gitHead(root));
    const evidence = [
      { requirement_count: 2, open_questions: [] },
      { components_touched: ['src/app.ts'], approach_summary: 'A flag.' },
      { task_count: 1 },
      { files_changed: ['src/app.ts'], tests_added: 1 },
      { acceptance_criteria_met: true, full_suite_passed: true },
    ];
    for (const [phase, ev] of evidence.entries()) {
      const result = gate(phase, ev);
      expect(result.passed).toBe(false);
      expect(result.checks.some((c) => !c.passed && c.remediation !== '')).toBe(true);
    }
    // Self-reported evidence alone is not enough, and "zero requirements" is refused by the schema.
    expect(gate(0, { requirement_count: 0, open_questions: [] }).evidenceErrors.map((e) => e.path)).toEqual(['/requirement_count']);
    write(root, {
      'work/w1/spec.md': '# Login\n## Problem\nx\n## Users\nx\n## Requirements\nR1\n## Acceptance criteria\nA1\n## Out of scope\nnone\n',
      'work/w1/design.md': '# Design\n## Approach\nx\n## Alternatives considered\ny\n## Risks\nz\n',
      'work/w1/tasks.md': '# Tasks\n\n## Phase 1: Build\n\n- [ ] **Task 1.1**: Add the flag\n',
      'src/app.ts': 'export const flag = true;\n',
      'work/w1/test-report.xml': JUNIT_PASS,
      'work/w1/summary.md': '# Summary\n## What changed\nx\n## Acceptance criteria\nA1: test a\n',
    });
    for (const [phase, ev] of evidence.entries()) {
      const result = gate(phase, ev);
      expect({ phase, failing: result.checks.filter((c) => !c.passed), errors: result.evidenceErrors }).toEqual({ phase, failing: [], errors: [] });
      expect(result.passed).toBe(true);
    }
    write(root, { 'work/w1/test-report.xml': JUNIT_RED });
    expect(gate(4, evidence[4]).passed).toBe(false); // a red suite does not verify
  });

  test.skipIf(!gitOk)('bugfix_v1: the fix phase needs a red report, the regression phase a green one', () => {
    const { root } = initialised();
    write(root, { 'src/sum.ts': 'export const sum = (a: number, b: number) => a - b;\n' });
    git(root, 'init', '-q');
    git(root, 'add', '.');
    git(root, 'commit', '-qm', 'base');
    const old = new Date(Date.now() - 3_600_000);
    utimesSync(join(root, 'src/sum.ts'), old, old);
    const gate = session(loadDefinitions(root).definitions.get('bugfix_v1')!, root, new Date(), gitHead(root));
    write(root, {
      'work/w1/bug.md': '# Bug\n## Steps to reproduce\n1. sum(1, 1)\n## Expected behaviour\n2\n## Actual behaviour\n0\n## Root cause\nminus\n## Regression test\nsum adds\n',
      'work/w1/red-report.xml': JUNIT_PASS, // not red: the test never saw the bug
    });
    expect(gate(0, { reproduced: true, reproduction_steps: ['sum(1, 1)'] }).passed).toBe(true);
    expect(gate(0, { reproduced: false, reproduction_steps: ['sum(1, 1)'] }).passed).toBe(false);
    expect(gate(1, { root_cause: 'minus', faulty_files: ['src/sum.ts'] }).passed).toBe(true);
    const fixEvidence = { fix_summary: 'plus', files_changed: ['src/sum.ts'] };
    const notRed = gate(2, fixEvidence);
    expect(notRed.passed).toBe(false);
    expect(notRed.checks.filter((c) => !c.passed).map((c) => c.check.kind)).toEqual(['test_report', 'git_changed']);
    write(root, { 'work/w1/red-report.xml': JUNIT_RED, 'src/sum.ts': 'export const sum = (a: number, b: number) => a + b;\n' });
    expect(gate(2, fixEvidence).passed).toBe(true);
    expect(gate(3, { regression_test: 'sum adds', full_suite_passed: true }).passed).toBe(false); // no green report yet
    write(root, { 'work/w1/test-report.xml': JUNIT_PASS });
    expect(gate(3, { regression_test: 'sum adds', full_suite_passed: true }).passed).toBe(true);
  });
});
