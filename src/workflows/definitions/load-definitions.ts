// Loads every `.praxis-os/workflows/<workflow_type>/` folder of a project, in the original's format,
// unchanged (issue 13). Paths come from the project root, never the working directory; nothing
// outside the root (after resolving symlinks) is read; a bad folder is an error entry, never a crash.
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { isInside, realPathInside } from '../_confine.ts';
import type { DefinitionSet, GateDef, PhaseDef, TaskDef, WorkflowDefinition } from '../types.ts';
import { hashFolder, MAX_DEFINITION_FILE_BYTES } from './folder-hash.ts';
import { formatZodError, parseGateFile } from './gate-file.ts';
import { metadataSchema, unusedFields, type WorkflowMetadata } from './metadata-schema.ts';

/** Where workflow folders live, relative to the project root. */
export const WORKFLOWS_DIR = '.praxis-os/workflows';

/** A definition folder that cannot be loaded; the message names the file and what is wrong. */
class DefinitionError extends Error {}

/** Reads a file of the folder, confined to the project and capped in size. */
function readInside(root: string, dir: string, rel: string): string {
  const real = realPathInside(root, join(dir, rel));
  if (real === undefined) {
    throw new DefinitionError(existsSync(join(dir, rel)) ? `${rel}: leads outside the project, not read` : `${rel}: missing`);
  }
  const st = statSync(real);
  if (!st.isFile()) throw new DefinitionError(`${rel}: not a file`);
  if (st.size > MAX_DEFINITION_FILE_BYTES) throw new DefinitionError(`${rel}: ${st.size} bytes, over the ${MAX_DEFINITION_FILE_BYTES}-byte limit`);
  return readFileSync(real, 'utf8');
}

function isFileInside(root: string, dir: string, rel: string): boolean {
  const real = realPathInside(root, join(dir, rel));
  return real !== undefined && statSync(real).isFile();
}

