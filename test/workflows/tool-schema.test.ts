// pos_workflow's listing: a flat object with an action enum, the same meaning under draft-07 and
// 2020-12 (no tuples, no unions at the top), and the whole tools/list under 16 KB of JSON.
import { describe, expect, test } from 'bun:test';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020.js';
import { createLightProtocol } from '../../src/protocol/light.ts';
import { builtinTools } from '../../src/registry/tools.ts';
import { ACTIONS } from '../../src/workflows/engine/actions.ts';

const list = (createLightProtocol({ version: '0' } as never, builtinTools).answer({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) as any).result;
const tool = list.tools.find((t: any) => t.name === 'pos_workflow');

describe('pos_workflow schema', () => {
  test('the whole tools/list is under 16 KB of JSON', () => {
    expect(Buffer.byteLength(JSON.stringify(list))).toBeLessThan(16 * 1024);
  });

  test('a flat object: an action enum of all 22 actions, no union or tuple anywhere', () => {
    const schema = tool.inputSchema;
    expect(schema.type).toBe('object');
    expect(schema.required).toEqual(['action']);
    expect(schema.properties.action.enum).toEqual([...ACTIONS]);
    expect(ACTIONS.length).toBe(22);
    const text = JSON.stringify(schema);
    for (const keyword of ['anyOf', 'oneOf', 'allOf', 'prefixItems', '"items":false', '$ref']) expect(text).not.toContain(keyword);
  });

  test('draft-07 and 2020-12 validators agree on valid and invalid arguments', () => {
    const { $schema: _, ...schema } = tool.inputSchema;
    const v7 = new Ajv({ strict: false }).compile(schema);
    const v2020 = new Ajv2020({ strict: false }).compile(schema);
    const samples: [unknown, boolean][] = [
      [{ action: 'start', workflow_type: 'demo', target_file: 'x', options: { force_new: true } }, true],
      [{ action: 'complete_phase', session_id: 's', phase: 1, evidence: { a: [1, 2], b: { c: true } } }, true],
      [{ action: 'add_task', session_id: 's', name: 'n', depends_on: ['1.1', '1.2'], acceptance_criteria: ['x'] }, true],
      [{ action: 'nope' }, false],
      [{ session_id: 's' }, false],
      [{ action: 'get_phase', phase: -1 }, false],
      [{ action: 'get_phase', phase: 1.5 }, false],
      [{ action: 'add_task', depends_on: [1] }, false],
      [{ action: 'complete_phase', evidence: [1] }, false],
    ];
    for (const [value, ok] of samples) {
      expect([v7(value), v2020(value)]).toEqual([ok, ok]);
    }
  });
});
