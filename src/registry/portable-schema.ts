// Tool schemas as clients see them in `tools/list` (issue 10). Clients validate with both JSON Schema
// dialects: the v1 TypeScript SDK (and so Gemini CLI and most editors) with Ajv's default draft-07,
// newer ones with 2020-12. A listed schema must compile, and mean the same, under both. This module
// imports nothing from the SDK at run time: the light protocol lists tools through it too.
import type { z } from 'zod';

type Json = Record<string, unknown>;
type Io = 'input' | 'output';

/** zod's JSON Schema conversion, as the SDK calls it (`standardSchemaToJsonSchema`). */
type JsonSchemaConverter = Record<Io, (options: { target: string }) => Json>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Keywords whose values are data, not schemas: copied as they are. */
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples', 'required']);
/** Keywords whose values map names to schemas (a property may itself be called "type"). */
const NAMED_SCHEMAS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

/**
 * The same JSON Schema, written so that draft-07 and 2020-12 validators read it alike:
 * - no root `$schema`: zod stamps 2020-12, which a draft-07 Ajv cannot resolve and refuses to
 *   compile; MCP reads a schema without one as 2020-12 anyway, and the rest says the same in both;
 * - a `type` array (`["number","string","null"]`) becomes `anyOf` of single types. Both dialects
 *   allow the array, but strict validators (Ajv's `allowUnionTypes`), the MCP Inspector's portability
 *   check and single-type dialects (Gemini's function declarations) do not.
 * - a sub-schema with no keyword (`{}`) becomes `true` (see `subSchema`).
 * Tuples (`prefixItems`, `items: false`) cannot be rewritten without changing their meaning in one
 * dialect: tools must not use them (a test compiles every listed schema under both dialects).
 */
export function portableJsonSchema(schema: Json): Json {
  const { $schema: _, ...rest } = schema;
  return rewrite(rest);
}

/** Keywords whose value is one schema. */
const SUB_SCHEMAS = new Set(['additionalProperties', 'items', 'additionalItems', 'propertyNames', 'not', 'contains']);

/**
 * A sub-schema with no keyword at all (`{}`, what zod writes for `z.unknown()` values) becomes
 * `true`: the same meaning in both dialects (draft-06 and later take boolean schemas), and what
 * the MCP Inspector's `--strict` check asks for instead of an object that constrains nothing.
 */
const subSchema = (value: unknown): unknown => {
  const out = rewrite(value);
  return isObject(out) && Object.keys(out).length === 0 ? true : out;
};

function rewrite(node: unknown): any {
  if (Array.isArray(node)) return node.map(rewrite);
  if (!isObject(node)) return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    if (DATA_KEYWORDS.has(key)) out[key] = value;
    else if (SUB_SCHEMAS.has(key)) out[key] = subSchema(value);
    else if (NAMED_SCHEMAS.has(key) && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, schema]) => [name, subSchema(schema)]));
    } else if (key === 'type' && Array.isArray(value) && !('anyOf' in node)) {
      // `type` is one conjunct of the schema: anyOf of single types says the same, beside the rest.
      out.anyOf = value.map((type) => ({ type }));
    } else out[key] = rewrite(value);
  }
  return out;
}

/** The listed JSON Schema of a zod schema: zod's 2020-12 conversion, made portable. */
export function convertPortable(schema: z.ZodType, io: Io): Json {
  const convert = (schema['~standard'] as { jsonSchema?: JsonSchemaConverter }).jsonSchema;
  if (!convert) throw new Error('zod schema without ~standard.jsonSchema: zod >= 4.2 is required');
  return portableJsonSchema(convert[io]({ target: 'draft-2020-12' }));
}

/**
 * The zod schema as a Standard Schema the SDK validates with zod and lists with
 * `portableJsonSchema`: what the SDK registers, so its `tools/list` and the light protocol's agree.
 */
export function withPortableJsonSchema<S extends z.ZodType>(schema: S): S {
  const standard = schema['~standard'];
  const wrapper = {
    '~standard': {
      version: standard.version,
      vendor: standard.vendor,
      validate: (value: unknown) => standard.validate(value),
      jsonSchema: {
        input: () => convertPortable(schema, 'input'),
        output: () => convertPortable(schema, 'output'),
      },
    },
  };
  return wrapper as unknown as S;
}
