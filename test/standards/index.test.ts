// The standards index on real temp folders: filters, bad files, extra paths, debounce (issue 4).
import { afterEach, describe, expect, test } from 'bun:test';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger } from '../../src/log.ts';
import { loadCorpus } from '../../src/standards/corpus.ts';
import { createDebouncer } from '../../src/standards/debounce.ts';
import { resolveRoots } from '../../src/standards/roots.ts';
import { type StandardsIndex, createStandardsIndex } from '../../src/standards/standards-index.ts';
import { type TempProject, tempProject } from '../helpers/process.ts';

let project: TempProject;
let index: StandardsIndex | undefined;
afterEach(() => {
  index?.close();
  index = undefined;
  project?.cleanup();
});

function write(rel: string, text: string | Uint8Array): void {
  const path = join(project.root, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

function open(logs: string[] = []): StandardsIndex {
  index = createStandardsIndex({
    projectRoot: project.root,
    praxisDir: project.praxisDir,
    log: createLogger('debug', (line) => void logs.push(line)),
    watch: false,
  });
  return index;
}

const doc = (fm: string, body: string) => `---\n${fm}\n---\n${body}`;

describe('search and filters', () => {
  test('filter_phase and filter_tags narrow results; tags match any, case-insensitively', async () => {
    project = tempProject();
    write('.praxis-os/standards/a.md', doc('phase: 1\ntags: [alpha, Shared]', '## Widgets\nwidgets in phase one'));
    write('.praxis-os/standards/b.md', doc('phase: planning\ntags: [beta]', '## Widgets\nwidgets while planning'));
    write('.praxis-os/standards/c.md', '## Widgets\nwidgets without front matter');
    const idx = open();
    await idx.rebuild();
    const files = async (q: object) => (await idx.search({ query: 'widgets', limit: 10, ...q })).hits.map((h) => h.file).sort();
    expect(await files({})).toEqual(['a.md', 'b.md', 'c.md']);
    expect(await files({ phase: 1 })).toEqual(['a.md']);
    expect(await files({ phase: '1' })).toEqual(['a.md']);
    expect(await files({ phase: 'PLANNING' })).toEqual(['b.md']);
    expect(await files({ tags: ['shared'] })).toEqual(['a.md']);
    expect(await files({ tags: ['beta', 'alpha'] })).toEqual(['a.md', 'b.md']);
    expect(await files({ tags: ['alpha'], phase: 'planning' })).toEqual([]);
    expect(await files({ tags: [] })).toEqual(['a.md', 'b.md', 'c.md']);
  });

  test('limit caps the hits; an empty query gives no hits; results are in score order', async () => {
    project = tempProject();
    for (let i = 0; i < 8; i++) write(`.praxis-os/standards/d${i}.md`, `## Topic ${i}\ncommon word ${'common '.repeat(i)}`);
    const idx = open();
    await idx.rebuild();
    const { hits } = await idx.search({ query: 'common', limit: 3 });
    expect(hits.length).toBe(3);
    expect(hits.map((h) => h.score)).toEqual([...hits.map((h) => h.score)].sort((a, b) => b - a));
    expect((await idx.search({ query: '   ', limit: 5 })).hits).toEqual([]);
    expect((await idx.search({ query: 'zzzqqq', limit: 5 })).hits).toEqual([]);
  });

  test('a hit carries file, source, uri, heading path, lines and content', async () => {
    project = tempProject();
    write('.praxis-os/standards/sub/t.md', doc('tags: [x]\nphase: 2', '# Testing\n\n## Unit tests\nName them well.'));
    const idx = open();
    await idx.rebuild();
    const [hit] = (await idx.search({ query: 'unit tests', limit: 1 })).hits;
    expect(hit).toEqual({
      file: 'sub/t.md',
      source: 'standards',
      uri: 'praxis://standards/sub/t.md',
      title: 'Testing',
      heading_path: 'Testing > Unit tests',
      lines: [7, 8],
      score: expect.any(Number),
      content: '## Unit tests\nName them well.',
      tags: ['x'],
      phase: 2,
    });
  });
});

describe('in-place updates', () => {
  test('a small change updates the live engine in place and ranks like a fresh full build', async () => {
    project = tempProject();
    for (let i = 0; i < 30; i++) write(`.praxis-os/standards/d${i}.md`, `## Topic ${i}\nshared words ${'alpha '.repeat(i % 5)}beta${i}`);
    const idx = open();
    expect((await idx.rebuild()).mode).toBe('full');
    write('.praxis-os/standards/d3.md', '## Replaced\nshared words gamma');
    write('.praxis-os/standards/new.md', '## New\nshared alpha alpha gamma');
    (await import('node:fs')).rmSync(join(project.praxisDir, 'standards', 'd7.md'));
    const updated = await idx.rebuild();
    expect(updated.mode).toBe('incremental');
    expect(idx.stats()).toMatchObject({ documents: 30, last_build: 'incremental' });
    const fresh = createStandardsIndex({ projectRoot: project.root, praxisDir: project.praxisDir, log: createLogger('error', () => {}), watch: false });
    await fresh.rebuild();
    for (const query of ['gamma', 'alpha', 'shared words', 'beta7', 'replaced']) {
      const a = (await idx.search({ query, limit: 50 })).hits.map((h) => h.file).sort();
      const b = (await fresh.search({ query, limit: 50 })).hits.map((h) => h.file).sort();
      expect(a).toEqual(b);
    }
    expect((await idx.search({ query: 'beta7', limit: 50 })).hits.map((h) => h.file)).not.toContain('d7.md');
    fresh.close();
  });
});

describe('files too recently modified to trust unread', () => {
  test('are read again but not parsed again when their text is what is indexed; a changed one is re-indexed', async () => {
    project = tempProject();
    for (let i = 0; i < 5; i++) write(`.praxis-os/standards/d${i}.md`, `## Topic ${i}\nwords ${i}`);
    const { FtsIndex } = await import('../../src/standards/search-index.ts');
    const { openStore } = await import('../../src/store/index.ts');
    const fts = new FtsIndex(openStore({ path: ':memory:' }));
    const roots = resolveRoots(project.root, project.praxisDir, undefined).roots;
    const scan = async () => {
      fts.loadKnown();
      return loadCorpus(roots, new Map(), undefined, fts.reuse, fts.sameText);
    };
    expect(fts.update((await scan()).files).mode).toBe('full');
    // Just written: within the racy window, so every file is read again (none is reused unread)...
    write('.praxis-os/standards/d2.md', '## Topic 2\nchanged words');
    const files = (await scan()).files;
    expect(files.filter((f) => f.doc).map((f) => f.file)).toEqual(['d2.md']);
    // ...and the others, found as indexed, are not parsed.
    expect(files.filter((f) => f.verified).map((f) => f.file)).toEqual(['d0.md', 'd1.md', 'd3.md', 'd4.md']);
    expect(fts.update(files)).toEqual({ mode: 'incremental', indexed: 1, removed: 0 });
    const byId = new Map(fts.snapshot(new Date(), 0, 'incremental').docs.map((d) => [d.id, d]));
    expect(fts.search({ query: 'changed', limit: 5 }, byId).map((h) => h.file)).toEqual(['d2.md']);
    expect(fts.search({ query: 'words', limit: 10 }, byId).map((h) => h.file).sort()).toEqual(['d0.md', 'd1.md', 'd2.md', 'd3.md', 'd4.md']);
    fts.store.close();
  });
});

describe('bulk updates', () => {
  test('leave the WAL checkpoint out of the commit, to checkpoint(), and restore autocheckpointing', async () => {
    project = tempProject();
    const words = (i: number, s: number) => Array.from({ length: 300 }, (_, k) => `w${(i * 7919 + s * 104729 + k * 31) % 5000}`).join(' ');
    const section = (i: number, s: number) => `## Part ${s}\n${words(i, s)}\n`;
    for (let i = 0; i < 30; i++) write(`.praxis-os/standards/d${i}.md`, Array.from({ length: 20 }, (_, s) => section(i, s)).join('\n'));
    const { FtsIndex } = await import('../../src/standards/search-index.ts');
    const { openStore } = await import('../../src/store/index.ts');
    const { statSync } = await import('node:fs');
    const path = join(project.praxisDir, '.cache', 'test.db');
    const fts = new FtsIndex(openStore({ path }));
    fts.loadKnown();
    const corpus = await loadCorpus(resolveRoots(project.root, project.praxisDir, undefined).roots, new Map(), undefined, fts.reuse, fts.sameText);
    expect(fts.update(corpus.files).mode).toBe('full');
    // 600 chunks, over the 1,000-page (4 MB) autocheckpoint: still all in the WAL.
    expect(fts.checkpointDue).toBe(true);
    expect(statSync(path).size).toBeLessThan(64 * 1024);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(5 * 1024 * 1024);
    expect(fts.store.db.prepare('PRAGMA wal_autocheckpoint').get()).toEqual({ wal_autocheckpoint: 1000 });
    fts.checkpoint();
    expect(fts.checkpointDue).toBe(false);
    expect(statSync(path).size).toBeGreaterThan(4 * 1024 * 1024);
    fts.store.close();
    // A bulk update that fails still restores autocheckpointing (the connection serves other owners too).
    const failing = new FtsIndex(openStore({ path: join(project.praxisDir, '.cache', 'failing.db') }));
    (failing as unknown as { insertDoc: () => void }).insertDoc = () => {
      throw new Error('disk full');
    };
    expect(() => failing.update(corpus.files)).toThrow('disk full');
    expect(failing.store.db.prepare('PRAGMA wal_autocheckpoint').get()).toEqual({ wal_autocheckpoint: 1000 });
    failing.store.close();
  });
});

describe('bad input is logged and skipped', () => {
  test('binary junk, invalid UTF-8, invalid front matter, a dangling symlink and a non-Markdown file', async () => {
    project = tempProject();
    write('.praxis-os/standards/good.md', '## Good\nfine content');
    write('.praxis-os/standards/junk.md', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
    write('.praxis-os/standards/latin1.md', new Uint8Array([0x23, 0x20, 0xe9, 0xe8, 0xff]));
    write('.praxis-os/standards/badfm.md', '---\ntags: [unclosed\n---\n## Bad front matter\nstill searchable');
    write('.praxis-os/standards/notes.txt', 'fine content but not markdown');
    symlinkSync(join(project.root, 'nowhere.md'), join(project.praxisDir, 'standards', 'dangling.md'));
    const logs: string[] = [];
    const idx = open(logs);
    const snapshot = await idx.rebuild();
    expect(snapshot.docs.map((d) => d.file).sort()).toEqual(['badfm.md', 'good.md']);
    expect((await idx.search({ query: 'still searchable', limit: 5 })).hits[0]?.file).toBe('badfm.md');
    const warnings = logs.filter((l) => l.includes(' warn: '));
    expect(warnings.some((l) => l.includes('junk.md') && l.includes('binary'))).toBe(true);
    expect(warnings.some((l) => l.includes('latin1.md') && l.includes('UTF-8'))).toBe(true);
    expect(warnings.some((l) => l.includes('badfm.md') && l.includes('invalid YAML'))).toBe(true);
    expect(warnings.some((l) => l.includes('dangling.md') && l.includes('unreadable'))).toBe(true);
    expect(idx.stats()).toMatchObject({ documents: 2, skipped_files: 3 });
    // A second build with the same problems does not repeat the warnings.
    const before = logs.length;
    await idx.rebuild();
    expect(logs.slice(before).filter((l) => l.includes(' warn: '))).toEqual([]);
  });

  test('a file that cannot be read is skipped (EACCES via an injected fs, since tests may run as root)', async () => {
    project = tempProject();
    write('.praxis-os/standards/a.md', '## A\nalpha');
    write('.praxis-os/standards/b.md', '## B\nbeta');
    const real = await import('node:fs/promises');
    const corpus = await loadCorpus(resolveRoots(project.root, project.praxisDir, undefined).roots, new Map(), {
      readdir: (dir) => real.readdir(dir, { withFileTypes: true }),
      stat: (path) => real.stat(path),
      readFile: async (path) => {
        if (path.endsWith('b.md')) throw Object.assign(new Error('permission denied'), { code: 'EACCES' });
        return real.readFile(path);
      },
    });
    expect(corpus.docs.map((d) => d.file)).toEqual(['a.md']);
    expect(corpus.skipped).toEqual([{ path: join(project.praxisDir, 'standards', 'b.md'), reason: 'unreadable (EACCES)' }]);
  });

  test('a missing standards folder gives an empty index and a log line, not a failure', async () => {
    project = tempProject({ praxis: false });
    mkdirSync(project.praxisDir);
    const logs: string[] = [];
    const idx = open(logs);
    const snapshot = await idx.rebuild();
    expect(snapshot.docs).toEqual([]);
    expect(logs.some((l) => l.includes('not found'))).toBe(true);
    expect(idx.stats()).toMatchObject({ state: 'ready', documents: 0, chunks: 0, roots: [{ name: 'standards', found: false }] });
  });
});

describe('extra paths from config.json', () => {
  test('extra folders are indexed with their own URIs; paths outside the project are refused', async () => {
    project = tempProject();
    write('.praxis-os/standards/a.md', '## Alpha\nalpha text');
    write('docs/guide/b.md', '## Beta\nbeta text');
    write('.praxis-os/config.json', JSON.stringify({ standards: { extra_paths: ['./docs/', '../outside', '/etc', 7] } }));
    const logs: string[] = [];
    const idx = open(logs);
    const snapshot = await idx.rebuild();
    expect(snapshot.docs.map((d) => d.uri)).toEqual(['praxis://standards/a.md', 'praxis://docs/guide/b.md']);
    const [hit] = (await idx.search({ query: 'beta', limit: 1 })).hits;
    expect(hit).toMatchObject({ file: 'guide/b.md', source: 'docs' });
    expect(logs.filter((l) => l.includes('ignoring extra path')).length).toBe(3);
  });

  test.each([
    ['no config', undefined, ['standards'], 0],
    ['invalid JSON', '{', ['standards'], 1],
    ['extra_paths not a list', '{"standards":{"extra_paths":"docs"}}', ['standards'], 1],
    ['duplicates collapse', '{"standards":{"extra_paths":["docs","docs/","./docs"]}}', ['standards', 'docs'], 0],
    ['.praxis-os/ prefix dropped from the name', '{"standards":{"extra_paths":[".praxis-os/usage"]}}', ['standards', 'usage'], 0],
    ['two folders with one name', '{"standards":{"extra_paths":[".praxis-os/usage","usage"]}}', ['standards', 'usage'], 1],
  ])('resolveRoots: %s', (_name, text, names, warnings) => {
    const result = resolveRoots('/p', '/p/.praxis-os', text);
    expect(result.roots.map((r) => r.name)).toEqual(names);
    expect(result.warnings.length).toBe(warnings);
  });
});

describe('createDebouncer', () => {
  /** Hand-driven timers: `advance(ms)` fires what is due. */
  function fakeTimers() {
    let now = 0;
    const pending = new Map<number, { at: number; fn: () => void }>();
    let id = 0;
    return {
      timers: {
        set: (fn: () => void, ms: number) => (pending.set(++id, { at: now + ms, fn }), id),
        clear: (h: unknown) => void pending.delete(h as number),
      },
      advance(ms: number) {
        const end = now + ms;
        for (;;) {
          const due = [...pending.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
          if (!due) break;
          pending.delete(due[0]);
          now = due[1].at;
          due[1].fn();
        }
        now = end;
      },
    };
  }

  test('a burst of triggers runs once, after the quiet time', () => {
    const clock = fakeTimers();
    let runs = 0;
    const d = createDebouncer(() => runs++, 50, 500, clock.timers);
    for (let i = 0; i < 300; i++) {
      d.trigger();
      clock.advance(1);
    }
    expect(runs).toBe(0);
    clock.advance(50);
    expect(runs).toBe(1);
  });

  test('a stream that never goes quiet still runs every maxWait', () => {
    const clock = fakeTimers();
    let runs = 0;
    const d = createDebouncer(() => runs++, 50, 200, clock.timers);
    for (let i = 0; i < 100; i++) {
      d.trigger();
      clock.advance(10);
    }
    expect(runs).toBe(5);
  });

  test('cancel drops a pending run', () => {
    const clock = fakeTimers();
    let runs = 0;
    const d = createDebouncer(() => runs++, 50, 200, clock.timers);
    d.trigger();
    d.cancel();
    clock.advance(1000);
    expect(runs).toBe(0);
  });
});

describe('a build locked out of the project database', () => {
  test('is tried again by itself once the lock is gone, without waiting for a file to change', async () => {
    project = tempProject();
    write('.praxis-os/standards/a.md', '## Alpha\nfirst words');
    const first = createStandardsIndex({ projectRoot: project.root, praxisDir: project.praxisDir, log: createLogger('error', () => {}), watch: false });
    await first.rebuild();
    first.close();
    // Another process takes the write lock after the next server's index has opened the database
    // and before it updates it (while the files are read): the update is locked out.
    write('.praxis-os/standards/b.md', '## Bravo\nquokka policy');
    const { DatabaseSync } = await import('node:sqlite');
    const { readdir, readFile, stat } = await import('node:fs/promises');
    let holder: InstanceType<typeof DatabaseSync> | undefined;
    const lockingFs = {
      readdir: (dir: string) => {
        if (!holder) {
          holder = new DatabaseSync(join(project.praxisDir, '.cache', 'praxis.db'));
          holder.exec('PRAGMA busy_timeout = 1000');
          holder.exec('BEGIN IMMEDIATE');
        }
        return readdir(dir, { withFileTypes: true });
      },
      readFile: (path: string) => readFile(path),
      stat: (path: string) => stat(path),
    };
    const logs: string[] = [];
    try {
      index = createStandardsIndex({
        projectRoot: project.root,
        praxisDir: project.praxisDir,
        log: createLogger('debug', (line) => void logs.push(line)),
        watch: false,
        busyGiveUpMs: 300,
        fs: lockingFs as never,
      });
      await index.rebuild();
      expect(logs.join('\n')).toMatch(/index build failed: .*locked/);
      expect((await index.search({ query: 'quokka', limit: 5 })).hits).toEqual([]);
    } finally {
      holder?.exec('ROLLBACK');
      holder?.close();
    }
    // No file changes from here on: the retry alone must bring the new document in.
    const deadline = Date.now() + 4000;
    let hits: string[] = [];
    while (Date.now() < deadline) {
      hits = (await index.search({ query: 'quokka', limit: 5 })).hits.map((h) => h.file);
      if (hits.length > 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(hits).toEqual(['b.md']);
    expect(logs.join('\n')).toContain('building the index again in 1 s');
  }, 10_000);
});
