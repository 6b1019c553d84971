// Every tool schema the server lists must compile, and mean the same, under a draft-07 validator (Ajv's
// default class, which the v1 TypeScript SDK and so Gemini CLI use) and a 2020-12 one (issue 10). A
// zod tuple, for example, lists as `prefixItems` + `items: false`: 2020-12 reads a pair, draft-07
// reads "no element allowed" and refuses every real result. The test takes tools/list from the
// compiled binary, compiles each schema under both dialects (any error or warning fails), and checks
// real results of every tool (hits, misses, filters, errors) against them. It is driven by the tools
// the server lists and the sample calls in test/helpers/tool-samples.ts: a tool without samples fails.
import { afterAll, describe, expect, test } from 'bun:test';
import Ajv, { type Options, type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { startRpcStdio } from '../helpers/rpc-stdio.ts';
import { TOOL_SAMPLES } from '../helpers/tool-samples.ts';

const rpc = await startRpcStdio();
afterAll(() => rpc.close());
const listed: { name: string; inputSchema: Record<string, unknown>; outputSchema?: Record<string, unknown> }[] =
  (await rpc.request('tools/list')).result.tools;

/** A validator of one dialect with Ajv's default options, recording every warning it logs while compiling. */
function compiler(dialect: 'draft-07' | '2020-12') {
  const warnings: string[] = [];
  const record = (...args: unknown[]) => warnings.push(args.map(String).join(' '));
  const options: Options = { allErrors: true, logger: { log: () => {}, warn: record, error: record } };
  const ajv = dialect === 'draft-07' ? new Ajv(options) : new Ajv2020(options);
  addFormats(ajv); // as the v1 SDK does: a schema may use standard formats
  return {
    warnings,
    compile: (schema: Record<string, unknown>): ValidateFunction => ajv.compile(schema),
  };
}

/** Keywords that exist in one dialect only, or mean different things in each. */
const DIALECT_KEYWORDS = new Set([
  '$schema', 'prefixItems', 'additionalItems', '$defs', 'definitions', 'dependencies', 'dependentRequired', 'dependentSchemas',
  'unevaluatedItems', 'unevaluatedProperties', 'minContains', 'maxContains', '$dynamicRef', '$dynamicAnchor', '$recursiveRef',
  '$recursiveAnchor', '$anchor', '$ref', '$id',
]);
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples', 'required', 'description', 'title']);

/** Every place in a schema that a draft-07 and a 2020-12 validator would read differently (or one not at all). */
function dialectTraps(node: unknown, path: string): string[] {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(node)) {
    const at = `${path}.${key}`;
    if (DATA_KEYWORDS.has(key)) continue;
    if (DIALECT_KEYWORDS.has(key)) found.push(`${at}: ${key} is read differently, or not at all, by one of the dialects`);
    else if (key === 'items' && (Array.isArray(value) || typeof value === 'boolean')) found.push(`${at}: a tuple form of items`);
    else if (key === 'type' && Array.isArray(value)) found.push(`${at}: a type list (strict validators and single-type dialects refuse it)`);
    else if (key === 'properties' || key === 'patternProperties') {
      for (const [name, schema] of Object.entries(value as object)) found.push(...dialectTraps(schema, `${at}.${name}`));
    } else if (Array.isArray(value)) value.forEach((v, i) => found.push(...dialectTraps(v, `${at}[${i}]`)));
    else if (typeof value === 'boolean' && key !== 'additionalProperties' && key !== 'uniqueItems' && key !== 'exclusiveMinimum' && key !== 'exclusiveMaximum') {
      // A boolean schema is draft-06+; `x: false` in place of a schema is legal but unportable (the Inspector flags it).
      found.push(`${at}: a bare boolean schema`);
    } else found.push(...dialectTraps(value, at));
  }
  return found;
}

const DIALECTS = ['draft-07', '2020-12'] as const;
type Compiled = Record<(typeof DIALECTS)[number], { input: ValidateFunction; output?: ValidateFunction }>;
const compiled = new Map<string, Compiled>();

