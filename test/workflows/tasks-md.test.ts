// A spec's tasks.md -> phases with their real count, dependencies and acceptance criteria
// (issue 13; the original counted 2 phases of 3 and called the workflow complete after phase 1).
import { describe, expect, test } from 'bun:test';
import { parseTasksMd } from '../../src/workflows/definitions/tasks-md.ts';

const THREE_PHASES = `# Implementation Tasks

**Project:** Login
**Status:** Draft

---

## Time Estimates

- **Phase 1:** 4 hours
- **Phase 2:** 6 hours

---

## Phase 1: Data model

**Objective:** Store users and sessions.

**Estimated Duration:** 4 hours

### Phase 1 Tasks

- [ ] **Task 1.1**: Create the users table
  - **Human Baseline:** 2 hours (S)
  - Add the migration
  - Verify it runs twice

  **Acceptance Criteria:**
  - [ ] The table has email and password hash columns
  - [ ] The migration is idempotent

- [ ] **Task 1.2**: Create the sessions table
  - **Depends on:** Task 1.1 (users)

  **Acceptance Criteria:**
  - [ ] Sessions expire

---

## Phase 2: API

**Objective:** Log in and out over HTTP.

- [ ] **Task 2.1**: POST /login
  - **Dependencies:** 1.1, 1.2
  **Acceptance Criteria:**
  - [ ] Wrong passwords get 401
- [x] **Task 2.2**: POST /logout
  - **Depends on:** Task 2.1

### Phase 3: Documentation

- [ ] **Task 3.1:** Write the guide
  - **Depends on:** Phase 2
  - **Acceptance Criteria:** The guide shows a full login

---

## Dependencies

### Phase 1 → Phase 2
The API needs the tables.

## Acceptance Criteria Summary

- [ ] **Task 9.9**: not a task, this section is not a phase
`;

