// Evidence against a gate's JSON Schema (issue 13). The validator is the one the MCP v2 SDK ships
// (`@modelcontextprotocol/server/validators/cf-worker`, i.e. @cfworker/json-schema): no new
// dependency, an interpreter rather than Ajv's generated code (nothing like eval), and a small
// entry point that loads without the rest of the SDK.
import { CfWorkerJsonSchemaValidator } from '@modelcontextprotocol/server/validators/cf-worker';
import type { JsonSchema } from '../types.ts';

/** One schema violation: a JSON pointer into the evidence ("" is the whole of it) and what is wrong. */
export interface EvidenceError {
  path: string;
  message: string;
}

// Every error, not only the first; 2020-12 unless the schema declares its dialect.
const engine = new CfWorkerJsonSchemaValidator({ shortcircuit: false });
const compiled = new WeakMap<JsonSchema, (input: unknown) => { valid: boolean; errorMessage?: string }>();

/**
 * Splits the provider's `"<#pointer>: <message>; <#pointer>: <message>"` into errors, drops the
 * parent lines ("Property "x" does not match schema.") that only announce a more precise one, and
 * points a missing required property at the property itself.
 */
export function splitErrors(text: string): EvidenceError[] {
  const errors = text
    .split(/; (?=#)/)
    .map((part) => {
      const at = part.indexOf(': ');
      const pointer = at < 0 ? '#' : part.slice(0, at);
      return { path: decodeURI(pointer.slice(1)), message: (at < 0 ? part : part.slice(at + 2)).replace(/\.$/, '') };
    });
  const kept: EvidenceError[] = [];
  for (const error of errors) {
    const parent = /^(?:Property "(.+)" does not match schema|Items did not match schema|Instance does not match (?:every|any) subschema)/.exec(error.message);
    if (parent && errors.some((e) => e !== error && e.path.startsWith(`${error.path}/`))) continue;
    const missing = /^Instance does not have required property "(.+)"$/.exec(error.message);
    if (missing) {
      const name = missing[1]!.replace(/~/g, '~0').replace(/\//g, '~1');
      kept.push({ path: `${error.path}/${name}`, message: 'required, missing' });
      continue;
    }
    kept.push(error);
  }
  return kept;
}

/** The violations of `evidence` against `schema`; an empty list when it conforms. */
export function validateEvidence(schema: JsonSchema, evidence: unknown): EvidenceError[] {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = engine.getValidator(schema as never) as (input: unknown) => { valid: boolean; errorMessage?: string };
    compiled.set(schema, validate);
  }
  const result = validate(evidence);
  return result.valid ? [] : splitErrors(result.errorMessage ?? '#: invalid');
}
