// Test reports a `test_report` check reads: JUnit XML and TAP, parsed strictly by small parsers of
// our own (the npm candidates are either unmaintained or full XML stacks; we need counts only).
// A report that does not parse is a failed check, never a pass.

/** What a report says. */
export interface ReportCounts {
  tests: number;
  failures: number;
  skipped: number;
}

/** Parsed counts, or why the text is not a report. */
export type ReportResult = ({ ok: true } & ReportCounts) | { ok: false; error: string };

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) => {
    if (name[0] === '#') return String.fromCodePoint(name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1)));
    return ENTITIES[name] ?? whole;
  });
}

interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
}

/** A strict, small XML reader: elements and attributes; no DTD (no entity expansion), balanced tags. */
export function parseXml(text: string): { root: XmlElement } | { error: string } {
  const src = text.replace(/^\uFEFF/, '');
  if (/<!DOCTYPE/i.test(src)) return { error: 'a DOCTYPE is not accepted' };
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const token = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<\/\s*([\w:.-]+)\s*>|<([\w:.-]+)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|<|[^<]+/g;
  for (const m of src.matchAll(token)) {
    const [whole, close, open, attrText, selfClose] = m;
    if (whole === '<') return { error: `malformed markup at offset ${m.index}` };
    if (close !== undefined) {
      const top = stack.pop();
      if (!top || top.name !== close) return { error: `</${close}> does not close <${top?.name ?? 'nothing'}>` };
      continue;
    }
    if (open !== undefined) {
      const attrs: Record<string, string> = {};
      for (const a of (attrText ?? '').matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) attrs[a[1]!] = decode(a[2] ?? a[3] ?? '');
      const element: XmlElement = { name: open, attrs, children: [] };
      if (stack.length > 0) stack.at(-1)!.children.push(element);
      else if (root) return { error: 'more than one root element' };
      else root = element;
      if (!selfClose) stack.push(element);
      continue;
    }
    if (stack.length === 0 && !whole.startsWith('<') && whole.trim() !== '') return { error: 'text outside the root element' };
  }
  if (stack.length > 0) return { error: `<${stack.at(-1)!.name}> is never closed` };
  if (!root) return { error: 'no root element' };
  return { root };
}

/** Counts of a JUnit XML report (`<testsuites>` or `<testsuite>` root). */
export function parseJUnit(text: string): ReportResult {
  const xml = parseXml(text);
  if ('error' in xml) return { ok: false, error: `not well-formed XML: ${xml.error}` };
  if (xml.root.name !== 'testsuites' && xml.root.name !== 'testsuite') return { ok: false, error: `root element <${xml.root.name}>, expected <testsuites> or <testsuite>` };
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  const visit = (el: XmlElement): void => {
    for (const child of el.children) {
      if (child.name === 'testcase') {
        tests++;
        if (child.children.some((c) => c.name === 'failure' || c.name === 'error')) failures++;
        else if (child.children.some((c) => c.name === 'skipped')) skipped++;
      } else visit(child);
    }
  };
  visit(xml.root);
  if (tests === 0) {
    // No test cases listed: believe the totals of the root's suites.
    const suites = xml.root.name === 'testsuite' ? [xml.root] : xml.root.children.filter((c) => c.name === 'testsuite');
    const sum = (key: string) => suites.reduce((n, s) => n + (Number.parseInt(s.attrs[key] ?? '0', 10) || 0), 0);
    tests = sum('tests');
    failures = sum('failures') + sum('errors');
    skipped = sum('skipped');
  }
  return { ok: true, tests, failures, skipped };
}

/** Counts of a TAP report (versions 12-14); needs a plan that matches the tests run. */
export function parseTap(text: string): ReportResult {
  let plan: number | undefined;
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s/.test(line)) continue; // subtests and YAML diagnostics: the parent line counts
    if (/^Bail out!/i.test(line)) return { ok: false, error: `the run bailed out: ${line}` };
    const planMatch = /^1\.\.(\d+)/.exec(line);
    if (planMatch) {
      if (plan !== undefined) return { ok: false, error: 'more than one plan line' };
      plan = Number(planMatch[1]);
      continue;
    }
    const test = /^(not )?ok\b(?:\s+\d+)?[^#]*(?:#\s*(\w+))?/i.exec(line);
    if (!test) continue;
    tests++;
    const directive = test[2]?.toLowerCase();
    if (directive === 'skip') skipped++;
    else if (test[1] && directive !== 'todo') failures++;
  }
  if (plan === undefined) return { ok: false, error: 'no plan line ("1..N")' };
  if (plan !== tests) return { ok: false, error: `the plan says ${plan} tests, ${tests} ran` };
  return { ok: true, tests, failures, skipped };
}
