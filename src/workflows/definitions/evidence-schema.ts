// The original's YAML `evidence_schema` (gate-definition.yaml) as a JSON Schema (issue 13). The
// Python lambdas of `validators` are never run: a few exact, well-known sources become JSON
// Schema keywords; every other one is reported as not enforced.
import type { JsonSchema } from '../types.ts';

/** The original's field types (and their Python spellings) -> JSON Schema types. */
const TYPES: Readonly<Record<string, string>> = {
  boolean: 'boolean', bool: 'boolean',
  integer: 'integer', int: 'integer',
  number: 'number', float: 'number',
  string: 'string', str: 'string',
  object: 'object', dict: 'object',
  list: 'array', array: 'array',
};

/** The result of translating one `evidence_schema`. */
export interface EvidenceSchemaTranslation {
  schema: JsonSchema;
  notEnforced: string[];
}

/**
 * JSON Schema keywords for a validator whose Python source is one of a few exact, well-known
 * forms (`lambda x: x > 0`, `lambda x: len(x) > 0`, `lambda x: x is True`...); undefined otherwise.
 * This reads the text, never runs it.
 */
export function keywordsForLambda(source: string, type: string | undefined): JsonSchema | undefined {
  const text = source.trim().replace(/\s+/g, ' ');
  const head = /^lambda (\w+) ?: ?(.+)$/.exec(text);
  if (!head) return undefined;
  const [, v, body] = head as unknown as [string, string, string];
  const esc = v.replace(/[^\w]/g, '');
  const num = '(-?\\d+(?:\\.\\d+)?)';
  const compare = new RegExp(`^${esc} (>|>=|<|<=) ${num}$`).exec(body);
  if (compare && (type === 'integer' || type === 'number')) {
    const n = Number(compare[2]);
    // For integers a strict bound is the next integer: clearer messages ("0 is less than 1").
    if (type === 'integer' && Number.isInteger(n) && compare[1] === '>') return { minimum: n + 1 };
    if (type === 'integer' && Number.isInteger(n) && compare[1] === '<') return { maximum: n - 1 };
    const key = { '>': 'exclusiveMinimum', '>=': 'minimum', '<': 'exclusiveMaximum', '<=': 'maximum' }[compare[1] as '>'];
    return { [key]: n };
  }
  const range = new RegExp(`^${num} (<=|<) ${esc} (<=|<) ${num}$`).exec(body);
  if (range && (type === 'integer' || type === 'number')) {
    return {
      [range[2] === '<=' ? 'minimum' : 'exclusiveMinimum']: Number(range[1]),
      [range[3] === '<=' ? 'maximum' : 'exclusiveMaximum']: Number(range[4]),
    };
  }
  const length = new RegExp(`^len\\(${esc}\\) (>|>=) (\\d+)$`).exec(body);
  if (length) {
    const min = Number(length[2]) + (length[1] === '>' ? 1 : 0);
    if (type === 'string') return { minLength: min };
    if (type === 'array') return { minItems: min };
    if (type === 'object') return { minProperties: min };
    return undefined;
  }
  if (type === 'boolean' && new RegExp(`^(${esc} is True|${esc} == True|${esc})$`).test(body)) return { const: true };
  return undefined;
}

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
}

/**
 * Translates `evidence_schema` (field -> `{ type, required, description, validator,
 * validator_params }`) plus the file's `validators` map into an object JSON Schema. Fields not
 * declared are allowed (the original accepted them); `required` defaults to false, as there.
 */
export function translateEvidenceSchema(fields: Record<string, unknown> | undefined, validators: Record<string, unknown> = {}): EvidenceSchemaTranslation {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const notEnforced: string[] = [];
  for (const [name, raw] of Object.entries(fields ?? {})) {
    // A bare type (`field: boolean`) is accepted as shorthand.
    const field = (typeof raw === 'string' ? { type: raw } : raw) as Record<string, unknown> | null;
    if (field === null || typeof field !== 'object' || Array.isArray(field)) {
      notEnforced.push(`evidence field "${name}": not a mapping (${describe(raw)}), ignored`);
      continue;
    }
    const property: JsonSchema = {};
    const jsonType = typeof field.type === 'string' ? TYPES[field.type.toLowerCase()] : undefined;
    if (jsonType) property.type = jsonType;
    else if (field.type !== undefined) notEnforced.push(`evidence field "${name}": unknown type ${describe(field.type)}, any value accepted`);
    if (typeof field.description === 'string') property.description = field.description;
    if (field.validator !== undefined) {
      const ref = String(field.validator);
      const source = validators[ref];
      const keywords = typeof source === 'string' && field.validator_params === undefined ? keywordsForLambda(source, jsonType) : undefined;
      if (keywords) Object.assign(property, keywords);
      else if (source === undefined) notEnforced.push(`evidence field "${name}": validator "${ref}" is not defined in validators`);
      else notEnforced.push(`evidence field "${name}": validator "${ref}" (${describe(source)}${field.validator_params === undefined ? '' : ` with validator_params ${describe(field.validator_params)}`}) is Python and is not run`);
    }
    properties[name] = property;
    if (field.required === true) required.push(name);
  }
  const schema: JsonSchema = { type: 'object', properties, additionalProperties: true };
  if (required.length > 0) schema.required = required;
  return { schema, notEnforced };
}
