// Looks a workflow type up in a loaded set: an unknown type is an answer that lists the known
// ones, never an invented workflow (the original made up a 6-phase one).
import type { DefinitionSet, WorkflowDefinition } from '../types.ts';

/** The definition, or an error naming the known types (and folders that failed to load). */
export function findDefinition(set: DefinitionSet, type: string): { definition: WorkflowDefinition } | { error: string; known: string[] } {
  const definition = set.definitions.get(type);
  if (definition) return { definition };
  const known = [...set.definitions.keys()].sort();
  const broken = set.errors.find((e) => e.dir.split('/').pop() === type);
  const list = known.length > 0 ? `known workflow types: ${known.join(', ')}` : 'no workflow is defined in .praxis-os/workflows/';
  const error = broken
    ? `Workflow "${type}" failed to load (${broken.message}); ${list}`
    : `Unknown workflow type "${type}"; ${list}`;
  return { error, known };
}