describe('parseTasksMd', () => {
  test('a 3-phase tasks.md gives 3 phases (the original counted 2)', () => {
    const result = parseTasksMd(THREE_PHASES);
    if ('error' in result) throw new Error(result.error);
    expect(result.phases.map((p) => [p.number, p.name, p.purpose, p.tasks.map((t) => t.id)])).toEqual([
      [1, 'Data model', 'Store users and sessions.', ['1.1', '1.2']],
      [2, 'API', 'Log in and out over HTTP.', ['2.1', '2.2']],
      [3, 'Documentation', '', ['3.1']],
    ]);
    expect(result.warnings).toEqual([]);
  });

  test('dependencies and acceptance criteria come from the item sub-bullets', () => {
    const result = parseTasksMd(THREE_PHASES);
    if ('error' in result) throw new Error(result.error);
    const tasks = new Map(result.phases.flatMap((p) => p.tasks).map((t) => [t.id, t]));
    expect(tasks.get('1.1')).toEqual({
      id: '1.1',
      number: 1,
      name: 'Create the users table',
      file: null,
      purpose: '',
      dependsOn: [],
      acceptanceCriteria: ['The table has email and password hash columns', 'The migration is idempotent'],
    });
    expect(tasks.get('1.2')!.dependsOn).toEqual(['1.1']);
    expect(tasks.get('1.2')!.acceptanceCriteria).toEqual(['Sessions expire']);
    expect(tasks.get('2.1')!.dependsOn).toEqual(['1.1', '1.2']);
    expect(tasks.get('2.1')!.acceptanceCriteria).toEqual(['Wrong passwords get 401']);
    expect(tasks.get('2.2')!.dependsOn).toEqual(['2.1']);
    expect(tasks.get('3.1')!.dependsOn).toEqual(['2.1', '2.2']); // "Phase 2": every task of it
    expect(tasks.get('3.1')!.acceptanceCriteria).toEqual(['The guide shows a full login']);
    expect(tasks.get('3.1')!.name).toBe('Write the guide');
  });

  test.each([
    ['## Phase 1: A\n- [ ] **Task 1.1**: a\n## Phase 2 - B\n- [ ] **Task 2.1**: b\n## Phase 3 — C\n- [ ] **Task 3.1**: c\n', 3],
    ['### Phase 1: A\n- [ ] **Task 1.1**: a\n### Phase 2. B\n- [ ] **Task 2.1**: b\n', 2],
    ['## 🚀 Phase 1: A\n- [ ] Task 1.1: a\n## Phase 2\n- [ ] Task 2.1: b\n', 2],
    ['## Phase 1: A\n### Phase 1 Tasks\n- [ ] **Task 1.1**: a\n### Phase 1 Validation Gate\n- [ ] ok\n## Phase 2: B\n- [ ] **Task 2.1**: b\n', 2],
    ['## Phase 1: A\n```markdown\n## Phase 2: inside a fence\n- [ ] **Task 2.1**: not real\n```\n- [ ] **Task 1.1**: a\n', 1],
  ])('phase headings in their variants: %#', (text, count) => {
    const result = parseTasksMd(text);
    if ('error' in result) throw new Error(result.error);
    expect(result.phases).toHaveLength(count);
    expect(result.phases.every((p) => p.tasks.length === 1)).toBe(true);
  });

  test.each([
    ['# Tasks\n\nNothing here.\n', 'no "## Phase N: name" section found'],
    ['## Phase 1: A\n- [ ] **Task 1.1**: a\n  - **Depends on:** Task 4.2\n', 'Task 1.1 depends on Task 4.2, which tasks.md does not define'],
    ['## Phase 1: A\n- [ ] **Task 1.1**: a\n  - **Depends on:** Task 1.2\n- [ ] **Task 1.2**: b\n  - **Depends on:** 1.1\n', 'circular dependency: 1.1 -> 1.2 -> 1.1'],
    ['## Phase 1: A\n- [ ] **Task 1.1**: a\n- [ ] **Task 1.1**: again\n', 'line 3: a second Task 1.1'],
    ['## Phase 1: A\n## Phase 1: A again\n', 'line 2: a second "Phase 1" section'],
    ['## Phase 1: A\n- [ ] **Task 1.1**: a\n  - **Depends on:** Phase 7\n', 'Task 1.1 depends on Phase 7, which tasks.md does not define'],
  ])('an error, not a guess: %#', (text, error) => {
    expect(parseTasksMd(text)).toEqual({ error });
  });

  test('warnings: an empty phase, a task numbered for another phase', () => {
    const result = parseTasksMd('## Phase 1: A\n## Phase 2: B\n- [ ] **Task 3.1**: misplaced\n');
    if ('error' in result) throw new Error(result.error);
    expect(result.phases.map((p) => p.tasks.map((t) => t.id))).toEqual([[], ['2.1']]);
    expect(result.warnings).toEqual([
      'line 3: Task 3.1 is listed under Phase 2; it belongs to that phase as 2.1',
      'Phase 1 has no "- [ ] **Task N.M**: name" items',
    ]);
  });

  test('"None" as dependencies means none; Windows line endings parse the same', () => {
    const result = parseTasksMd('## Phase 1: A\r\n- [ ] **Task 1.1**: a\r\n  - **Dependencies:** None\r\n  **Acceptance Criteria:**\r\n  - [ ] works\r\n');
    if ('error' in result) throw new Error(result.error);
    expect(result.phases[0]!.tasks[0]).toMatchObject({ dependsOn: [], acceptanceCriteria: ['works'] });
  });

  test('the gate passed in is given to every phase', () => {
    const gate = { strict: true, allowOverride: false, approval: 'none' as const, evidenceSchema: { type: 'object' }, checks: [], notEnforced: [] };
    const result = parseTasksMd('## Phase 1: A\n## Phase 2: B\n', { gate });
    if ('error' in result) throw new Error(result.error);
    expect(result.phases.map((p) => p.gate)).toEqual([gate, gate]);
  });
});
