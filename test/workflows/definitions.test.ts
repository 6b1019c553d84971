// Workflow definitions in the original's folder format: loaded unchanged from the project root,
// validated, one error per bad folder, confined to the project, hashed (issue 13).
import { afterEach, describe, expect, test } from 'bun:test';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sessionPhases } from '../../src/workflows/definitions/dynamic-phases.ts';
import { findDefinition } from '../../src/workflows/definitions/find-definition.ts';
import { loadDefinitions } from '../../src/workflows/definitions/load-definitions.ts';

const FIXTURE = resolve(import.meta.dirname, '../fixtures/workflows');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of the fixture project in a temp dir (so tests may break it). */
function copyFixture(): string {
  const root = mkdtempSync(join(tmpdir(), 'praxis-wfdefs-'));
  temps.push(root);
  cpSync(FIXTURE, root, { recursive: true });
  return root;
}

const wf = (root: string, ...parts: string[]) => join(root, '.praxis-os', 'workflows', ...parts);

describe('loadDefinitions on the fixture project', () => {
  const set = loadDefinitions(FIXTURE);

  test('both workflows load, no errors', () => {
    expect(set.errors).toEqual([]);
    expect([...set.definitions.keys()].sort()).toEqual(['docs_review_v1', 'spec_run_v1']);
  });

  test('a static workflow: phases, tasks from metadata.json or from task files, dependencies', () => {
    const def = set.definitions.get('docs_review_v1')!;
    expect(def.version).toBe('1.2.0');
    expect(def.dynamic).toBeNull();
    expect(def.dir).toBe(join(FIXTURE, '.praxis-os/workflows/docs_review_v1'));
    expect(def.phases.map((p) => [p.number, p.name, p.overviewFile])).toEqual([
      [0, 'Inventory', 'phases/0/phase.md'],
      [1, 'Review', 'phases/1/phase.md'],
    ]);
    expect(def.phases[0]!.tasks).toEqual([
      { id: '0.1', number: 1, name: 'List pages', file: 'phases/0/task-1-list-pages.md', purpose: 'Find every page', dependsOn: [], acceptanceCriteria: [] },
      { id: '0.2', number: 2, name: 'Find owners', file: 'phases/0/task-2-find-owners.md', purpose: '', dependsOn: ['0.1'], acceptanceCriteria: [] },
    ]);
    // Phase 1 lists no tasks in metadata.json: its task-<k>-<slug>.md files are the tasks.
    expect(def.phases[1]!.tasks.map((t) => [t.id, t.name, t.file])).toEqual([
      ['1.1', 'Read pages', 'phases/1/task-1-read-pages.md'],
      ['1.2', 'Write findings', 'phases/1/task-2-write-findings.md'],
    ]);
  });

  test('unknown metadata fields are kept and listed, not rejected', () => {
    expect(set.definitions.get('docs_review_v1')!.ignoredFields).toEqual([
      'author',
      'estimated_duration',
      'name',
      'phases[].estimated_effort',
      'phases[].key_deliverables',
      'phases[].skippable',
      'phases[].validation_criteria',
      'primary_outputs',
      'usage',
    ]);
    expect(set.definitions.get('spec_run_v1')!.ignoredFields).toEqual(['phases[].task_execution']);
  });

  test('gates: strict: false is advisory, lambdas are read not run, types and checks translated', () => {
    const def = set.definitions.get('docs_review_v1')!;
    const g0 = def.phases[0]!.gate!;
    expect(g0.strict).toBe(false);
    expect(g0.allowOverride).toBe(true);
    expect(g0.evidenceSchema).toEqual({
      type: 'object',
      properties: {
        pages_listed: { type: 'integer', description: 'How many pages the inventory holds', minimum: 1 },
        inventory_path: { type: 'string', description: 'Where the inventory was written' },
        owners_known: { type: 'boolean', description: 'Every page has an owner' },
      },
      additionalProperties: true,
      required: ['pages_listed', 'inventory_path'],
    });
    expect(g0.notEnforced).toEqual([
      `evidence field "inventory_path": validator "looks_like_path" ("lambda x: x.endswith('.md')") is Python and is not run`,
      'cross_field_validation: "Too many pages for one review" is Python and is not run',
    ]);
    const g1 = def.phases[1]!.gate!;
    expect(g1.strict).toBe(true); // no checkpoint section: strict by default
    expect(g1.approval).toBe('none');
    expect((g1.evidenceSchema.properties as Record<string, { type: string }>).findings!.type).toBe('array');
    expect((g1.evidenceSchema.properties as Record<string, { type: string }>).summary!.type).toBe('object');
    expect(g1.checks).toEqual([
      { kind: 'file_exists', glob: 'review.md' },
      { kind: 'section_present', file: 'review.md', heading: 'Findings' },
    ]);
    expect(def.notEnforced).toEqual(g0.notEnforced.map((n) => `phase 0: ${n}`));
  });

  test('a dynamic workflow: phase 0 defined, the spec option, templates and the dynamic gate', () => {
    const def = set.definitions.get('spec_run_v1')!;
    expect(def.phases.map((p) => p.number)).toEqual([0]);
    expect(def.phases[0]!.tasks.map((t) => t.id)).toEqual(['0.1']);
    expect(def.dynamic).toMatchObject({ sourcePathKey: 'spec_dir', phaseTemplate: 'phases/dynamic/phase-template.md', taskTemplate: 'phases/dynamic/task-template.md' });
    expect(def.dynamic!.gate!.strict).toBe(true);
    expect(def.dynamic!.gate!.checks).toEqual([{ kind: 'test_report', file: '{spec_dir}/report.xml' }]);
  });

  test('the hash is stable and names the content', () => {
    const again = loadDefinitions(FIXTURE);
    expect(again.definitions.get('docs_review_v1')!.hash).toBe(set.definitions.get('docs_review_v1')!.hash);
    expect(set.definitions.get('docs_review_v1')!.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(set.definitions.get('docs_review_v1')!.hash).not.toBe(set.definitions.get('spec_run_v1')!.hash);
  });
});

describe('loadDefinitions edge cases', () => {
  test('the root is the project root, never the working directory; a relative root is refused', () => {
    const before = process.cwd();
    const elsewhere = mkdtempSync(join(tmpdir(), 'praxis-wfdefs-cwd-'));
    temps.push(elsewhere);
    mkdirSync(join(elsewhere, '.praxis-os', 'workflows', 'decoy_v1'), { recursive: true });
    try {
      process.chdir(elsewhere);
      expect([...loadDefinitions(FIXTURE).definitions.keys()].sort()).toEqual(['docs_review_v1', 'spec_run_v1']);
      expect(() => loadDefinitions('.')).toThrow(/absolute/);
    } finally {
      process.chdir(before);
    }
  });

  test('a project without workflows gives an empty set', () => {
    const root = mkdtempSync(join(tmpdir(), 'praxis-wfdefs-empty-'));
    temps.push(root);
    expect(loadDefinitions(root)).toEqual({ definitions: new Map(), errors: [] });
  });

  test('a changed file changes the hash', () => {
    const root = copyFixture();
    const before = loadDefinitions(root).definitions.get('docs_review_v1')!.hash;
    writeFileSync(wf(root, 'docs_review_v1', 'core', 'style.md'), '# Review style\n\nChanged.\n');
    expect(loadDefinitions(root).definitions.get('docs_review_v1')!.hash).not.toBe(before);
  });

  test.each([
    ['metadata.json is not JSON', 'metadata.json', '{ "workflow_type": ', /metadata\.json: not valid JSON/],
    ['metadata.json lacks phases', 'metadata.json', '{ "workflow_type": "docs_review_v1" }', /metadata\.json: phases: /],
    ['a phase number twice', 'metadata.json', JSON.stringify({ workflow_type: 'docs_review_v1', phases: [{ phase_number: 0, phase_name: 'a' }, { phase_number: 0, phase_name: 'b' }] }), /phase 0 listed twice/],
    ['a dependency on no task', 'metadata.json', JSON.stringify({ workflow_type: 'docs_review_v1', phases: [{ phase_number: 0, phase_name: 'a', tasks: [{ task_number: 1, name: 'x', file: 'task-1-list-pages.md', depends_on: [7] }] }] }), /depends on 0\.7/],
    ['a task file that is missing', 'phases/0/task-2-find-owners.md', null, /task-2-find-owners\.md: missing/],
    ['a gate that is not YAML', 'phases/0/gate-definition.yaml', 'checkpoint: [unclosed', /gate-definition\.yaml: not valid YAML/],
    ['a check without its glob', 'phases/1/gate-definition.yaml', 'checks:\n  - kind: file_exists\n', /checks\[0\]: glob: /],
    ['a check path with ..', 'phases/1/gate-definition.yaml', 'checks:\n  - kind: file_exists\n    glob: ../../etc/*\n', /relative to the project root/],
    ['file_contains with both text and regex', 'phases/1/gate-definition.yaml', 'checks:\n  - kind: file_contains\n    file: a.md\n    text: x\n    regex: y\n', /exactly one of/],
  ])('%s: that folder is an error, the other still loads', (_name, file, content, message) => {
    const root = copyFixture();
    const path = wf(root, 'docs_review_v1', file);
    if (content === null) rmSync(path);
    else writeFileSync(path, content);
    const set = loadDefinitions(root);
    expect([...set.definitions.keys()]).toEqual(['spec_run_v1']);
    expect(set.errors).toHaveLength(1);
    expect(set.errors[0]!.dir).toBe('.praxis-os/workflows/docs_review_v1');
    expect(set.errors[0]!.message).toMatch(message);
  });

  test('a folder without metadata.json is an error; dot-entries and loose files are skipped', () => {
    const root = copyFixture();
    mkdirSync(wf(root, 'half_done'));
    writeFileSync(wf(root, '.temp-definition.yaml'), 'x: 1');
    writeFileSync(wf(root, 'README.md'), '# workflows');
    const set = loadDefinitions(root);
    expect(set.errors).toEqual([{ dir: '.praxis-os/workflows/half_done', message: 'metadata.json: missing' }]);
    expect(set.definitions.size).toBe(2);
  });

  test('an unknown check kind is listed as not enforced, not silently dropped', () => {
    const root = copyFixture();
    writeFileSync(wf(root, 'docs_review_v1', 'phases/1/gate-definition.yaml'), 'checks:\n  - kind: run_script\n    cmd: rm -rf /\n');
    const def = loadDefinitions(root).definitions.get('docs_review_v1')!;
    expect(def.phases[1]!.gate!.checks).toEqual([]);
    expect(def.notEnforced).toContain('phase 1: checks[0]: unknown kind "run_script" (known: file_exists, file_contains, section_present, test_report, git_changed)');
  });

  test('a workflow_type that differs from the folder name: the folder name is the type (as in the original)', () => {
    const root = copyFixture();
    const path = wf(root, 'docs_review_v1', 'metadata.json');
    const meta = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...meta, workflow_type: 'docs_review' }));
    const def = loadDefinitions(root).definitions.get('docs_review_v1')!;
    expect(def.type).toBe('docs_review_v1');
    expect(def.notEnforced[0]).toBe('metadata.json says workflow_type "docs_review": the folder name "docs_review_v1" is the type');
  });
});

