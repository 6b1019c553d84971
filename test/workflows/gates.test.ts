// Gates that mean something (issue 13): evidence against the translated JSON Schema, and the
// checks the server runs itself, confined to the project (links that lead out are refused).
import { afterEach, describe, expect, test } from 'bun:test';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseGateFile } from '../../src/workflows/definitions/gate-file.ts';
import { evaluateGate } from '../../src/workflows/gates/evaluate-gate.ts';
import { changedFiles, gitHead } from '../../src/workflows/gates/git-changed.ts';
import { fillPlaceholders, runCheck } from '../../src/workflows/gates/run-check.ts';
import { compileGateRegex } from '../../src/workflows/gates/gate-regex.ts';
import { parseJUnit, parseTap } from '../../src/workflows/gates/test-report.ts';
import { validateEvidence } from '../../src/workflows/gates/validate-evidence.ts';
import type { CheckContext, CheckDef, GateDef } from '../../src/workflows/types.ts';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix = 'praxis-gates-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** A project with these files (path -> content). */
function project(files: Record<string, string> = {}): string {
  const root = tempDir();
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const ctx = (root: string, extra: Partial<CheckContext> = {}): CheckContext => ({ root, sessionStartedAt: new Date(Date.now() - 60_000), gitBaseCommit: null, ...extra });

describe('validateEvidence', () => {
  const gate = parseGateFile(`
evidence_schema:
  tests_run: { type: integer, required: true, validator: positive }
  summary: { type: string, required: true, validator: non_empty }
  reviewed: { type: boolean, required: true, validator: yes }
  files: { type: list }
  "odd/name": { type: dict }
validators:
  positive: "lambda x: x > 0"
  non_empty: "lambda x: len(x) > 0"
  yes: "lambda x: x is True"
`);
  if ('error' in gate) throw new Error(gate.error);
  const schema = gate.gate.evidenceSchema;

  test.each([
    [{ tests_run: 3, summary: 'ok', reviewed: true }, []],
    [{ tests_run: 3, summary: 'ok', reviewed: true, extra: 'kept' }, []],
    [{ summary: 'ok', reviewed: true }, [{ path: '/tests_run', message: 'required, missing' }]],
    [{ tests_run: '3', summary: 'ok', reviewed: true }, [{ path: '/tests_run', message: 'Instance type "string" is invalid. Expected "integer"' }]],
    [{ tests_run: 0, summary: '', reviewed: false }, [
      { path: '/tests_run', message: '0 is less than 1' },
      { path: '/summary', message: 'String is too short (0 < 1)' },
      { path: '/reviewed', message: 'Instance does not match true' },
    ]],
    [{ tests_run: 1, summary: 'x', reviewed: true, files: 'a.ts', 'odd/name': [] }, [
      { path: '/files', message: 'Instance type "string" is invalid. Expected "array"' },
      { path: '/odd~1name', message: 'Instance type "array" is invalid. Expected "object"' },
    ]],
    [null, [{ path: '', message: 'Instance type "null" is invalid. Expected "object"' }]],
  ])('%j -> %j', (evidence, errors) => {
    expect(validateEvidence(schema, evidence)).toEqual(errors);
  });
});

describe('file_exists', () => {
  test.each([
    [{ kind: 'file_exists', glob: 'docs/*.md' }, true, '1 file(s): docs/a.md'],
    [{ kind: 'file_exists', glob: 'docs/*.md', min_count: 2 }, false, '1 file(s): docs/a.md'],
    [{ kind: 'file_exists', glob: '**/*.ts', min_count: 2 }, true, '2 file(s): src/deep/b.ts, src/x.ts'],
    [{ kind: 'file_exists', glob: 'missing/**' }, false, '0 file(s)'],
  ] as [CheckDef, boolean, string][])('%j', (check, passed, actual) => {
    const root = project({ 'docs/a.md': '# a', 'src/x.ts': '', 'src/deep/b.ts': '', 'node_modules/m/i.ts': '' });
    const r = runCheck(check, ctx(root));
    expect([r.passed, r.actual]).toEqual([passed, actual]);
    expect(r.remediation === '').toBe(passed);
  });

  test('a link that leads outside the project is not counted, and said so', () => {
    const root = project({ 'docs/real.md': '' });
    const away = tempDir('praxis-gates-outside-');
    writeFileSync(join(away, 'secret.md'), 'x');
    symlinkSync(join(away, 'secret.md'), join(root, 'docs', 'linked.md'));
    const r = runCheck({ kind: 'file_exists', glob: 'docs/*.md', min_count: 2 }, ctx(root));
    expect(r.passed).toBe(false);
    expect(r.actual).toBe('1 file(s): docs/real.md (1 link(s) leading outside the project not counted: docs/linked.md)');
  });

  test('a folder that links outside is not entered', () => {
    const root = project();
    const away = tempDir('praxis-gates-outside-');
    writeFileSync(join(away, 'a.md'), 'x');
    symlinkSync(away, join(root, 'docs'));
    expect(runCheck({ kind: 'file_exists', glob: 'docs/*.md' }, ctx(root)).passed).toBe(false);
  });
});

describe('file_contains', () => {
  const root = () => project({ 'notes.md': '# Notes\nstatus: DONE\nowner = ana\n', 'big.txt': 'x'.repeat(1024 * 1024 + 1) });
  test.each([
    [{ kind: 'file_contains', file: 'notes.md', text: 'status: DONE' }, true, 'found'],
    [{ kind: 'file_contains', file: 'notes.md', text: 'status: done' }, false, 'not found'],
    [{ kind: 'file_contains', file: 'notes.md', regex: '^owner = \\w+$' }, true, 'matched'],
    [{ kind: 'file_contains', file: 'notes.md', regex: '^owner = \\d+$' }, false, 'no match'],
    [{ kind: 'file_contains', file: 'notes.md', regex: '^(z+)+$' }, false, 'no match'],
    [{ kind: 'file_contains', file: 'gone.md', text: 'x' }, false, 'gone.md is missing or leads outside the project'],
    [{ kind: 'file_contains', file: 'big.txt', text: 'x' }, false, 'big.txt is 1048577 bytes, over the 1048576-byte limit'],
  ] as [CheckDef, boolean, string][])('%j', (check, passed, actual) => {
    const r = runCheck(check, ctx(root()));
    expect([r.passed, r.actual]).toEqual([passed, actual]);
  });

  test('a file that links outside the project is refused, never read', () => {
    const root = project();
    const away = tempDir('praxis-gates-outside-');
    writeFileSync(join(away, 'secret.txt'), 'password=hunter2');
    symlinkSync(join(away, 'secret.txt'), join(root, 'notes.md'));
    const r = runCheck({ kind: 'file_contains', file: 'notes.md', text: 'hunter2' }, ctx(root));
    expect(r).toMatchObject({ passed: false, actual: 'notes.md is missing or leads outside the project' });
  });
});

describe('gate regexes run on RE2: linear time, no hang', () => {
  test.each([
    ['^## Summary$', undefined],
    ['(a+)+$', undefined], // exponential on a backtracking engine, linear on RE2
    ['(a)\\1', 'invalid escape sequence'],
    ['(?=x)', 'unsupported Perl syntax'],
    ['(', 'missing closing )'],
    ['a'.repeat(501), 'longer than 500 characters'],
  ])('%s', (source, error) => {
    const compiled = compileGateRegex(source);
    if (error === undefined) expect('regex' in compiled).toBe(true);
    else expect('error' in compiled && compiled.error).toContain(error);
  });

  test('patterns that hang a backtracking engine finish on the largest input allowed', () => {
    const started = Date.now();
    for (const source of ['(a+)+$', '\\s*\\s*\\s*\\s*x', '(a|aa)*b']) {
      const compiled = compileGateRegex(source);
      if ('error' in compiled) throw new Error(compiled.error);
      expect(compiled.regex.test(`${'a '.repeat(64 * 1024)}!`)).toBe(false);
    }
    expect(Date.now() - started).toBeLessThan(20_000); // a backtracking engine would not finish at all
  });

  test('an invalid regex is refused when the workflow loads', () => {
    expect(parseGateFile('checks:\n  - kind: file_contains\n    file: a.md\n    regex: "(a)\\\\1"\n')).toMatchObject({ error: expect.stringMatching(/^checks\[0\]: regex: not a valid RE2/) });
  });
});

describe('section_present', () => {
  const text = '# Bug 12\n\n## Root cause\n\nx\n\n```md\n## Fix\n```\n\n### **Regression test** ###\n';
  test.each([
    ['Root cause', true],
    ['## root cause', true],
    ['Regression test', true],
    ['Fix', false], // only inside a code fence
    ['Cause', false],
  ])('%s', (heading, passed) => {
    const r = runCheck({ kind: 'section_present', file: 'bug.md', heading }, ctx(project({ 'bug.md': text })));
    expect(r.passed).toBe(passed);
    if (!passed) expect(r.actual).toBe('headings: "Bug 12", "Root cause", "**Regression test**"');
  });
});

describe('test reports', () => {
  const junitPass = `<?xml version="1.0" encoding="UTF-8"?>
<!-- written by a runner -->
<testsuites name="all" tests="3">
  <testsuite name="a" tests="3" failures="0">
    <testcase name="one &amp; two" classname="a"/>
    <testcase name="three"><system-out><![CDATA[<not a tag>]]></system-out></testcase>
    <testcase name="skip"><skipped/></testcase>
  </testsuite>
</testsuites>`;
  const junitFail = `<testsuite name="b" tests="2"><testcase name="x"><failure message="boom">trace</failure></testcase><testcase name="y"><error/></testcase></testsuite>`;

  test.each([
    [junitPass, { ok: true, tests: 3, failures: 0, skipped: 1 }],
    [junitFail, { ok: true, tests: 2, failures: 2, skipped: 0 }],
    ['<testsuites><testsuite tests="5" failures="1" errors="1" skipped="1"/></testsuites>', { ok: true, tests: 5, failures: 2, skipped: 1 }],
    ['<testsuite><testcase name="x"></testsuite>', { ok: false, error: 'not well-formed XML: </testsuite> does not close <testcase>' }],
    ['<html><body/></html>', { ok: false, error: 'root element <html>, expected <testsuites> or <testsuite>' }],
    ['<!DOCTYPE x [<!ENTITY a "aaaa">]><testsuite/>', { ok: false, error: 'not well-formed XML: a DOCTYPE is not accepted' }],
    ['', { ok: false, error: 'not well-formed XML: no root element' }],
    ['<testsuite/><testsuite/>', { ok: false, error: 'not well-formed XML: more than one root element' }],
  ])('JUnit %#', (text, expected) => {
    expect(parseJUnit(text)).toEqual(expected as never);
  });

  test.each([
    ['TAP version 13\n1..3\nok 1 - a\nok 2 - b # SKIP no db\nnot ok 3 - c # TODO later\n', { ok: true, tests: 3, failures: 0, skipped: 1 }],
    ['ok 1\nnot ok 2 - broken\n    # subtest detail\n    not ok 1 - inner\n1..2\n', { ok: true, tests: 2, failures: 1, skipped: 0 }],
    ['1..3\nok 1\nok 2\n', { ok: false, error: 'the plan says 3 tests, 2 ran' }],
    ['ok 1\n', { ok: false, error: 'no plan line ("1..N")' }],
    ['1..2\nok 1\nBail out! database down\n', { ok: false, error: 'the run bailed out: Bail out! database down' }],
    ['<testsuite/>', { ok: false, error: 'no plan line ("1..N")' }],
  ])('TAP %#', (text, expected) => {
    expect(parseTap(text)).toEqual(expected as never);
  });

  test.each([
    [{ kind: 'test_report', file: 'out/junit.xml' }, true, '3 test(s), 0 failing, 1 skipped'],
    [{ kind: 'test_report', file: 'out/fail.xml' }, false, '2 test(s), 2 failing, 0 skipped'],
    [{ kind: 'test_report', file: 'out/fail.xml', expect: 'red' }, true, '2 test(s), 2 failing, 0 skipped'],
    [{ kind: 'test_report', file: 'out/junit.xml', expect: 'red' }, false, '3 test(s), 0 failing, 1 skipped'],
    [{ kind: 'test_report', file: 'out/run.tap' }, true, '1 test(s), 0 failing, 0 skipped'],
    [{ kind: 'test_report', file: 'out/empty.tap' }, false, '0 test(s), 0 failing, 0 skipped'],
    [{ kind: 'test_report', file: 'out/junit.xml', format: 'tap' }, false, 'not a TAP report: no plan line ("1..N")'],
    [{ kind: 'test_report', file: 'out/none.xml' }, false, 'out/none.xml is missing or leads outside the project'],
  ] as [CheckDef, boolean, string][])('check %j', (check, passed, actual) => {
    const root = project({ 'out/junit.xml': junitPass, 'out/fail.xml': junitFail, 'out/run.tap': '1..1\nok 1\n', 'out/empty.tap': '1..0\n' });
    const r = runCheck(check, ctx(root));
    expect([r.passed, r.actual]).toEqual([passed, actual]);
  });

  test('a report that links outside the project is refused', () => {
    const root = project();
    const away = tempDir('praxis-gates-outside-');
    writeFileSync(join(away, 'junit.xml'), junitPass);
    symlinkSync(away, join(root, 'out'));
    expect(runCheck({ kind: 'test_report', file: 'out/junit.xml' }, ctx(root)).passed).toBe(false);
  });
});

describe('git_changed', () => {
  const gitOk = spawnSync('git', ['--version']).status === 0;
  const run = (root: string, ...args: string[]) => {
    const r = spawnSync('git', args, { cwd: root, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  const old = new Date(Date.now() - 3_600_000);

  /** A repository with one commit whose files are an hour old; the session starts now. */
  function repo(): { root: string; base: string; started: Date } {
    const root = project({ 'src/a.ts': 'a\n', 'src/b.ts': 'b\n', 'README.md': '# r\n', '.gitignore': 'build/\n', 'dirty.md': 'committed\n' });
    run(root, 'init', '-q');
    run(root, 'add', '.');
    run(root, 'commit', '-qm', 'base');
    writeFileSync(join(root, 'dirty.md'), 'changed before the session\n');
    for (const f of ['src/a.ts', 'src/b.ts', 'README.md', '.gitignore', 'dirty.md']) utimesSync(join(root, f), old, old);
    return { root, base: gitHead(root)!, started: new Date() };
  }

  test.skipIf(!gitOk)('modified, added and deleted files count; ignored, touched-but-same and dirty-before-start files do not', () => {
    const { root, base, started } = repo();
    expect(base).toMatch(/^[0-9a-f]{40}$/);
    writeFileSync(join(root, 'src', 'a.ts'), 'a changed\n');
    writeFileSync(join(root, 'src', 'new.ts'), 'new\n');
    rmSync(join(root, 'src', 'b.ts'));
    mkdirSync(join(root, 'build'));
    writeFileSync(join(root, 'build', 'out.js'), 'ignored\n');
    writeFileSync(join(root, 'README.md'), '# r\n'); // same content, new mtime
    expect(changedFiles(root, started, base)).toEqual({ files: ['src/a.ts', 'src/b.ts', 'src/new.ts'], how: 'git' });
    const r = runCheck({ kind: 'git_changed', glob: 'src/**', min_count: 3 }, { root, sessionStartedAt: started, gitBaseCommit: base });
    expect(r).toMatchObject({ passed: true, actual: '3 changed against the commit the session started at: src/a.ts, src/b.ts, src/new.ts' });
    expect(runCheck({ kind: 'git_changed', glob: 'docs/**' }, { root, sessionStartedAt: started, gitBaseCommit: base }).passed).toBe(false);
    const excluded = runCheck({ kind: 'git_changed', exclude: '{target_file}/**' }, { root, sessionStartedAt: started, gitBaseCommit: base, vars: { target_file: 'src' } });
    expect(excluded).toMatchObject({ passed: false, expected: 'at least 1 file(s) outside "src/**" changed since the session started' });
  });

  test.skipIf(!gitOk)('changes committed during the session count too', () => {
    const { root, base, started } = repo();
    writeFileSync(join(root, 'src', 'a.ts'), 'a v2\n');
    run(root, 'commit', '-qam', 'during');
    expect(changedFiles(root, started, base).files).toEqual(['src/a.ts']);
  });

  test.skipIf(!gitOk)('a repository that configures commands for git (fsmonitor, filters, diff drivers) does not get them run', () => {
    const { root, base, started } = repo();
    const marker = join(tempDir('praxis-gates-marker-'), 'ran');
    const cmd = `sh -c 'touch ${marker}'`;
    run(root, 'config', 'core.fsmonitor', cmd);
    run(root, 'config', 'filter.evil.clean', cmd);
    run(root, 'config', 'diff.external', cmd);
    writeFileSync(join(root, '.gitattributes'), '* filter=evil diff=evil\n');
    writeFileSync(join(root, 'src', 'a.ts'), 'changed\n');
    expect(changedFiles(root, started, base).files).toEqual(['.gitattributes', 'src/a.ts']);
    expect(existsSync(marker)).toBe(false);
  });

  test.skipIf(!gitOk)('a tracked folder replaced by a link out of the project counts as changed and is never read', () => {
    const { root, base, started } = repo();
    const away = tempDir('praxis-gates-outside-');
    writeFileSync(join(away, 'a.ts'), 'a\n'); // same content as the committed file: reading it would say "unchanged"
    writeFileSync(join(away, 'b.ts'), 'b\n');
    rmSync(join(root, 'src'), { recursive: true });
    symlinkSync(away, join(root, 'src'));
    expect(changedFiles(root, started, base).files).toEqual(['src', 'src/a.ts', 'src/b.ts']);
  });

  test('without a base commit: files modified since the start, by mtime', () => {
    const root = project({ 'a.md': 'old', 'b.md': 'old' });
    for (const f of ['a.md', 'b.md']) utimesSync(join(root, f), old, old);
    const started = new Date();
    writeFileSync(join(root, 'b.md'), 'new');
    expect(changedFiles(root, started, null)).toEqual({ files: ['b.md'], how: 'mtime' });
    expect(gitHead(root)).toBeNull();
  });

  test('an invalid base commit is not passed to git as an option', () => {
    const root = project({ 'a.md': 'x' });
    expect(changedFiles(root, new Date(0), '--output=/tmp/x').note).toBe('base commit "--output=/tmp/x" is not a commit id');
  });
});

describe('evaluateGate', () => {
  const parsed = (yaml: string): GateDef => {
    const g = parseGateFile(yaml);
    if ('error' in g) throw new Error(g.error);
    return g.gate;
  };
  const yaml = `
evidence_schema:
  summary: { type: string, required: true }
checks:
  - kind: file_exists
    glob: "{target_file}/design.md"
  - kind: section_present
    file: "{target_file}/design.md"
    heading: Alternatives
`;

  test('strict: every failing part is named with expected, actual and remediation', () => {
    const root = project({ 'specs/x/design.md': '# Design\n' });
    const result = evaluateGate(parsed(yaml), {}, ctx(root, { vars: { target_file: 'specs/x' } }));
    expect(result.passed).toBe(false);
    expect(result.advisory).toBe(false);
    expect(result.evidenceErrors).toEqual([{ path: '/summary', message: 'required, missing' }]);
    expect(result.checks.map((c) => [c.passed, c.expected, c.actual, c.remediation])).toEqual([
      [true, 'at least 1 file(s) matching "specs/x/design.md"', '1 file(s): specs/x/design.md', ''],
      [false, 'specs/x/design.md has a heading "Alternatives"', 'headings: "Design"', 'Add a "## Alternatives" section to specs/x/design.md'],
    ]);
  });

  test('passes when evidence and checks pass', () => {
    const root = project({ 'specs/x/design.md': '# Design\n## Alternatives\n' });
    expect(evaluateGate(parsed(yaml), { summary: 'ok' }, ctx(root, { vars: { target_file: 'specs/x' } })).passed).toBe(true);
  });

  test('strict: false is advisory, and still tells the truth', () => {
    const result = evaluateGate(parsed(`checkpoint: { strict: false }\n${yaml}`), {}, ctx(project(), { vars: { target_file: 'specs/x' } }));
    expect([result.passed, result.advisory]).toEqual([false, true]);
  });

  test('a placeholder with no value fails the check and names it', () => {
    const result = evaluateGate(parsed(yaml), { summary: 'ok' }, ctx(project()));
    expect(result.checks[0]).toMatchObject({ passed: false, actual: 'no value for {target_file}' });
  });

  test('approval: required is read from the file', () => {
    expect(parsed('approval: required\n').approval).toBe('required');
    expect(parsed('checkpoint: { approval: required }\n').approval).toBe('required');
    expect(parsed('').approval).toBe('none');
  });

  test('fillPlaceholders leaves regex-like braces alone', () => {
    expect(fillPlaceholders('{a}/x{2,3}/{b.c}', { a: 'A', 'b.c': 'B' })).toEqual({ text: 'A/x{2,3}/B', missing: [] });
  });
});
