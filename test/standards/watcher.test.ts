// The watcher keeps the index fresh on real files: add, change, delete, rename, bursts, folders
// and config that appear later (issue 4). Polls with a deadline; never sleeps a fixed time.
import { afterEach, expect, setDefaultTimeout, test } from 'bun:test';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../../src/log.ts';
import { type StandardsIndex, createStandardsIndex } from '../../src/standards/standards-index.ts';
import { type TempProject, tempProject, waitFor } from '../helpers/process.ts';

// Each wait below has its own 5 s deadline with a message; the test timeout must not cut it short.
setDefaultTimeout(20_000);

let project: TempProject;
let index: StandardsIndex;
afterEach(() => {
  index?.close();
  project?.cleanup();
});

async function start(options: { praxis?: boolean } = {}): Promise<void> {
  project = tempProject(options);
  mkdirSync(project.praxisDir, { recursive: true });
  index = createStandardsIndex({ projectRoot: project.root, praxisDir: project.praxisDir, log: silentLogger });
  index.start();
  await index.snapshot();
}

const std = (rel: string) => join(project.praxisDir, 'standards', rel);
const files = async (query: string) => (await index.search({ query, limit: 50 })).hits.map((h) => h.file).sort();
const until = (query: string, expected: string[], what: string) =>
  waitFor(async () => JSON.stringify(await files(query)) === JSON.stringify(expected), what, 5000);

test('add, change, delete and rename a file: the next query reflects each within seconds', async () => {
  await start();
  writeFileSync(std('a.md'), '## Zebra\nzebra crossing');
  await until('zebra', ['a.md'], 'the added file to be searchable');

  writeFileSync(std('a.md'), '## Giraffe\ngiraffe neck');
  await until('giraffe', ['a.md'], 'the changed content to be searchable');
  expect(await files('zebra')).toEqual([]);

  renameSync(std('a.md'), std('b.md'));
  await until('giraffe', ['b.md'], 'the renamed file under its new name');

  rmSync(std('b.md'));
  await until('giraffe', [], 'the deleted file to disappear');
});

test('files in a sub-folder created after the start, and a renamed folder', async () => {
  await start();
  mkdirSync(std('deep/er'), { recursive: true });
  writeFileSync(std('deep/er/c.md'), '## Okapi\nokapi forest');
  await until('okapi', ['deep/er/c.md'], 'a file in a new sub-folder');
  renameSync(std('deep'), std('moved'));
  await until('okapi', ['moved/er/c.md'], 'the file under the renamed folder');
});

test('a burst of 300 files (a git checkout) causes one or two rebuilds, not hundreds', async () => {
  await start();
  const before = index.stats().builds as number;
  for (let i = 0; i < 300; i++) writeFileSync(std(`burst-${String(i).padStart(3, '0')}.md`), `## Item ${i}\nburstword number${i}`);
  await waitFor(async () => (await files('burstword')).length === 50, 'the burst to be indexed', 5000);
  await waitFor(() => index.stats().state === 'ready', 'the index to settle', 5000);
  expect((await index.snapshot()).docs.length).toBe(300);
  const rebuilds = (index.stats().builds as number) - before;
  console.log(`watcher: 300 files written in a burst caused ${rebuilds} rebuild(s)`);
  expect(rebuilds).toBeGreaterThanOrEqual(1);
  expect(rebuilds).toBeLessThanOrEqual(3);
});

test('a standards folder missing at start, then created, then replaced (checkout), is picked up each time', async () => {
  await start({ praxis: false });
  expect(index.stats().documents).toBe(0);
  mkdirSync(std(''), { recursive: true });
  writeFileSync(std('late.md'), '## Late\nlatecomer text');
  await until('latecomer', ['late.md'], 'a file in the standards folder created after the start');

  // Replace the whole folder, as a checkout of another branch may.
  const staged = join(project.praxisDir, 'standards-next');
  mkdirSync(staged);
  writeFileSync(join(staged, 'next.md'), '## Next\nlatecomer replaced');
  rmSync(std(''), { recursive: true });
  renameSync(staged, std(''));
  await until('latecomer', ['next.md'], 'the replaced folder to be indexed');
  writeFileSync(std('after.md'), '## After\nlatecomer again');
  await until('latecomer', ['after.md', 'next.md'], 'a file added to the replacement folder');
});

test('editing config.json to add an extra folder indexes it', async () => {
  await start();
  mkdirSync(join(project.root, 'docs'));
  writeFileSync(join(project.root, 'docs', 'd.md'), '## Docs\nplatypus facts');
  expect(await files('platypus')).toEqual([]);
  writeFileSync(join(project.praxisDir, 'config.json'), JSON.stringify({ standards: { extra_paths: ['docs'] } }));
  await until('platypus', ['d.md'], 'the extra folder to be indexed');
  writeFileSync(join(project.root, 'docs', 'e.md'), '## More\nplatypus eggs');
  await until('platypus', ['d.md', 'e.md'], 'a change in the extra folder');
});

test('two roots in one parent (.praxis-os/standards and .praxis-os/usage), both created after the start', async () => {
  project = tempProject({ praxis: false });
  mkdirSync(project.praxisDir);
  writeFileSync(join(project.praxisDir, 'config.json'), JSON.stringify({ standards: { extra_paths: ['.praxis-os/usage'] } }));
  index = createStandardsIndex({ projectRoot: project.root, praxisDir: project.praxisDir, log: silentLogger });
  index.start();
  await index.snapshot();
  mkdirSync(join(project.praxisDir, 'usage'));
  writeFileSync(join(project.praxisDir, 'usage', 'u.md'), '## Usage\nnarwhal usage');
  await until('narwhal', ['u.md'], 'the usage folder created after the start');
  mkdirSync(std(''));
  writeFileSync(std('s.md'), '## Standard\nnarwhal standard');
  await until('narwhal', ['s.md', 'u.md'], 'the standards folder created after the start');
});