/** The validators of `tool` in both dialects; throws (failing the test) on any compile error or warning. */
function validators(name: string): Compiled {
  const cached = compiled.get(name);
  if (cached) return cached;
  const tool = listed.find((t) => t.name === name);
  if (!tool) throw new Error(`the server does not list ${name}`);
  const entry = {} as Compiled;
  for (const dialect of DIALECTS) {
    const { compile, warnings } = compiler(dialect);
    entry[dialect] = { input: compile(tool.inputSchema), output: tool.outputSchema && compile(tool.outputSchema) };
    expect({ dialect, tool: name, warnings }).toEqual({ dialect, tool: name, warnings: [] });
  }
  compiled.set(name, entry);
  return entry;
}

test('the server lists tools, every listed tool has sample calls, and every sample names a listed tool', () => {
  const names = listed.map((t) => t.name);
  expect(names.length).toBeGreaterThan(0);
  expect(names.filter((n) => (TOOL_SAMPLES[n]?.length ?? 0) === 0)).toEqual([]);
  expect(Object.keys(TOOL_SAMPLES).filter((n) => !names.includes(n))).toEqual([]);
});

describe.each(listed.map((t) => [t.name, t] as const))('%s', (name, tool) => {
  test.each(DIALECTS)('its inputSchema and outputSchema compile under %s without errors or warnings', (dialect) => {
    for (const [io, schema] of [['inputSchema', tool.inputSchema], ['outputSchema', tool.outputSchema]] as const) {
      if (schema === undefined) continue;
      const { compile, warnings } = compiler(dialect);
      let error: string | undefined;
      try {
        compile(schema);
      } catch (e) {
        error = (e as Error).message;
      }
      expect({ io, error, warnings }).toEqual({ io, error: undefined, warnings: [] });
    }
  });

  test('uses no keyword whose meaning differs between draft-07 and 2020-12', () => {
    // Ajv's draft-07 strict mode refuses unknown keywords it meets, but this walks the whole listing.
    const found = [...dialectTraps(tool.inputSchema, 'inputSchema'), ...(tool.outputSchema ? dialectTraps(tool.outputSchema, 'outputSchema') : [])];
    expect(found).toEqual([]);
  });

  const samples = TOOL_SAMPLES[name] ?? [];
  test.each(samples.map((s) => [s.label, s] as const))('sample %s: both dialects agree with the server on its arguments and result', async (_label, sample) => {
    const v = validators(name);
    const response = await rpc.request('tools/call', { name, arguments: sample.args });
    expect(response.error).toBeUndefined();
    const result = response.result;
    const text: string = result.content?.map((c: { text?: string }) => c.text ?? '').join('\n') ?? '';
    for (const dialect of DIALECTS) {
      const inputOk = v[dialect].input(sample.args);
      expect({ dialect, inputOk }).toEqual({ dialect, inputOk: sample.outcome !== 'bad-arguments' });
    }
    if (sample.outcome === 'bad-arguments') {
      // An error result: no structured content to check, and a message that names the trouble.
      expect(result.isError).toBe(true);
      expect(result.structuredContent).toBeUndefined();
      expect(text).toMatch(/validation|invalid/i);
      return;
    }
    expect(result.isError ?? false).toBe(false);
    if (sample.expectText) expect(text).toContain(sample.expectText);
    if (tool.outputSchema) {
      expect(result.structuredContent).toBeDefined();
      for (const dialect of DIALECTS) {
        const validate = v[dialect].output!;
        const valid = validate(result.structuredContent);
        expect({ dialect, valid, errors: validate.errors ?? null }).toEqual({ dialect, valid: true, errors: null });
      }
    }
    if (sample.outcome === 'hit') expect(result.structuredContent.results.length).toBeGreaterThan(0);
    if (sample.outcome === 'miss') expect(result.structuredContent.results).toEqual([]);
  });
});

test('the old search_standards `lines` tuple is gone: line_start and line_end are 1-based integers', async () => {
  const response = await rpc.request('tools/call', { name: 'search_standards', arguments: { query: 'flaky tests', n_results: 1 } });
  const [hit] = response.result.structuredContent.results;
  expect(hit.lines).toBeUndefined();
  expect(Number.isInteger(hit.line_start) && hit.line_start >= 1).toBe(true);
  expect(hit.line_end).toBeGreaterThanOrEqual(hit.line_start);
});
