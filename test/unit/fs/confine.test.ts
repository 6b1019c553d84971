// resolveInside in real temp dirs with real symlinks (issue 11): a path is accepted only when its
// real path (every link resolved, the root's too) is inside the real root; a refusal names the
// link that leads out and where it points.
import { afterEach, describe, expect, test } from 'bun:test';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RefusalLog, describeRefusal, isInside, resolveInside } from '../../../src/fs/confine.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A temp folder holding `project/` (with `inside.md`, `sub/deep.md`) and `outside/secret.md`. */
function world(): { base: string; root: string; outside: string } {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'praxis-confine-')));
  dirs.push(base);
  const root = join(base, 'project');
  const outside = join(base, 'outside');
  mkdirSync(join(root, 'sub'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(root, 'inside.md'), 'in');
  writeFileSync(join(root, 'sub', 'deep.md'), 'deep');
  writeFileSync(join(outside, 'secret.md'), 'secret');
  return { base, root, outside };
}

describe('isInside', () => {
  test.each([
    ['/p', '/p', true],
    ['/p', '/p/a', true],
    ['/p', '/p/a/../b', true],
    ['/p', '/pa', false],
    ['/p', '/', false],
    ['/p', '/p/../q', false],
    ['/p', '/p/..a', true],
  ])('isInside(%p, %p) is %p', (root, path, expected) => {
    expect(isInside(root, path)).toBe(expected);
  });
});

describe('resolveInside', () => {
  test('a plain file inside is accepted with its real path', () => {
    const { root } = world();
    expect(resolveInside(root, 'sub/deep.md')).toEqual({ ok: true, real: join(root, 'sub', 'deep.md') });
  });

  test('a file link to a file outside is refused, naming the link and its target', () => {
    const { root, outside } = world();
    symlinkSync(join(outside, 'secret.md'), join(root, 'shadow.md'));
    expect(resolveInside(root, 'shadow.md')).toEqual({
      ok: false,
      reason: 'outside',
      path: join(root, 'shadow.md'),
      link: join(root, 'shadow.md'),
      target: join(outside, 'secret.md'),
    });
  });

  test('a file under a folder link that leads outside is refused, naming the folder link', () => {
    const { root, outside } = world();
    symlinkSync(outside, join(root, 'docs'));
    const r = resolveInside(root, join(root, 'docs', 'secret.md'));
    expect(r).toMatchObject({ ok: false, reason: 'outside', link: join(root, 'docs'), target: outside });
  });

  test('a link inside the project that resolves inside the project is accepted', () => {
    const { root } = world();
    symlinkSync(join(root, 'sub'), join(root, 'alias'));
    symlinkSync('inside.md', join(root, 'again.md'));
    expect(resolveInside(root, 'alias/deep.md')).toEqual({ ok: true, real: join(root, 'sub', 'deep.md') });
    expect(resolveInside(root, 'again.md')).toEqual({ ok: true, real: join(root, 'inside.md') });
  });

  test('a root that is itself a link is compared by its real path', () => {
    const { base, root } = world();
    symlinkSync(root, join(base, 'via-link'));
    expect(resolveInside(join(base, 'via-link'), 'inside.md')).toEqual({ ok: true, real: join(root, 'inside.md') });
  });

  test('a path that leaves the root by its text is refused', () => {
    const { root, outside } = world();
    expect(resolveInside(root, '../outside/secret.md')).toMatchObject({ ok: false, reason: 'outside', target: join(outside, 'secret.md') });
  });

  test('a dangling link, a missing file and a link loop are missing, not errors', () => {
    const { root } = world();
    symlinkSync(join(root, 'nowhere'), join(root, 'dangling.md'));
    symlinkSync(join(root, 'loop-b'), join(root, 'loop-a'));
    symlinkSync(join(root, 'loop-a'), join(root, 'loop-b'));
    expect(resolveInside(root, 'dangling.md')).toMatchObject({ ok: false, reason: 'missing', code: 'ENOENT' });
    expect(resolveInside(root, 'absent.md')).toMatchObject({ ok: false, reason: 'missing', code: 'ENOENT' });
    expect(resolveInside(root, 'loop-a')).toMatchObject({ ok: false, reason: 'missing', code: 'ELOOP' });
  });
});

describe('RefusalLog', () => {
  test('logs each refusal once and counts distinct paths', () => {
    const { root, outside } = world();
    symlinkSync(join(outside, 'secret.md'), join(root, 'a.md'));
    symlinkSync(outside, join(root, 'b'));
    const lines: string[] = [];
    const log = new RefusalLog((m) => lines.push(m));
    for (let i = 0; i < 3; i++) {
      for (const p of ['a.md', 'b/secret.md']) {
        const r = resolveInside(root, p);
        if (r.ok || r.reason !== 'outside') throw new Error('expected a refusal');
        log.report(r, root);
      }
    }
    expect(log.count).toBe(2);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain(join(root, 'a.md'));
    expect(lines[0]).toContain(join(outside, 'secret.md'));
    expect(lines[1]).toContain(`through ${join(root, 'b')}`);
  });

  test('describeRefusal names the path, the target and the root', () => {
    expect(describeRefusal({ ok: false, reason: 'outside', path: '/p/x.md', link: '/p/x.md', target: '/etc/shadow' }, '/p')).toBe(
      'refusing /p/x.md: it resolves to /etc/shadow, outside the project /p',
    );
  });
});
