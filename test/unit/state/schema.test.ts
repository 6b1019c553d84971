// parseState: a valid file parses; missing, empty, truncated, non-JSON, foreign or wrong-shaped
// text is "no server" (undefined), never a throw (DESIGN.md, state file contract).
import { describe, expect, test } from 'bun:test';
import { STATE_SCHEMA_VERSION, parseState } from '../../../src/state/schema.ts';

const valid = {
  version: STATE_SCHEMA_VERSION,
  transport: 'dual',
  port: 4242,
  host: '127.0.0.1',
  path: '/mcp',
  url: 'http://127.0.0.1:4242/mcp',
  pid: 12345,
  started_at: '2026-01-01T00:00:00.000Z',
  project: { name: 'demo', root: '/tmp/demo' },
  instance_id: '6f0c1f1e-0000-4000-8000-000000000000',
  auth: { type: 'bearer', token: 'secret' },
  server_version: '0.1.0',
};

const text = (value: unknown) => JSON.stringify(value, null, 2);
const without = (...keys: string[]) => Object.fromEntries(Object.entries(valid).filter(([k]) => !keys.includes(k)));

describe('parseState accepts', () => {
  test.each([
    ['the full file', valid],
    ['stdio mode: port and url null', { ...valid, transport: 'stdio', port: null, url: null }],
    ['http mode', { ...valid, transport: 'http' }],
    ['no auth (--no-auth)', { ...valid, auth: null }],
    ['a file of the original system (contract fields only)', without('instance_id', 'auth', 'server_version')],
  ])('%s', (_name, value) => {
    expect(parseState(text(value))).toEqual(value as never);
  });

  test('extra fields are kept, at the top and inside project', () => {
    const value = { ...valid, future_field: { a: 1 }, project: { ...valid.project, vcs: 'git' } };
    const parsed = parseState(text(value)) as Record<string, unknown> | undefined;
    expect(parsed?.future_field).toEqual({ a: 1 });
    expect((parsed?.project as Record<string, unknown>).vcs).toBe('git');
  });
});

describe('parseState rejects (undefined, no throw)', () => {
  const full = text(valid);
  test.each([
    ['undefined', undefined],
    ['empty', ''],
    ['whitespace', '  \n'],
    ['truncated in the middle', full.slice(0, Math.floor(full.length / 2))],
    ['truncated by one character', full.slice(0, -1)],
    ['not JSON', 'hello world'],
    ['JSON null', 'null'],
    ['a JSON number', '42'],
    ['a JSON string', '"state"'],
    ['a JSON array', text([valid])],
    ['foreign JSON', text({ name: 'some-package', version: '1.0.0', dependencies: {} })],
    ['empty object', '{}'],
    ...(['version', 'transport', 'port', 'host', 'path', 'url', 'pid', 'started_at', 'project'] as const).map(
      (key) => [`missing ${key}`, text(without(key))] as [string, string],
    ),
    ['transport not a mode', text({ ...valid, transport: 'sse' })],
    ['port a string', text({ ...valid, port: '4242' })],
    ['port fractional', text({ ...valid, port: 4242.5 })],
    ['port above 65535', text({ ...valid, port: 70000 })],
    ['pid a string', text({ ...valid, pid: '12345' })],
    ['pid zero', text({ ...valid, pid: 0 })],
    ['pid negative', text({ ...valid, pid: -1 })],
    ['host a number', text({ ...valid, host: 127 })],
    ['url a number', text({ ...valid, url: 1 })],
    ['project a string', text({ ...valid, project: '/tmp/demo' })],
    ['project without root', text({ ...valid, project: { name: 'demo' } })],
    ['auth of another type', text({ ...valid, auth: { type: 'basic', token: 'x' } })],
    ['auth without token', text({ ...valid, auth: { type: 'bearer' } })],
    ['instance_id a number', text({ ...valid, instance_id: 7 })],
  ])('%s', (_name, input) => {
    expect(parseState(input as string | undefined)).toBeUndefined();
  });
});
