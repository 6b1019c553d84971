// A phase's gate, evaluated: evidence against its JSON Schema, then every declared check the
// server runs itself (issue 13). Pure of state: the engine records the result and decides.
import type { CheckContext, GateDef, GateResult } from '../types.ts';
import { runCheck } from './run-check.ts';
import { validateEvidence } from './validate-evidence.ts';

/**
 * Evaluates `gate` for `evidence`. `passed` is the truth (schema and every check); `advisory` is
 * set when the file said `strict: false`, in which case the engine lets the phase complete anyway
 * and shows the failures as advice. Approval (`gate.approval`) is the engine's to ask for.
 */
export function evaluateGate(gate: GateDef, evidence: unknown, ctx: CheckContext): GateResult {
  const evidenceErrors = validateEvidence(gate.evidenceSchema, evidence ?? {});
  const checks = gate.checks.map((check) => runCheck(check, ctx));
  return {
    passed: evidenceErrors.length === 0 && checks.every((c) => c.passed),
    advisory: !gate.strict,
    evidenceErrors,
    checks,
    notEnforced: gate.notEnforced,
  };
}
