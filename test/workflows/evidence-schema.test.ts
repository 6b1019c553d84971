// The original's validator lambdas are read, never run: a few exact forms become JSON Schema
// keywords, everything else is reported as not enforced (issue 13).
import { describe, expect, test } from 'bun:test';
import { keywordsForLambda, translateEvidenceSchema } from '../../src/workflows/definitions/evidence-schema.ts';

describe('keywordsForLambda', () => {
  test.each([
    ['lambda x: x > 0', 'integer', { minimum: 1 }],
    ['lambda x: x > 0', 'number', { exclusiveMinimum: 0 }],
    ['lambda x: x >= 80', 'number', { minimum: 80 }],
    ['lambda x: x < 10', 'integer', { maximum: 9 }],
    ['lambda  n :  n <= 1.5', 'number', { maximum: 1.5 }],
    ['lambda x: 0 <= x <= 100', 'integer', { minimum: 0, maximum: 100 }],
    ['lambda x: len(x) > 0', 'string', { minLength: 1 }],
    ['lambda x: len(x) >= 2', 'array', { minItems: 2 }],
    ['lambda x: len(x) > 0', 'object', { minProperties: 1 }],
    ['lambda x: x is True', 'boolean', { const: true }],
    ['lambda x: x == True', 'boolean', { const: true }],
    ['lambda x: x > 0', 'string', undefined],
    ['lambda x: len(x) > 0', 'integer', undefined],
    ["lambda x: x.endswith('.md')", 'string', undefined],
    ['lambda x, lo, hi: lo <= x <= hi', 'integer', undefined],
    ['__import__("os").system("rm -rf /")', 'string', undefined],
  ])('%s (%s) -> %j', (source, type, keywords) => {
    expect(keywordsForLambda(source, type)).toEqual(keywords as never);
  });
});

describe('translateEvidenceSchema', () => {
  test('types in both spellings, required only when it says so, unknowns reported', () => {
    const { schema, notEnforced } = translateEvidenceSchema(
      {
        a: { type: 'bool', required: true },
        b: { type: 'int' },
        c: 'str',
        d: { type: 'tuple' },
        e: { type: 'integer', validator: 'missing_one' },
        f: { type: 'integer', validator: 'positive', validator_params: { min: 1 } },
        g: 42,
      },
      { positive: 'lambda x: x > 0' },
    );
    expect(schema).toEqual({
      type: 'object',
      properties: { a: { type: 'boolean' }, b: { type: 'integer' }, c: { type: 'string' }, d: {}, e: { type: 'integer' }, f: { type: 'integer' } },
      additionalProperties: true,
      required: ['a'],
    });
    expect(notEnforced).toEqual([
      'evidence field "d": unknown type "tuple", any value accepted',
      'evidence field "e": validator "missing_one" is not defined in validators',
      'evidence field "f": validator "positive" ("lambda x: x > 0" with validator_params {"min":1}) is Python and is not run',
      'evidence field "g": not a mapping (42), ignored',
    ]);
  });
});
