// `praxis-mcp init`: creates .praxis-os/ with config, a starter standard and .gitignore entries,
// never overwrites, and says what it did and what to do next (issue 5).
import { afterEach, describe, expect, test } from 'bun:test';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GITIGNORE_ENTRIES, STARTER_FILES, describeInit, initProject, missingGitignoreLines } from '../../src/commands/init.ts';
import { PraxisError } from '../../src/errors.ts';
import { PRAXIS_GITIGNORE } from '../../src/project/gitignore.ts';
import { locateProject } from '../../src/project/locate.ts';
import { STARTER_WORKFLOW_FILES } from '../../src/workflows/starter-workflows.ts';
import { runBinary, type TempProject, tempProject } from '../helpers/process.ts';

const projects: TempProject[] = [];
afterEach(() => {
  for (const p of projects.splice(0)) p.cleanup();
});

/** The starter workflow files, as init reports them. */
const WORKFLOW_PATHS = Object.keys(STARTER_WORKFLOW_FILES).map((p) => `.praxis-os/${p}`);

function bare(): TempProject {
  const project = tempProject({ praxis: false, prefix: 'praxis-init-' });
  projects.push(project);
  return project;
}

describe('missingGitignoreLines', () => {
  test.each([
    ['', [...GITIGNORE_ENTRIES]],
    ['node_modules\n', [...GITIGNORE_ENTRIES]],
    ['.mcp_server_state.json\r\n.mcp_server.lock\r\n', GITIGNORE_ENTRIES.filter((e) => !e.startsWith('.mcp_server_state.json') && e !== '.mcp_server.lock')],
    [`  ${GITIGNORE_ENTRIES.join('  \n')}`, []],
    ['# .mcp_server_state.json\n', [...GITIGNORE_ENTRIES]],
  ])('%p lacks %p', (existing, missing) => {
    expect(missingGitignoreLines(existing)).toEqual(missing);
  });
});

describe('initProject', () => {
  test('a fresh folder gets config, starter standard and .gitignore, and becomes a project', () => {
    const { root, praxisDir } = bare();
    const report = initProject(root);
    expect(report.created.sort()).toEqual(
      ['.praxis-os/.gitignore', '.praxis-os/config.json', '.praxis-os/standards/getting-started.md', ...WORKFLOW_PATHS].sort(),
    );
    expect(report.kept).toEqual([]);
    expect(JSON.parse(readFileSync(join(praxisDir, 'config.json'), 'utf8'))).toEqual({ standards: { extra_paths: [] } });
    expect(readFileSync(join(praxisDir, 'standards', 'getting-started.md'), 'utf8')).toBe(STARTER_FILES['standards/getting-started.md']!);
    expect(readFileSync(join(praxisDir, '.gitignore'), 'utf8')).toBe(PRAXIS_GITIGNORE);
    expect(GITIGNORE_ENTRIES).toEqual(expect.arrayContaining(['.mcp_server_state.json', '.mcp_server.lock', '.*.tmp']));
    expect(locateProject({ flag: root, env: {} }).root).toBe(root);
  });

  test('existing files are never overwritten; a .gitignore only gains the missing entries', () => {
    const { root, praxisDir } = bare();
    mkdirSync(join(praxisDir, 'standards'), { recursive: true });
    writeFileSync(join(praxisDir, 'config.json'), '{"mine": true}');
    writeFileSync(join(praxisDir, 'standards', 'getting-started.md'), '# my own');
    writeFileSync(join(praxisDir, '.gitignore'), 'secrets/\n.mcp_server.lock');
    const report = initProject(root);
    expect(report.created.sort()).toEqual([...WORKFLOW_PATHS].sort());
    expect(report.updated).toEqual(['.praxis-os/.gitignore']);
    expect(report.kept.sort()).toEqual(['.praxis-os/config.json', '.praxis-os/standards/getting-started.md']);
    expect(readFileSync(join(praxisDir, 'config.json'), 'utf8')).toBe('{"mine": true}');
    expect(readFileSync(join(praxisDir, 'standards', 'getting-started.md'), 'utf8')).toBe('# my own');
    const added = GITIGNORE_ENTRIES.filter((e) => e !== '.mcp_server.lock');
    expect(readFileSync(join(praxisDir, '.gitignore'), 'utf8')).toBe(`secrets/\n.mcp_server.lock\n${added.join('\n')}\n`);
  });

  test('a second init keeps everything and changes nothing', () => {
    const { root, praxisDir } = bare();
    initProject(root);
    const before = readFileSync(join(praxisDir, '.gitignore'), 'utf8');
    const report = initProject(root);
    expect(report.created).toEqual([]);
    expect(report.updated).toEqual([]);
    expect(report.kept).toHaveLength(3 + WORKFLOW_PATHS.length);
    expect(readFileSync(join(praxisDir, '.gitignore'), 'utf8')).toBe(before);
  });

  test('a folder that does not exist is refused, not created', () => {
    const { root } = bare();
    const error = (() => {
      try {
        initProject(join(root, 'typo'));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(PraxisError);
    expect((error as PraxisError).code).toBe('E_PROJECT_NOT_FOUND');
  });

  test('the summary lists each file and the next step, with --project when run elsewhere', () => {
    const root = resolve('/p');
    const report = { root, created: ['.praxis-os/config.json'], updated: [], kept: ['.praxis-os/.gitignore'] };
    const here = describeInit(report, root);
    expect(here).toContain('created .praxis-os/config.json');
    expect(here).toContain('kept    .praxis-os/.gitignore');
    expect(here).toContain('praxis-mcp config cursor --write');
    expect(describeInit(report, '/elsewhere')).toContain(`praxis-mcp config cursor --project ${JSON.stringify(root)} --write`);
  });
});

describe('compiled binary', () => {
  test('init --project DIR creates the project and prints the next step; a second run keeps it', async () => {
    const { root, praxisDir } = bare();
    const result = await runBinary(['init', '--project', root]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('created .praxis-os/config.json');
    expect(result.stdout).toContain(`created .praxis-os/workflows/feature_v1/ (${WORKFLOW_PATHS.filter((p) => p.includes('/feature_v1/')).length} files)`);
    expect(result.stdout).toContain('Next:');
    // The binary carries the starter workflows embedded: byte for byte what the source holds.
    for (const [rel, text] of Object.entries(STARTER_WORKFLOW_FILES)) expect(readFileSync(join(praxisDir, rel), 'utf8')).toBe(text);
    expect(readFileSync(join(praxisDir, '.gitignore'), 'utf8')).toContain('.mcp_server_state.json');
    const again = await runBinary(['init'], { cwd: root });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('kept    .praxis-os/config.json');
  });
});
