import { describe, expect, test } from 'bun:test';
import { z } from 'zod';
import { convertPortable, portableJsonSchema, withPortableJsonSchema } from '../../../src/registry/portable-schema.ts';

describe('portableJsonSchema', () => {
  test.each([
    ['drops the root $schema', { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' }, { type: 'object' }],
    ['keeps a nested $schema-free schema as it is', { type: 'string', maxLength: 3 }, { type: 'string', maxLength: 3 }],
    ['a type list becomes anyOf of single types', { type: ['number', 'string', 'null'] }, { anyOf: [{ type: 'number' }, { type: 'string' }, { type: 'null' }] }],
    [
      'keywords beside a type list stay beside the anyOf',
      { type: ['string', 'null'], maxLength: 5, description: 'd' },
      { anyOf: [{ type: 'string' }, { type: 'null' }], maxLength: 5, description: 'd' },
    ],
    [
      'nested in properties and items',
      { type: 'object', properties: { a: { type: 'array', items: { type: ['integer', 'null'] } } } },
      { type: 'object', properties: { a: { type: 'array', items: { anyOf: [{ type: 'integer' }, { type: 'null' }] } } } },
    ],
    ['a property named "type" is a name, not a keyword', { properties: { type: { type: 'string' } } }, { properties: { type: { type: 'string' } } }],
    ['data keywords are left alone', { default: { type: ['a'] }, enum: [{ type: ['b'] }], const: { type: ['c'] } }, { default: { type: ['a'] }, enum: [{ type: ['b'] }], const: { type: ['c'] } }],
    [
      'a sub-schema with no keyword (z.unknown()) becomes true, in place of one that constrains nothing',
      { type: 'object', properties: { any: {} }, additionalProperties: {}, propertyNames: { type: 'string' } },
      { type: 'object', properties: { any: true }, additionalProperties: true, propertyNames: { type: 'string' } },
    ],
    ['an array of anything lists items: true', { type: 'array', items: {} }, { type: 'array', items: true }],
    ['a type list beside an anyOf is left for the tests to find', { type: ['string', 'null'], anyOf: [{}] }, { type: ['string', 'null'], anyOf: [{}] }],
  ])('%s', (_name, input, expected) => {
    expect(portableJsonSchema(input as Record<string, unknown>)).toEqual(expected as Record<string, unknown>);
  });
});

describe('withPortableJsonSchema', () => {
  const schema = z.object({ n: z.number().int().min(1).default(5), phase: z.union([z.number(), z.string(), z.null()]) });

  test('lists what convertPortable makes, for input and output', () => {
    const wrapped = withPortableJsonSchema(schema)['~standard'] as unknown as { jsonSchema: Record<'input' | 'output', (o: { target: string }) => unknown> };
    expect(wrapped.jsonSchema.input({ target: 'draft-2020-12' })).toEqual(convertPortable(schema, 'input'));
    expect(wrapped.jsonSchema.output({ target: 'draft-2020-12' })).toEqual(convertPortable(schema, 'output'));
    expect(JSON.stringify(convertPortable(schema, 'output'))).not.toContain('$schema');
    expect(convertPortable(schema, 'output')).toMatchObject({ properties: { phase: { anyOf: [{ type: 'number' }, { type: 'string' }, { type: 'null' }] } } });
  });

  test('validates with zod: defaults applied, bad values refused', async () => {
    const std = withPortableJsonSchema(schema)['~standard'];
    expect(await std.validate({ phase: null })).toEqual({ value: { n: 5, phase: null } });
    const bad = (await std.validate({ n: 0, phase: true })) as { issues?: unknown[] };
    expect(bad.issues?.length).toBe(2);
  });
});