/** "determine-input-type" -> "Determine input type". */
function nameFromSlug(slug: string): string {
  const words = slug.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Task files of a phase folder (`task-<k>-<slug>.md`) when metadata.json lists none. */
function discoverTasks(root: string, dir: string, phaseRel: string, phase: number): TaskDef[] {
  const real = realPathInside(root, join(dir, phaseRel));
  if (real === undefined || !statSync(real).isDirectory()) return [];
  const tasks: TaskDef[] = [];
  for (const name of readdirSync(real).sort()) {
    const match = /^task-(\d+)-(.+)\.md$/.exec(name);
    if (!match) continue;
    const number = Number(match[1]);
    if (tasks.some((t) => t.number === number)) throw new DefinitionError(`${phaseRel}/${name}: a second file for task ${number}; list the tasks in metadata.json`);
    tasks.push({ id: `${phase}.${number}`, number, name: nameFromSlug(match[2]!), file: `${phaseRel}/${name}`, purpose: '', dependsOn: [], acceptanceCriteria: [] });
  }
  return tasks.sort((a, b) => a.number - b.number);
}

function buildPhase(root: string, dir: string, meta: WorkflowMetadata['phases'][number], number: number, notEnforced: string[]): PhaseDef {
  const phaseRel = `phases/${number}`;
  const overview = meta.phase_file ?? meta.file ?? `${phaseRel}/phase.md`;
  const overviewFile = isFileInside(root, dir, overview) ? overview : null;
  if (overviewFile === null && (meta.phase_file ?? meta.file) !== undefined) throw new DefinitionError(`${overview}: missing (named by phase ${number})`);
  let tasks: TaskDef[];
  if (meta.tasks && meta.tasks.length > 0) {
    tasks = meta.tasks.map((t) => {
      const file = t.file === undefined ? null : t.file.includes('/') ? t.file : `${phaseRel}/${t.file}`;
      if (file !== null && !isFileInside(root, dir, file)) throw new DefinitionError(`${file}: missing or outside the project (task ${t.task_number} of phase ${number})`);
      const dependsOn = (t.depends_on ?? []).map((d) => (typeof d === 'number' ? `${number}.${d}` : d));
      return { id: `${number}.${t.task_number}`, number: t.task_number, name: t.name, file, purpose: t.purpose ?? '', dependsOn, acceptanceCriteria: t.acceptance_criteria ?? [] };
    });
    const ids = new Set<string>();
    for (const t of tasks) {
      if (ids.has(t.id)) throw new DefinitionError(`metadata.json: task ${t.number} listed twice in phase ${number}`);
      ids.add(t.id);
    }
  } else {
    tasks = discoverTasks(root, dir, phaseRel, number);
  }
  let gate: GateDef | null = null;
  if (isFileInside(root, dir, `${phaseRel}/gate-definition.yaml`)) {
    const parsed = parseGateFile(readInside(root, dir, `${phaseRel}/gate-definition.yaml`));
    if ('error' in parsed) throw new DefinitionError(`${phaseRel}/gate-definition.yaml: ${parsed.error}`);
    gate = parsed.gate;
    notEnforced.push(...gate.notEnforced.map((n) => `phase ${number}: ${n}`));
  }
  return { number, name: meta.phase_name, purpose: meta.purpose ?? '', overviewFile, tasks, gate };
}

/** Checks every `dependsOn` names a task of the workflow, and that no task waits on itself. */
function checkDependencies(phases: PhaseDef[]): void {
  const ids = new Set(phases.flatMap((p) => p.tasks.map((t) => t.id)));
  for (const task of phases.flatMap((p) => p.tasks)) {
    for (const dep of task.dependsOn) {
      if (dep === task.id) throw new DefinitionError(`metadata.json: task ${task.id} depends on itself`);
      if (!ids.has(dep)) throw new DefinitionError(`metadata.json: task ${task.id} depends on ${dep}, which is not a task of this workflow`);
    }
  }
}

/** The dynamic part of a definition: the spec option, the templates and the gate of materialised phases. */
function dynamicPart(root: string, dir: string, meta: WorkflowMetadata, notEnforced: string[]): NonNullable<WorkflowDefinition['dynamic']> {
  const templates = meta.dynamic_config?.templates ?? {};
  const template = (key: string, fallback: string): string | null => {
    const rel = templates[key] ?? fallback;
    return isFileInside(root, dir, rel) ? rel : null;
  };
  let gate: GateDef | null = null;
  const gateRel = 'phases/dynamic/gate-definition.yaml';
  if (isFileInside(root, dir, gateRel)) {
    const parsed = parseGateFile(readInside(root, dir, gateRel));
    if ('error' in parsed) throw new DefinitionError(`${gateRel}: ${parsed.error}`);
    gate = parsed.gate;
    notEnforced.push(...gate.notEnforced.map((n) => `dynamic phases: ${n}`));
  }
  return {
    sourcePathKey: meta.dynamic_config?.source_path_key ?? 'spec_path',
    gate,
    phaseTemplate: template('phase', 'phases/dynamic/phase-template.md'),
    taskTemplate: template('task', 'phases/dynamic/task-template.md'),
  };
}

/** Loads one workflow folder (absolute, real, inside the real root). Throws DefinitionError. */
function loadFolder(root: string, dir: string, folderName: string): WorkflowDefinition {
  const folder = hashFolder(root, dir);
  if (folder.truncated) throw new DefinitionError('more files than a workflow folder may hold');
  let json: unknown;
  try {
    json = JSON.parse(readInside(root, dir, 'metadata.json'));
  } catch (error) {
    if (error instanceof DefinitionError) throw error;
    throw new DefinitionError(`metadata.json: not valid JSON: ${(error as Error).message}`);
  }
  const parsed = metadataSchema.safeParse(json);
  if (!parsed.success) throw new DefinitionError(`metadata.json: ${formatZodError(parsed.error)}`);
  const meta = parsed.data;
  const isDynamic = meta.dynamic_phases === true || meta.total_phases === 'dynamic';
  const notEnforced: string[] = [];
  // The original found a workflow by its folder name; shipped folders exist whose metadata says otherwise.
  if (meta.workflow_type !== folderName) {
    notEnforced.push(`metadata.json says workflow_type "${meta.workflow_type}": the folder name "${folderName}" is the type`);
  }
  const phases: PhaseDef[] = [];
  for (const phaseMeta of meta.phases) {
    const n = phaseMeta.phase_number;
    if (typeof n === 'string') {
      // "1-N": the template entry of a dynamic workflow; its phases come from the spec's tasks.md.
      if (isDynamic) continue;
      throw new DefinitionError(`metadata.json: phase_number "${n}" is not a number (only a dynamic workflow may say so)`);
    }
    if (phases.some((p) => p.number === n)) throw new DefinitionError(`metadata.json: phase ${n} listed twice`);
    phases.push(buildPhase(root, dir, phaseMeta, n, notEnforced));
  }
  phases.sort((a, b) => a.number - b.number);
  checkDependencies(phases);
  if (typeof meta.total_phases === 'number' && meta.total_phases !== phases.length) {
    notEnforced.push(`total_phases says ${meta.total_phases}, the folder defines ${phases.length}: the defined phases are used`);
  }
  if (phases.length === 0 && !isDynamic) throw new DefinitionError('metadata.json: no phases');
  for (const rel of folder.escaped) notEnforced.push(`${rel}: a link outside the project, never read`);
  for (const rel of folder.oversized) notEnforced.push(`${rel}: over ${MAX_DEFINITION_FILE_BYTES} bytes, never read`);
  return {
    type: folderName,
    version: meta.version ?? '',
    description: meta.description ?? '',
    dir,
    hash: folder.hash,
    phases,
    dynamic: isDynamic ? dynamicPart(root, dir, meta, notEnforced) : null,
    ignoredFields: unusedFields(meta),
    notEnforced,
  };
}

/** Loads every workflow folder under `<root>/.praxis-os/workflows/`; `root` must be absolute. */
export function loadDefinitions(root: string): DefinitionSet {
  if (!isAbsolute(root)) throw new TypeError(`loadDefinitions needs an absolute project root, got ${JSON.stringify(root)}`);
  const set: DefinitionSet = { definitions: new Map(), errors: [] };
  let realRoot: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    set.errors.push({ dir: root, message: 'the project root does not exist' });
    return set;
  }
  const base = join(realRoot, WORKFLOWS_DIR);
  if (!existsSync(base)) return set;
  const realBase = realPathInside(realRoot, base);
  if (realBase === undefined) {
    set.errors.push({ dir: base, message: `${WORKFLOWS_DIR} leads outside the project, not read` });
    return set;
  }
  for (const name of readdirSync(realBase).sort()) {
    if (name.startsWith('.')) continue;
    const path = join(realBase, name);
    const dirLabel = relative(realRoot, path).split('\\').join('/');
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      continue;
    }
    if (!isInside(realRoot, real)) {
      set.errors.push({ dir: dirLabel, message: 'the folder leads outside the project, not read' });
      continue;
    }
    if (!statSync(real).isDirectory()) continue;
    try {
      if (lstatSync(join(real, 'metadata.json'), { throwIfNoEntry: false }) === undefined) throw new DefinitionError('metadata.json: missing');
      set.definitions.set(name, loadFolder(realRoot, real, name));
    } catch (error) {
      set.errors.push({ dir: dirLabel, message: error instanceof DefinitionError ? error.message : `cannot load: ${(error as Error).message}` });
    }
  }
  return set;
}