describe('confinement: nothing outside the project is read', () => {
  function outside(): string {
    const dir = mkdtempSync(join(tmpdir(), 'praxis-wfdefs-outside-'));
    temps.push(dir);
    return dir;
  }

  test('a workflow folder that links outside the project is refused', () => {
    const root = copyFixture();
    const away = outside();
    cpSync(wf(root, 'docs_review_v1'), join(away, 'evil_v1'), { recursive: true });
    symlinkSync(join(away, 'evil_v1'), wf(root, 'evil_v1'));
    const set = loadDefinitions(root);
    expect(set.definitions.has('evil_v1')).toBe(false);
    expect(set.errors).toEqual([{ dir: '.praxis-os/workflows/evil_v1', message: 'the folder leads outside the project, not read' }]);
  });

  test('a task file that links outside makes its folder an error', () => {
    const root = copyFixture();
    const away = outside();
    writeFileSync(join(away, 'secret.md'), 'secret');
    const task = wf(root, 'docs_review_v1', 'phases/0/task-1-list-pages.md');
    rmSync(task);
    symlinkSync(join(away, 'secret.md'), task);
    const set = loadDefinitions(root);
    expect(set.definitions.has('docs_review_v1')).toBe(false);
    expect(set.errors[0]!.message).toMatch(/task-1-list-pages\.md: missing or outside the project/);
  });

  test('a linked metadata.json or gate outside the project is never read', () => {
    const root = copyFixture();
    const away = outside();
    writeFileSync(join(away, 'gate.yaml'), 'checkpoint: { strict: false }\n');
    const gate = wf(root, 'docs_review_v1', 'phases/1/gate-definition.yaml');
    rmSync(gate);
    symlinkSync(join(away, 'gate.yaml'), gate);
    const def = loadDefinitions(root).definitions.get('docs_review_v1')!;
    expect(def.phases[1]!.gate).toBeNull();
    expect(def.notEnforced).toContain('phases/1/gate-definition.yaml: a link outside the project, never read');
  });

  test('.praxis-os/workflows itself linking outside is refused', () => {
    const root = mkdtempSync(join(tmpdir(), 'praxis-wfdefs-linked-'));
    temps.push(root);
    const away = outside();
    cpSync(join(FIXTURE, '.praxis-os', 'workflows'), join(away, 'workflows'), { recursive: true });
    mkdirSync(join(root, '.praxis-os'));
    symlinkSync(join(away, 'workflows'), join(root, '.praxis-os', 'workflows'));
    const set = loadDefinitions(root);
    expect(set.definitions.size).toBe(0);
    expect(set.errors[0]!.message).toBe('.praxis-os/workflows leads outside the project, not read');
  });
});

