import { sessionPhases } from '../definitions/dynamic-phases.ts';
import { loadDefinitions } from '../definitions/load-definitions.ts';
import { evaluateGate } from '../gates/evaluate-gate.ts';
import type { DefinitionSet, PhaseDef, WorkflowDefinition } from '../types.ts';
import type { DefinitionProvider } from './core.ts';
import { WorkflowError } from './errors.ts';

/** How long loaded definitions are trusted before the folders are read (and hashed) again. */
const RECHECK_MS = 1000;

/**
 * Definitions from the project's `.praxis-os/workflows/` (the definitions side of issue 13), re-read
 * at most once a second so a changed file is noticed (sessions pin the hash and warn) without
 * hashing every folder on every call.
 */
export function createDefinitionProvider(root: string, now: () => number = Date.now): DefinitionProvider {
  let cached: { at: number; set: DefinitionSet } | undefined;
  return {
    definitions() {
      const t = now();
      if (!cached || t - cached.at > RECHECK_MS) cached = { at: t, set: loadDefinitions(root) };
      return cached.set;
    },
    phasesFor(definition: WorkflowDefinition, options: Record<string, unknown>): PhaseDef[] {
      const result = sessionPhases(root, definition, options);
      if ('error' in result) throw new WorkflowError('invalid_spec', result.error, result.remediation);
      return result.phases;
    },
    async evaluateGate(gate, evidence, context) {
      return evaluateGate(gate, evidence, context);
    },
  };
}
