// The project database layer (issue 12): real database files in a temp folder.
import { afterEach, expect, test } from 'bun:test';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Store, StoreError, openProjectStore, openStore, projectDbPath } from '../../src/store/index.ts';

const dirs: string[] = [];
const stores: Store[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'praxis-store-'));
  dirs.push(d);
  return d;
};
const open = (path: string, options: Parameters<typeof openStore>[0] extends infer O ? Partial<O> : never = {}) => {
  const s = openStore({ path, ...options });
  stores.push(s);
  return s;
};

test('openProjectStore creates .praxis-os/.cache/praxis.db on demand, git-ignored, in WAL mode with a busy timeout', () => {
  const praxisDir = join(tempDir(), '.praxis-os');
  const store = openProjectStore(praxisDir);
  stores.push(store);
  expect(store.path).toBe(join(praxisDir, '.cache', 'praxis.db'));
  expect(projectDbPath(praxisDir)).toBe(store.path);
  expect(existsSync(store.path)).toBe(true);
  expect(readFileSync(join(praxisDir, '.cache', '.gitignore'), 'utf8')).toContain('\n*\n');
  expect((store.db.prepare('PRAGMA journal_mode').get() as any).journal_mode).toBe('wal');
  expect((store.db.prepare('PRAGMA busy_timeout').get() as any).timeout).toBe(5000);
});

test('migrations are per owner, applied once, in order, and survive a reopen', () => {
  const path = join(tempDir(), 'db.sqlite');
  const a = open(path);
  const alpha = [
    { version: 1, name: 'create', up: 'CREATE TABLE alpha (id INTEGER PRIMARY KEY, v TEXT)' },
    { version: 2, name: 'add column', up: 'ALTER TABLE alpha ADD COLUMN w TEXT' },
  ];
  let betaRuns = 0;
  const beta = [{ version: 1, name: 'create', up: () => void (betaRuns++, a.db.exec('CREATE TABLE beta (x)')) }];
  expect(a.migrate('alpha', alpha)).toBe(2);
  expect(a.migrate('beta', beta)).toBe(1);
  expect(a.migrate('alpha', alpha)).toBe(2);
  expect(a.migrate('beta', beta)).toBe(1);
  expect(betaRuns).toBe(1);
  a.close();
  const b = open(path);
  expect(b.version('alpha')).toBe(2);
  expect(b.version('beta')).toBe(1);
  expect(b.version('gamma')).toBe(0);
  b.db.prepare('INSERT INTO alpha (v, w) VALUES (?, ?)').run('x', 'y');
  // A third migration added later runs on the existing database.
  expect(b.migrate('alpha', [...alpha, { version: 3, name: 'index', up: 'CREATE INDEX alpha_v ON alpha (v)' }])).toBe(3);
  const rows = b.db.prepare('SELECT owner, version, name FROM schema_migrations ORDER BY owner, version').all();
  expect(rows.map((r: any) => `${r.owner}:${r.version}:${r.name}`)).toEqual(['alpha:1:create', 'alpha:2:add column', 'alpha:3:index', 'beta:1:create']);
});

