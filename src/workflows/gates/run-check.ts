// Runs one declarative check of a gate, confined to the project (issue 13): each result says what
// was expected, what was found and what to do. No eval, no shell, nothing outside the root.
import { readFileSync, statSync } from 'node:fs';
import { matchesGlob } from 'node:path';
import { realPathInside } from '../_confine.ts';
import { walkFiles } from '../_walk.ts';
import type { CheckContext, CheckDef, CheckResult } from '../types.ts';
import { changedFiles } from './git-changed.ts';
import { compileGateRegex, MAX_REGEX_INPUT_BYTES } from './gate-regex.ts';
import { parseJUnit, parseTap, type ReportResult } from './test-report.ts';

/** Largest file `file_contains` and `section_present` read. */
export const MAX_CHECKED_FILE_BYTES = 1024 * 1024;
/** Largest test report read. */
export const MAX_REPORT_BYTES = 16 * 1024 * 1024;

/** Replaces `{name}` placeholders from `vars`; the names it could not fill. */
export function fillPlaceholders(text: string, vars: Record<string, string> = {}): { text: string; missing: string[] } {
  const missing: string[] = [];
  const filled = text.replace(/\{([A-Za-z_][\w.]*)\}/g, (whole, name: string) => {
    const value = vars[name];
    if (value === undefined) missing.push(name);
    return value ?? whole;
  });
  return { text: filled, missing };
}

/** The directory part of a glob before its first wildcard, e.g. "src/lib" for "src/lib/**\/*.ts". */
function staticPrefix(glob: string): string {
  const parts = glob.split('/');
  const fixed: string[] = [];
  for (const part of parts.slice(0, -1)) {
    if (/[*?[\]{}!]/.test(part)) break;
    fixed.push(part);
  }
  return fixed.join('/');
}

/** Files matching `glob` under the root, and links that were refused because they lead outside. */
export function globFiles(root: string, glob: string): { files: string[]; refused: string[]; truncated: boolean } {
  const prefix = staticPrefix(glob);
  const start = realPathInside(root, prefix || '.');
  if (start === undefined || !statSync(start).isDirectory()) return { files: [], refused: [], truncated: false };
  const { files, truncated } = walkFiles(realPathInside(root, '.') ?? root, start);
  const rel = (f: string) => (prefix ? `${prefix}/${f}` : f);
  const matching = files.filter((f) => matchesGlob(rel(f.rel), glob));
  return { files: matching.filter((f) => !f.escaped).map((f) => rel(f.rel)), refused: matching.filter((f) => f.escaped).map((f) => rel(f.rel)), truncated };
}

/** Reads a project file for a check: its text, or what is wrong (missing, outside, too big). */
function readChecked(root: string, file: string, max: number): { text: string } | { problem: string } {
  const real = realPathInside(root, file);
  if (real === undefined) return { problem: `${file} is missing or leads outside the project` };
  const st = statSync(real);
  if (!st.isFile()) return { problem: `${file} is not a file` };
  if (st.size > max) return { problem: `${file} is ${st.size} bytes, over the ${max}-byte limit` };
  return { text: readFileSync(real, 'utf8') };
}

function list(files: string[], max = 5): string {
  return files.length <= max ? files.join(', ') : `${files.slice(0, max).join(', ')} and ${files.length - max} more`;
}

function result(check: CheckDef, passed: boolean, expected: string, actual: string, remediation: string): CheckResult {
  return { check, passed, expected, actual, remediation: passed ? '' : remediation };
}

/** Runs `check` against the project in `ctx`. Never throws for anything the project contains. */
export function runCheck(check: CheckDef, ctx: CheckContext): CheckResult {
  const fields = Object.entries(check).filter(([k, v]) => typeof v === 'string' && k !== 'kind' && k !== 'regex' && k !== 'description');
  const missing = fields.flatMap(([, v]) => fillPlaceholders(v as string, ctx.vars).missing);
  if (missing.length > 0) {
    return result(check, false, 'every {placeholder} in the check filled', `no value for ${[...new Set(missing)].map((m) => `{${m}}`).join(', ')}`, `Start the session with these options (or fix the gate-definition.yaml): ${[...new Set(missing)].join(', ')}`);
  }
  const fill = (text: string) => fillPlaceholders(text, ctx.vars).text;
  try {
    switch (check.kind) {
      case 'file_exists':
        return fileExists(check, fill(check.glob), ctx);
      case 'file_contains':
        return fileContains(check, fill(check.file), check.text === undefined ? undefined : fill(check.text), ctx);
      case 'section_present':
        return sectionPresent(check, fill(check.file), fill(check.heading), ctx);
      case 'test_report':
        return testReport(check, fill(check.file), ctx);
      case 'git_changed':
        return gitChanged(check, check.glob === undefined ? undefined : fill(check.glob), check.exclude === undefined ? undefined : fill(check.exclude), ctx);
    }
  } catch (error) {
    return result(check, false, 'the check runs', `it failed: ${(error as Error).message}`, 'Look at the file named by the check; report a bug if the message is not about the project');
  }
}

function fileExists(check: Extract<CheckDef, { kind: 'file_exists' }>, glob: string, ctx: CheckContext): CheckResult {
  const min = check.min_count ?? 1;
  const { files, refused, truncated } = globFiles(ctx.root, glob);
  const refusedNote =
    (refused.length > 0 ? ` (${refused.length} link(s) leading outside the project not counted: ${list(refused)})` : '') +
    (truncated ? ' (the search stopped after 20000 files: start the glob with a folder)' : '');
  return result(
    check,
    files.length >= min,
    `at least ${min} file(s) matching "${glob}"`,
    `${files.length} file(s)${files.length ? `: ${list(files)}` : ''}${refusedNote}`,
    `Create ${min - files.length > 1 ? `${min - files.length} more files` : 'the file'} matching "${glob}" inside the project${check.description ? ` (${check.description})` : ''}`,
  );
}

