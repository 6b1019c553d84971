// gate-definition.yaml -> GateDef (issue 13): the original's checkpoint and evidence_schema, plus
// our `checks:` and `approval:`. Strict unless the file says `strict: false` (then advisory).
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { CheckDef, GateDef } from '../types.ts';
import { compileGateRegex } from '../gates/gate-regex.ts';
import { translateEvidenceSchema } from './evidence-schema.ts';

/** A path a check reads: relative to the project root, no `..` segment, no absolute path. */
const projectPath = z
  .string()
  .min(1)
  .refine((p) => !/^([/\\]|[A-Za-z]:)/.test(p) && !p.split(/[/\\]/).includes('..'), 'must be a path relative to the project root, without ".."');

const description = z.string().optional();
const minCount = z.number().int().min(0).optional();

/** The check kinds the server runs itself; anything else is reported as not enforced. */
export const CHECK_KINDS = ['file_exists', 'file_contains', 'section_present', 'test_report', 'git_changed'] as const;

const checkSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('file_exists'), glob: projectPath, min_count: minCount, description }).strict(),
  z
    .object({ kind: z.literal('file_contains'), file: projectPath, text: z.string().min(1).optional(), regex: z.string().min(1).max(500).optional(), description })
    .strict()
    .refine((c) => (c.text === undefined) !== (c.regex === undefined), 'needs exactly one of "text" or "regex"')
    .superRefine((c, ctx) => {
      const compiled = c.regex === undefined ? undefined : compileGateRegex(c.regex);
      if (compiled && 'error' in compiled) ctx.addIssue({ code: 'custom', path: ['regex'], message: compiled.error });
    }),
  z.object({ kind: z.literal('section_present'), file: projectPath, heading: z.string().min(1), description }).strict(),
  z
    .object({ kind: z.literal('test_report'), file: projectPath, format: z.enum(['junit', 'tap']).optional(), expect: z.enum(['pass', 'red']).optional(), description })
    .strict(),
  z.object({ kind: z.literal('git_changed'), glob: projectPath.optional(), exclude: projectPath.optional(), min_count: minCount, description }).strict(),
]);

const approval = z.enum(['none', 'required']).optional();

/** The file's shape; unknown top-level keys are kept by `loose()` and ignored. */
const gateFileSchema = z
  .object({
    checkpoint: z
      .object({ strict: z.boolean().optional(), allow_override: z.boolean().optional(), approval })
      .loose()
      .nullish(),
    approval,
    evidence_schema: z.record(z.string(), z.unknown()).nullish(),
    validators: z.record(z.string(), z.unknown()).nullish(),
    cross_field_validation: z.array(z.unknown()).nullish(),
    checks: z.array(z.unknown()).nullish(),
  })
  .loose();

/** Formats a zod error as `path: message; ...`. */
export function formatZodError(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(top)'}: ${i.message}`).join('; ');
}

/** Parses gate-definition.yaml text; returns the gate or an error message (never throws). */
export function parseGateFile(text: string): { gate: GateDef } | { error: string } {
  let raw: unknown;
  try {
    raw = parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    return { error: `not valid YAML: ${(error as Error).message.split('\n')[0]}` };
  }
  const parsed = gateFileSchema.safeParse(raw ?? {});
  if (!parsed.success) return { error: formatZodError(parsed.error) };
  const file = parsed.data;
  const { schema, notEnforced } = translateEvidenceSchema(file.evidence_schema ?? undefined, file.validators ?? {});
  for (const [i, rule] of (file.cross_field_validation ?? []).entries()) {
    const r = rule as { rule?: unknown; error_message?: unknown } | null;
    const what = typeof r?.error_message === 'string' ? r.error_message : typeof r?.rule === 'string' ? r.rule : `rule ${i + 1}`;
    notEnforced.push(`cross_field_validation: "${what}" is Python and is not run`);
  }
  const checks: CheckDef[] = [];
  for (const [i, rawCheck] of (file.checks ?? []).entries()) {
    const kind = (rawCheck as { kind?: unknown } | null)?.kind;
    if (typeof kind === 'string' && !(CHECK_KINDS as readonly string[]).includes(kind)) {
      notEnforced.push(`checks[${i}]: unknown kind "${kind}" (known: ${CHECK_KINDS.join(', ')})`);
      continue;
    }
    const check = checkSchema.safeParse(rawCheck);
    if (!check.success) return { error: `checks[${i}]: ${formatZodError(check.error)}` };
    checks.push(check.data as CheckDef);
  }
  const gate: GateDef = {
    strict: file.checkpoint?.strict !== false,
    allowOverride: file.checkpoint?.allow_override === true,
    approval: (file.approval ?? file.checkpoint?.approval) === 'required' ? 'required' : 'none',
    evidenceSchema: schema,
    checks,
    notEnforced,
  };
  return { gate };
}
