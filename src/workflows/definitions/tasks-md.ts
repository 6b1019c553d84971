// A spec's tasks.md -> PhaseDef[] for dynamic workflows (spec_execution_v1's format): `## Phase N:
// name` sections, `- [ ] **Task N.M**: name` items, dependencies and acceptance criteria in the
// item's sub-bullets. Every phase section counts (the original counted 2 of 3 and stopped early).
import type { GateDef, PhaseDef, TaskDef } from '../types.ts';

/** What parseTasksMd found, or why it could not. */
export type TasksMdResult = { phases: PhaseDef[]; warnings: string[] } | { error: string };

const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
// "Phase 2: Name", "Phase 2 - Name", "Phase 2 — Name", "Phase 2. Name", or just "Phase 2";
// "Phase 2 Tasks" (no separator) is a sub-heading of the phase, not a phase.
const PHASE = /^(?:[^\p{L}\p{N}]+\s*)?Phase\s+(\d+)\s*(?:(?:[:.\-–—])\s*(.*))?$/iu;
const TASK = /^(\s*)[-*+]\s+\[( |x|X)\]\s+(?:\*\*)?Task\s+(\d+)\.(\d+)\s*(?::\s*\*\*|\*\*\s*:?|:)\s*(.*)$/;
const LABEL = /^\s*(?:[-*+]\s+)?\*\*([^*]+?):?\*\*:?\s*(.*)$/;
const BULLET = /^(\s*)[-*+]\s+(?:\[[ xX]\]\s+)?(.*)$/;
const PURPOSE_LABELS = new Set(['objective', 'goal', 'purpose']);
const DEPENDENCY_LABELS = new Set(['depends on', 'dependencies', 'dependency', 'blocked by', 'prerequisites']);

interface Draft {
  phase: PhaseDef;
  tasks: { task: TaskDef; rawDeps: string[] }[];
}

/** Ids named in a dependency text: "Task 1.2", "1.3", and "Phase 1" (all of its tasks). */
function dependencyRefs(text: string): string[] {
  if (/^\s*(none|n\/a|-|—)?\s*\.?\s*$/i.test(text)) return [];
  const refs: string[] = [];
  for (const m of text.matchAll(/\b(\d+)\.(\d+)\b|\bPhase\s+(\d+)\b/gi)) refs.push(m[3] !== undefined ? `phase:${m[3]}` : `${Number(m[1])}.${Number(m[2])}`);
  return refs;
}

