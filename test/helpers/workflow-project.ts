import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A temporary project with `.praxis-os/` and the given files (paths relative to the root). */
export function makeProject(files: Record<string, string>): { root: string; praxisDir: string; cleanup(): void } {
  const root = mkdtempSync(join(tmpdir(), 'praxis-wf-'));
  mkdirSync(join(root, '.praxis-os'), { recursive: true });
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return { root, praxisDir: join(root, '.praxis-os'), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * A two-phase workflow "demo": phase 1 has tasks 1.1, 1.2 (after 1.1) and 1.3; phase 2 has 2.1 and
 * a strict gate requiring evidence `{ summary: string }`.
 */
export function demoWorkflow(type = 'demo'): Record<string, string> {
  const base = `.praxis-os/workflows/${type}`;
  return {
    [`${base}/metadata.json`]: JSON.stringify({
      workflow_type: type,
      version: '1.0.0',
      description: 'A small workflow for tests',
      total_phases: 2,
      phases: [
        {
          phase_number: 1,
          phase_name: 'Build',
          purpose: 'Build it',
          tasks: [
            { task_number: 1, name: 'First', file: 'task-1-first.md' },
            { task_number: 2, name: 'Second', file: 'task-2-second.md', depends_on: [1] },
            { task_number: 3, name: 'Third', file: 'task-3-third.md' },
          ],
        },
        { phase_number: 2, phase_name: 'Check', purpose: 'Check it', tasks: [{ task_number: 1, name: 'Look', file: 'task-1-look.md' }] },
      ],
    }),
    [`${base}/phases/1/phase.md`]: '# Phase 1: Build\n',
    [`${base}/phases/1/task-1-first.md`]: '# Task 1\n🛑 EXECUTE-NOW\n',
    [`${base}/phases/1/task-2-second.md`]: '# Task 2\n',
    [`${base}/phases/1/task-3-third.md`]: '# Task 3\n',
    [`${base}/phases/2/phase.md`]: '# Phase 2: Check\n',
    [`${base}/phases/2/task-1-look.md`]: '# Look\n',
    [`${base}/phases/2/gate-definition.yaml`]: 'checkpoint: { strict: true }\nevidence_schema:\n  summary: { type: string, required: true, description: "what was checked" }\n',
  };
}

/** A one-phase workflow with `n` independent tasks (the concurrency tests). */
export function bulkWorkflow(n: number, type = 'bulk'): Record<string, string> {
  const base = `.praxis-os/workflows/${type}`;
  const files: Record<string, string> = {
    [`${base}/phases/1/phase.md`]: '# Bulk\n',
    [`${base}/phases/1/task-1-t.md`]: '# t\n',
  };
  files[`${base}/metadata.json`] = JSON.stringify({
    workflow_type: type,
    version: '1',
    description: `${n} independent tasks`,
    phases: [{ phase_number: 1, phase_name: 'Work', tasks: Array.from({ length: n }, (_, i) => ({ task_number: i + 1, name: `t${i + 1}`, file: 'task-1-t.md' })) }],
  });
  return files;
}
