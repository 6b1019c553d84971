// Every reader shares the project database (issue 12): `praxis-mcp call search_standards` with no
// server running builds the index in .praxis-os/.cache/praxis.db once; the next call, and a server
// started afterwards, reuse it (no chunk is indexed again); a changed file replaces only its own
// chunks. Runs the compiled binary; the database is read with node:sqlite between runs.
import { afterAll, expect, test } from 'bun:test';
import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, projectDbPath } from '../../src/store/index.ts';
import { BINARY, ROOT, tempProject } from '../helpers/process.ts';

const project = tempProject({ prefix: 'praxis-shared-db-' });
cpSync(join(ROOT, 'example', '.praxis-os', 'standards'), join(project.praxisDir, 'standards'), { recursive: true });
afterAll(() => project.cleanup());

function call(query: string): { files: string[]; stderr: string } {
  const run = spawnSync(BINARY, ['call', 'search_standards', '--project', project.root, '--json', '--args', JSON.stringify({ query, n_results: 3 })], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(run.status, run.stderr).toBe(0);
  const result = JSON.parse(run.stdout);
  return { files: result.structuredContent.results.map((r: { file: string }) => r.file), stderr: run.stderr };
}

/** Chunk ids per file: a file indexed again gets new ids. */
function chunkIds(): Map<string, number[]> {
  const store = openStore({ path: projectDbPath(project.praxisDir), onCorrupt: 'throw' });
  try {
    // WAL is a property of the file: the binary set it.
    expect((store.db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode).toBe('wal');
    const rows = store.db.prepare('SELECT d.file, c.id FROM std_chunks c JOIN std_docs d ON d.id = c.doc_id ORDER BY c.id').all() as { file: string; id: number }[];
    const ids = new Map<string, number[]>();
    for (const r of rows) ids.set(r.file, [...(ids.get(r.file) ?? []), r.id]);
    return ids;
  } finally {
    store.close();
  }
}

test('call with no server builds the shared database once; later calls reuse it; a change re-indexes one file', () => {
  const first = call('how should I name unit tests');
  expect(first.files[0]).toBe('engineering/testing.md');
  expect(existsSync(projectDbPath(project.praxisDir))).toBe(true);
  const before = chunkIds();
  expect(before.size).toBeGreaterThan(10);

  const second = call('how should I name unit tests');
  expect(second.files).toEqual(first.files);
  expect(chunkIds()).toEqual(before);

  appendFileSync(join(project.praxisDir, 'standards', 'engineering', 'logging.md'), '\n## Zebra crossings\n\nLog every zebracrossing event.\n');
  const third = call('zebracrossing');
  expect(third.files[0]).toBe('engineering/logging.md');
  const after = chunkIds();
  for (const [file, ids] of before) {
    if (file === 'engineering/logging.md') expect(after.get(file)).not.toEqual(ids);
    else expect(after.get(file)).toEqual(ids);
  }
}, 90_000);
