import { describe, expect, test } from 'bun:test';
import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/server';
import { LEGACY_PROTOCOL_VERSIONS, MODERN_PROTOCOL_VERSIONS } from '../../../src/protocol/light.ts';
import { isUnsupportedVersion, unsupportedVersionError } from '../../../src/transports/protocol-version.ts';

describe('isUnsupportedVersion', () => {
  test.each<[string | undefined, boolean]>([
    [undefined, false],
    ['2025-11-25', false],
    ['2024-10-07', false],
    ['2026-07-28', false],
    [' 2025-06-18 ', false],
    ['1999-01-01', true],
    ['2027-01-01', true],
    ['', true],
  ])('%p: %p', (header, unsupported) => {
    expect(isUnsupportedVersion(header)).toBe(unsupported);
  });
});

describe('unsupportedVersionError', () => {
  const supported = [...MODERN_PROTOCOL_VERSIONS, ...LEGACY_PROTOCOL_VERSIONS];
  test.each<[string, string | number | null, string | undefined]>([
    ['no body (GET, DELETE)', null, undefined],
    ['a request', 7, '{"jsonrpc":"2.0","id":7,"method":"tools/list"}'],
    ['a string id', 'a', '{"jsonrpc":"2.0","id":"a","method":"ping"}'],
    ['a notification', null, '{"jsonrpc":"2.0","method":"notifications/initialized"}'],
    ['a batch', null, '[{"jsonrpc":"2.0","id":1,"method":"ping"}]'],
    ['not JSON', null, '{not json'],
  ])('%s: the same error, with id %p', (_name, id, body) => {
    expect(unsupportedVersionError('1999-01-01', body)).toEqual({
      jsonrpc: '2.0',
      id,
      error: {
        code: -32022,
        message: `Bad Request: Unsupported protocol version: 1999-01-01 (supported versions: ${supported.join(', ')})`,
        data: { supported, requested: '1999-01-01' },
      },
    });
  });

  test('the 2025-era versions are the SDK\'s', () => {
    expect(LEGACY_PROTOCOL_VERSIONS).toEqual([...SUPPORTED_PROTOCOL_VERSIONS]);
  });
});
