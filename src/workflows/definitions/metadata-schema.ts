// metadata.json of a workflow folder, in the original's format (WORKFLOWS.md). Unknown fields are
// kept (`loose`) and listed by `unusedFields`, never rejected: existing projects load unchanged.
import { z } from 'zod';

const text = z.string();

/** One task of a phase, as metadata.json lists it. `depends_on` is ours (task numbers of the phase or "P.T" ids). */
export const taskMetaSchema = z
  .object({
    task_number: z.number().int().min(0),
    name: text,
    file: text.optional(),
    purpose: text.optional(),
    depends_on: z.array(z.union([z.number().int(), text])).optional(),
    acceptance_criteria: z.array(text).optional(),
  })
  .loose();

/** One phase; `phase_number` is a string like "1-N" only for a dynamic workflow's template entry. */
export const phaseMetaSchema = z
  .object({
    phase_number: z.union([z.number().int().min(0), text]),
    phase_name: text,
    purpose: text.optional(),
    phase_file: text.optional(),
    file: text.optional(),
    tasks: z.array(taskMetaSchema).optional(),
  })
  .loose();

/** The whole file. */
export const metadataSchema = z
  .object({
    workflow_type: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, "_", "." and "-" only'),
    version: z.union([text, z.number()]).transform(String).optional(),
    description: text.optional(),
    total_phases: z.union([z.number().int().min(0), z.literal('dynamic')]).optional(),
    phases: z.array(phaseMetaSchema),
    dynamic_phases: z.boolean().optional(),
    dynamic_config: z
      .object({ source_type: text.optional(), source_path_key: text.optional(), templates: z.record(text, text).optional(), parser: text.optional() })
      .loose()
      .optional(),
  })
  .loose();

/** The parsed metadata.json. */
export type WorkflowMetadata = z.infer<typeof metadataSchema>;

const USED_TOP = new Set(Object.keys(metadataSchema.shape));
const USED_PHASE = new Set(Object.keys(phaseMetaSchema.shape));
const USED_TASK = new Set(Object.keys(taskMetaSchema.shape));

/** Fields present in the file that we keep but do not use, e.g. `usage`, `phases[].skippable`, sorted. */
export function unusedFields(meta: WorkflowMetadata): string[] {
  const found = new Set<string>();
  for (const key of Object.keys(meta)) if (!USED_TOP.has(key)) found.add(key);
  for (const phase of meta.phases) {
    for (const key of Object.keys(phase)) if (!USED_PHASE.has(key)) found.add(`phases[].${key}`);
    for (const task of phase.tasks ?? []) for (const key of Object.keys(task)) if (!USED_TASK.has(key)) found.add(`phases[].tasks[].${key}`);
  }
  return [...found].sort();
}
