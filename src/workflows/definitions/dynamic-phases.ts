// The phases of a dynamic workflow's session: the folder's defined leading phases (e.g. phase 0)
// plus one phase per `## Phase N` section of the spec's tasks.md, named by a start option.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { realPathInside } from '../_confine.ts';
import type { PhaseDef, WorkflowDefinition } from '../types.ts';
import { MAX_DEFINITION_FILE_BYTES } from './folder-hash.ts';
import { parseTasksMd } from './tasks-md.ts';

/** The session's phases, the tasks.md path read (relative to the root), and parser warnings. */
export type DynamicPhasesResult = { phases: PhaseDef[]; source: string; warnings: string[] } | { error: string; remediation: string };

/**
 * Materialises every phase of a session of `definition`. For a static workflow that is its
 * phases; for a dynamic one `options[sourcePathKey]` names the spec folder (or its tasks.md),
 * read from the project `root` (never the working directory) and confined to it.
 */
export function sessionPhases(root: string, definition: WorkflowDefinition, options: Record<string, unknown> = {}): DynamicPhasesResult {
  if (!definition.dynamic) return { phases: definition.phases, source: '', warnings: [] };
  const key = definition.dynamic.sourcePathKey;
  const spec = options[key];
  if (typeof spec !== 'string' || spec.trim() === '') {
    return { error: `Workflow "${definition.type}" builds its phases from a spec's tasks.md: option "${key}" is missing`, remediation: `Start it with options: { "${key}": "<spec folder or tasks.md, relative to the project root>" }` };
  }
  const rel = spec.endsWith('.md') ? spec : join(spec, 'tasks.md');
  const real = realPathInside(root, rel);
  if (real === undefined || !statSync(real).isFile()) {
    return { error: `Cannot read ${rel}: missing, or outside the project`, remediation: `Write ${rel} (sections "## Phase N: name" with "- [ ] **Task N.M**: name" items), or point "${key}" at the spec folder that holds it` };
  }
  if (statSync(real).size > MAX_DEFINITION_FILE_BYTES) return { error: `Cannot read ${rel}: over ${MAX_DEFINITION_FILE_BYTES} bytes`, remediation: 'Split the spec into smaller tasks files' };
  const parsed = parseTasksMd(readFileSync(real, 'utf8'), { gate: definition.dynamic.gate ?? null });
  if ('error' in parsed) return { error: `${rel}: ${parsed.error}`, remediation: 'Fix tasks.md: "## Phase N: name" sections, "- [ ] **Task N.M**: name" items, "**Depends on:** Task N.M" and "**Acceptance Criteria:**" sub-bullets' };
  const defined = new Set(definition.phases.map((p) => p.number));
  const clash = parsed.phases.find((p) => defined.has(p.number));
  if (clash) return { error: `${rel}: Phase ${clash.number} is already defined by the workflow "${definition.type}"`, remediation: `Number the spec's phases from ${Math.max(...defined) + 1}` };
  return { phases: [...definition.phases, ...parsed.phases].sort((a, b) => a.number - b.number), source: rel.split('\\').join('/'), warnings: parsed.warnings };
}