describe('findDefinition', () => {
  const set = loadDefinitions(FIXTURE);
  test('a known type', () => {
    const found = findDefinition(set, 'spec_run_v1');
    expect('definition' in found && found.definition.type).toBe('spec_run_v1');
  });
  test('an unknown type lists the known ones, never an invented workflow', () => {
    expect(findDefinition(set, 'made_up_v9')).toEqual({ error: 'Unknown workflow type "made_up_v9"; known workflow types: docs_review_v1, spec_run_v1', known: ['docs_review_v1', 'spec_run_v1'] });
  });
  test('a type whose folder failed to load says why', () => {
    const broken = { definitions: new Map(), errors: [{ dir: '.praxis-os/workflows/x_v1', message: 'metadata.json: missing' }] };
    expect(findDefinition(broken, 'x_v1')).toEqual({ error: 'Workflow "x_v1" failed to load (metadata.json: missing); no workflow is defined in .praxis-os/workflows/', known: [] });
  });
});

describe('sessionPhases (dynamic workflows)', () => {
  const TASKS = `# Tasks\n\n## Phase 1: Schema\n\n- [ ] **Task 1.1**: Tables\n\n## Phase 2: API\n\n- [ ] **Task 2.1**: Endpoints\n  - **Depends on:** Task 1.1\n\n## Phase 3: Docs\n\n- [ ] **Task 3.1**: Guide\n`;

  test('phase 0 from the folder plus every tasks.md phase, read from the project root', () => {
    const root = copyFixture();
    mkdirSync(join(root, 'specs', 'login'), { recursive: true });
    writeFileSync(join(root, 'specs', 'login', 'tasks.md'), TASKS);
    const def = loadDefinitions(root).definitions.get('spec_run_v1')!;
    const result = sessionPhases(root, def, { spec_dir: 'specs/login' });
    if ('error' in result) throw new Error(result.error);
    expect(result.source).toBe('specs/login/tasks.md');
    expect(result.phases.map((p) => [p.number, p.name, p.tasks.length])).toEqual([
      [0, 'Read the spec', 1],
      [1, 'Schema', 1],
      [2, 'API', 1],
      [3, 'Docs', 1],
    ]);
    expect(result.phases[2]!.tasks[0]!.dependsOn).toEqual(['1.1']);
    expect(result.phases[3]!.gate).toBe(def.dynamic!.gate!); // every materialised phase has the dynamic gate
  });

  test.each([
    [{}, /option "spec_dir" is missing/],
    [{ spec_dir: 'specs/none' }, /Cannot read specs\/none\/tasks\.md/],
    [{ spec_dir: '../outside' }, /Cannot read/],
  ])('%p is an answer with a remediation, not a crash', (options, message) => {
    const root = copyFixture();
    const def = loadDefinitions(root).definitions.get('spec_run_v1')!;
    const result = sessionPhases(root, def, options);
    expect('error' in result && result.error).toMatch(message);
    expect('remediation' in result && result.remediation.length).toBeGreaterThan(0);
  });

  test('a tasks.md that links outside the project is refused', () => {
    const root = copyFixture();
    const away = mkdtempSync(join(tmpdir(), 'praxis-wfdefs-outside-'));
    temps.push(away);
    writeFileSync(join(away, 'tasks.md'), TASKS);
    mkdirSync(join(root, 'specs'));
    symlinkSync(away, join(root, 'specs', 'evil'));
    const def = loadDefinitions(root).definitions.get('spec_run_v1')!;
    expect(sessionPhases(root, def, { spec_dir: 'specs/evil' })).toMatchObject({ error: expect.stringMatching(/outside the project/) });
  });

  test('a static workflow: its own phases', () => {
    const def = loadDefinitions(FIXTURE).definitions.get('docs_review_v1')!;
    expect(sessionPhases(FIXTURE, def)).toEqual({ phases: def.phases, source: '', warnings: [] });
  });
});