function stripMarkdown(text: string): string {
  return text.replace(/\*\*|__|`/g, '').trim();
}

/**
 * Parses tasks.md into phases (numbered as written) with tasks, dependencies and acceptance
 * criteria. `gate` (e.g. the workflow's `phases/dynamic/gate-definition.yaml`) is given to every
 * phase. Fenced code blocks are skipped. Unknown or circular dependencies are errors.
 */
export function parseTasksMd(text: string, options: { gate?: GateDef | null } = {}): TasksMdResult {
  const drafts: Draft[] = [];
  const warnings: string[] = [];
  let current: Draft | undefined;
  let phaseLevel = 0;
  let task: Draft['tasks'][number] | undefined;
  let taskIndent = 0;
  let collecting: 'criteria' | 'deps' | null = null;
  let fence: string | null = null;
  const lines = text.split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    const fenceMark = /^\s*(```+|~~~+)/.exec(line)?.[1];
    if (fence !== null) {
      if (fenceMark && fenceMark[0] === fence[0] && fenceMark.length >= fence.length) fence = null;
      continue;
    }
    if (fenceMark) {
      fence = fenceMark;
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = heading[1]!.length;
      const phase = PHASE.exec(heading[2]!);
      task = undefined;
      collecting = null;
      if (phase) {
        const number = Number(phase[1]);
        if (drafts.some((d) => d.phase.number === number)) return { error: `line ${i + 1}: a second "Phase ${number}" section` };
        current = { phase: { number, name: stripMarkdown(phase[2] ?? '') || `Phase ${number}`, purpose: '', overviewFile: null, tasks: [], gate: options.gate ?? null }, tasks: [] };
        drafts.push(current);
        phaseLevel = level;
      } else if (current && level <= phaseLevel) {
        current = undefined; // "## Dependencies", "## Risks"...: the phase section has ended
      }
      continue;
    }
    if (!current) continue;
    const item = TASK.exec(line);
    if (item) {
      const [, indent, , p, t, name] = item as unknown as [string, string, string, string, string, string];
      if (Number(p) !== current.phase.number) warnings.push(`line ${i + 1}: Task ${p}.${t} is listed under Phase ${current.phase.number}; it belongs to that phase as ${current.phase.number}.${Number(t)}`);
      const id = `${current.phase.number}.${Number(t)}`;
      if (current.tasks.some((d) => d.task.id === id)) return { error: `line ${i + 1}: a second Task ${id}` };
      task = { task: { id, number: Number(t), name: stripMarkdown(name), file: null, purpose: '', dependsOn: [], acceptanceCriteria: [] }, rawDeps: [] };
      current.tasks.push(task);
      taskIndent = indent.length;
      collecting = null;
      continue;
    }
    if (line.trim() === '') continue;
    const label = LABEL.exec(line);
    if (!task) {
      if (label && PURPOSE_LABELS.has(label[1]!.trim().toLowerCase()) && !current.phase.purpose) current.phase.purpose = stripMarkdown(label[2]!);
      continue;
    }
    const indent = /^\s*/.exec(line)![0].length;
    // A line back at the item's own indentation that is not a label ends the item (e.g. a paragraph).
    if (indent <= taskIndent && !label && !(collecting === 'criteria' && BULLET.test(line))) {
      task = undefined;
      collecting = null;
      continue;
    }
    if (label) {
      const name = label[1]!.trim().toLowerCase();
      const rest = label[2]!.trim();
      if (name === 'acceptance criteria') {
        collecting = 'criteria';
        if (rest) task.task.acceptanceCriteria.push(stripMarkdown(rest));
        continue;
      }
      if (DEPENDENCY_LABELS.has(name)) {
        collecting = 'deps';
        task.rawDeps.push(rest);
        continue;
      }
      if (PURPOSE_LABELS.has(name) && !task.task.purpose) task.task.purpose = stripMarkdown(rest);
      collecting = null;
      continue;
    }
    const bullet = BULLET.exec(line);
    if (bullet && collecting === 'criteria') task.task.acceptanceCriteria.push(stripMarkdown(bullet[2]!));
    else if (bullet && collecting === 'deps') task.rawDeps.push(bullet[2]!);
  }
  if (drafts.length === 0) return { error: 'no "## Phase N: name" section found' };
  drafts.sort((a, b) => a.phase.number - b.phase.number);
  const byId = new Map(drafts.flatMap((d) => d.tasks.map((t) => [t.task.id, t.task] as const)));
  for (const draft of drafts) {
    if (draft.tasks.length === 0) warnings.push(`Phase ${draft.phase.number} has no "- [ ] **Task N.M**: name" items`);
    for (const { task: t, rawDeps } of draft.tasks) {
      const deps = new Set<string>();
      for (const ref of rawDeps.flatMap(dependencyRefs)) {
        if (ref.startsWith('phase:')) {
          const n = Number(ref.slice(6));
          const phase = drafts.find((d) => d.phase.number === n);
          if (!phase) return { error: `Task ${t.id} depends on Phase ${n}, which tasks.md does not define` };
          if (n === draft.phase.number) continue; // "Phase N" named in its own phase: not a dependency
          for (const other of phase.tasks) deps.add(other.task.id);
        } else if (!byId.has(ref)) {
          return { error: `Task ${t.id} depends on Task ${ref}, which tasks.md does not define` };
        } else deps.add(ref);
      }
      t.dependsOn = [...deps];
    }
    draft.phase.tasks = draft.tasks.map((d) => d.task);
  }
  const cycle = findCycle(byId);
  if (cycle) return { error: `circular dependency: ${cycle.join(' -> ')}` };
  return { phases: drafts.map((d) => d.phase), warnings };
}

/** A dependency cycle among the tasks, as a path of ids, or undefined. */
function findCycle(tasks: Map<string, TaskDef>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const dep of tasks.get(id)?.dependsOn ?? []) {
      const found = visit(dep);
      if (found) return found;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of tasks.keys()) {
    const found = visit(id);
    if (found) return found;
  }
  return undefined;
}