function fileContains(check: Extract<CheckDef, { kind: 'file_contains' }>, file: string, text: string | undefined, ctx: CheckContext): CheckResult {
  const wanted = text !== undefined ? `the text ${JSON.stringify(text)}` : `a match for /${check.regex}/`;
  const expected = `${file} contains ${wanted}`;
  const read = readChecked(ctx.root, file, MAX_CHECKED_FILE_BYTES);
  if ('problem' in read) return result(check, false, expected, read.problem, `Write ${file} inside the project with ${wanted}`);
  if (text !== undefined) {
    const found = read.text.includes(text);
    return result(check, found, expected, found ? 'found' : 'not found', `Add ${wanted} to ${file}`);
  }
  const compiled = compileGateRegex(check.regex!);
  if ('error' in compiled) return result(check, false, expected, `the regex is refused: ${compiled.error}`, 'Fix the regex in gate-definition.yaml');
  if (Buffer.byteLength(read.text) > MAX_REGEX_INPUT_BYTES) return result(check, false, expected, `${file} is over the ${MAX_REGEX_INPUT_BYTES}-byte limit for a regex`, 'Use "text:" instead of "regex:", or check a smaller file');
  const outcome = { matched: compiled.regex.test(read.text) };
  return result(check, outcome.matched, expected, outcome.matched ? 'matched' : 'no match', `Add ${wanted} to ${file}`);
}

/** Headings of a Markdown text, outside fenced code blocks, without their `#` marks. */
export function markdownHeadings(text: string): string[] {
  const headings: string[] = [];
  let fence: string | null = null;
  for (const line of text.split(/\r?\n/)) {
    const mark = /^\s{0,3}(```+|~~~+)/.exec(line)?.[1];
    if (fence !== null) {
      if (mark && mark[0] === fence[0] && mark.length >= fence.length) fence = null;
      continue;
    }
    if (mark) {
      fence = mark;
      continue;
    }
    const h = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) headings.push(h[1]!);
  }
  return headings;
}

function sectionPresent(check: Extract<CheckDef, { kind: 'section_present' }>, file: string, heading: string, ctx: CheckContext): CheckResult {
  const want = heading.replace(/^#+\s*/, '').trim();
  const expected = `${file} has a heading "${want}"`;
  const read = readChecked(ctx.root, file, MAX_CHECKED_FILE_BYTES);
  if ('problem' in read) return result(check, false, expected, read.problem, `Write ${file} inside the project with a "## ${want}" section`);
  const headings = markdownHeadings(read.text);
  const norm = (s: string) => s.replace(/[*_`]/g, '').trim().toLowerCase();
  const found = headings.some((h) => norm(h) === norm(want));
  return result(check, found, expected, found ? 'present' : `headings: ${headings.length ? list(headings.map((h) => `"${h}"`), 8) : 'none'}`, `Add a "## ${want}" section to ${file}`);
}

function testReport(check: Extract<CheckDef, { kind: 'test_report' }>, file: string, ctx: CheckContext): CheckResult {
  const red = check.expect === 'red';
  const expected = red ? `${file} parses and shows at least 1 failing test (red phase)` : `${file} parses and shows tests run with 0 failures`;
  const read = readChecked(ctx.root, file, MAX_REPORT_BYTES);
  const runTests = 'Run the tests with a JUnit XML or TAP reporter writing to that path';
  if ('problem' in read) return result(check, false, expected, read.problem, runTests);
  const format = check.format ?? (/\.tap$/i.test(file) ? 'tap' : /\.xml$/i.test(file) || read.text.trimStart().startsWith('<') ? 'junit' : 'tap');
  const report: ReportResult = format === 'junit' ? parseJUnit(read.text) : parseTap(read.text);
  if (!report.ok) return result(check, false, expected, `not a ${format === 'junit' ? 'JUnit XML' : 'TAP'} report: ${report.error}`, runTests);
  const actual = `${report.tests} test(s), ${report.failures} failing, ${report.skipped} skipped`;
  if (red) return result(check, report.failures > 0, expected, actual, 'Write the failing test first: the report must show it failing before the fix');
  return result(check, report.tests > 0 && report.failures === 0, expected, actual, report.tests === 0 ? 'The report holds no tests: run the suite' : 'Fix the failing tests and write the report again');
}

function gitChanged(check: Extract<CheckDef, { kind: 'git_changed' }>, glob: string | undefined, exclude: string | undefined, ctx: CheckContext): CheckResult {
  const min = check.min_count ?? 1;
  const changed = changedFiles(ctx.root, ctx.sessionStartedAt, ctx.gitBaseCommit);
  const files = changed.files.filter((f) => (glob === undefined || matchesGlob(f, glob)) && (exclude === undefined || !matchesGlob(f, exclude)));
  const how = changed.how === 'git' ? 'against the commit the session started at' : `by modification time${changed.note ? ` (${changed.note})` : ''}`;
  return result(
    check,
    files.length >= min,
    `at least ${min} file(s)${glob ? ` matching "${glob}"` : ''}${exclude ? ` outside "${exclude}"` : ''} changed since the session started`,
    `${files.length} changed ${how}${files.length ? `: ${list(files)}` : ''}`,
    `Change ${glob ? `files matching "${glob}"` : 'the files this phase is about'}; nothing counted has changed since the session started`,
  );
}