test('a failing migration rolls back and records nothing; a database newer than the code is refused with the path', () => {
  const path = join(tempDir(), 'db.sqlite');
  const s = open(path);
  expect(() => s.migrate('o', [{ version: 1, name: 'bad', up: 'CREATE TABLE t (a); SELECT * FROM missing_table' }])).toThrow();
  expect(s.version('o')).toBe(0);
  expect(s.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 't'").get()).toEqual({ n: 0 } as any);
  s.migrate('o', [
    { version: 1, name: 'a', up: 'CREATE TABLE t (a)' },
    { version: 2, name: 'b', up: 'CREATE TABLE u (a)' },
  ]);
  const error = (() => {
    try {
      s.migrate('o', [{ version: 1, name: 'a', up: 'CREATE TABLE t (a)' }]);
    } catch (e) {
      return e;
    }
  })() as StoreError;
  expect(error).toBeInstanceOf(StoreError);
  expect(error.code).toBe('newer-schema');
  expect(error.message).toContain(path);
  expect(() => s.migrate('p', [{ version: 2, name: 'gap', up: '' }])).toThrow(/numbered 1, 2, 3/);
});

test('immediate commits, rolls back on throw, refuses an async callback, and nests as a savepoint', async () => {
  const s = open(join(tempDir(), 'db.sqlite'));
  s.db.exec('CREATE TABLE t (v INTEGER)');
  const count = () => (s.db.prepare('SELECT count(*) AS n FROM t').get() as any).n;
  s.immediate((db) => db.prepare('INSERT INTO t VALUES (1)').run());
  expect(count()).toBe(1);
  expect(() =>
    s.immediate((db) => {
      db.prepare('INSERT INTO t VALUES (2)').run();
      throw new Error('boom');
    }),
  ).toThrow('boom');
  expect(count()).toBe(1);
  expect(() => s.immediate(async (db) => db.prepare('INSERT INTO t VALUES (3)').run())).toThrow(/synchronous/);
  expect(count()).toBe(1);
  expect(s.db.isTransaction).toBe(false);
  s.immediate((db) => {
    db.prepare('INSERT INTO t VALUES (4)').run();
    expect(() =>
      s.immediate((inner) => {
        inner.prepare('INSERT INTO t VALUES (5)').run();
        throw new Error('inner');
      }),
    ).toThrow('inner');
    s.immediate((inner) => inner.prepare('INSERT INTO t VALUES (6)').run());
  });
  expect(s.db.prepare('SELECT v FROM t ORDER BY v').all().map((r: any) => r.v)).toEqual([1, 4, 6]);
  expect(s.read((db) => (db.prepare('SELECT sum(v) AS n FROM t').get() as any).n)).toBe(11);
});

test('BEGIN IMMEDIATE takes the write lock: a second connection waits out busy_timeout, then fails busy', () => {
  const path = join(tempDir(), 'db.sqlite');
  const a = open(path);
  const b = open(path, { busyTimeoutMs: 50 });
  a.db.exec('CREATE TABLE t (v)');
  a.db.exec('BEGIN IMMEDIATE');
  const started = performance.now();
  expect(() => b.immediate((db) => db.prepare('INSERT INTO t VALUES (1)').run())).toThrow(/locked|busy/i);
  expect(performance.now() - started).toBeGreaterThanOrEqual(40);
  a.db.exec('COMMIT');
  b.immediate((db) => db.prepare('INSERT INTO t VALUES (1)').run());
});

test('dataVersion changes when another connection commits, not on our own writes', () => {
  const path = join(tempDir(), 'db.sqlite');
  const a = open(path);
  const b = open(path);
  a.db.exec('CREATE TABLE t (v)');
  const before = b.dataVersion();
  expect(b.dataVersion()).toBe(before);
  a.immediate((db) => db.prepare('INSERT INTO t VALUES (1)').run());
  const after = b.dataVersion();
  expect(after).not.toBe(before);
  const own = b.dataVersion();
  b.immediate((db) => db.prepare('INSERT INTO t VALUES (2)').run());
  expect(b.dataVersion()).toBe(own);
});

test('a file that is not a database is moved aside (kept, logged) and a new one is started', () => {
  const dir = tempDir();
  const path = join(dir, 'praxis.db');
  writeFileSync(path, 'not a database '.repeat(500));
  const warnings: string[] = [];
  const s = open(path, { warn: (m) => warnings.push(m) });
  expect(s.movedAside).toBeDefined();
  expect(readFileSync(s.movedAside!, 'utf8')).toStartWith('not a database');
  expect(warnings.join('\n')).toContain(path);
  expect(warnings.join('\n')).toContain(s.movedAside!);
  s.migrate('o', [{ version: 1, name: 'a', up: 'CREATE TABLE t (a)' }]);
  expect(readdirSync(dir).filter((f) => f.includes('.corrupt-')).length).toBe(1);
});

test('with onCorrupt: throw, a damaged file is a StoreError naming the file and what to do', () => {
  const path = join(tempDir(), 'praxis.db');
  writeFileSync(path, 'garbage'.repeat(1000));
  let error: unknown;
  try {
    open(path, { onCorrupt: 'throw' });
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(StoreError);
  expect((error as StoreError).code).toBe('corrupt');
  expect((error as StoreError).message).toContain(path);
  expect((error as StoreError).message).toMatch(/move it aside/);
  expect(readFileSync(path, 'utf8')).toStartWith('garbage');
});

test('a folder that cannot hold the database gives an error naming the path', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'file'), 'x');
  expect(() => open(join(dir, 'file', 'praxis.db'))).toThrow(join(dir, 'file'));
});
