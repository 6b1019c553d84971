// Table tests for the pure HTTP guards (DESIGN.md, security model): Host and Origin checks against
// DNS rebinding, and the bearer token comparison.
import { describe, expect, test } from 'bun:test';
import { bearerMatches, isAllowedOrigin, isLoopbackAddress, isLoopbackHostHeader } from '../../../src/transports/guards.ts';

describe('isLoopbackAddress', () => {
  test.each([
    ['localhost', true],
    ['LOCALHOST', true],
    [' localhost ', true],
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['127.255.255.255', true],
    ['::1', true],
    ['[::1]', true],
    ['0.0.0.0', false],
    ['128.0.0.1', false],
    ['127.0.0.256', false],
    ['127.0.0', false],
    ['127.0.0.1.evil.com', false],
    ['localhost.evil.com', false],
    ['evil.com', false],
    ['192.168.1.10', false],
    ['::', false],
    ['', false],
  ])('%p -> %p', (host, expected) => {
    expect(isLoopbackAddress(host)).toBe(expected);
  });
});

describe('isLoopbackHostHeader', () => {
  test.each([
    ['localhost', true],
    ['localhost:4242', true],
    ['127.0.0.1', true],
    ['127.0.0.1:4242', true],
    ['127.0.0.1:65535', true],
    ['[::1]', true],
    ['[::1]:4242', true],
    ['LocalHost:80', true],
    [null, false],
    [undefined, false],
    ['', false],
    ['evil.com', false],
    ['evil.com:4242', false],
    ['localhost.evil.com:4242', false],
    ['127.0.0.1.nip.io:4242', false],
    ['0.0.0.0:4242', false],
    ['localhost:abc', false],
    ['localhost:', false],
    ['localhost:4242:1', false],
    ['[::1', false],
    ['[::1]x', false],
    ['[::2]:4242', false],
    ['user@localhost', false],
  ])('%p -> %p', (header, expected) => {
    expect(isLoopbackHostHeader(header)).toBe(expected);
  });
});

describe('isAllowedOrigin', () => {
  test.each([
    [undefined, true],
    [null, true],
    ['http://localhost', true],
    ['http://localhost:3000', true],
    ['https://localhost:3000', true],
    ['http://127.0.0.1:4242', true],
    ['http://[::1]:4242', true],
    ['', false],
    ['null', false],
    ['http://evil.com', false],
    ['https://localhost.evil.com', false],
    ['http://127.0.0.1.evil.com', false],
    ['file://localhost', false],
    ['chrome-extension://abcdef', false],
    ['ws://localhost:4242', false],
    ['not a url', false],
  ])('%p -> %p', (origin, expected) => {
    expect(isAllowedOrigin(origin)).toBe(expected);
  });
});

describe('bearerMatches', () => {
  const token = 'tok-123_ABC';
  test.each([
    [`Bearer ${token}`, true],
    [`bearer ${token}`, true],
    [`BEARER   ${token}`, true],
    [`Bearer ${token} `, true],
    [null, false],
    [undefined, false],
    ['', false],
    [token, false],
    ['Bearer', false],
    ['Bearer ', false],
    [`Basic ${token}`, false],
    [`Bearer ${token}x`, false],
    [`Bearer ${token.slice(0, -1)}`, false],
    [`Bearer ${token.slice(0, -1)}X`, false],
    [`Bearer ${token} extra`, false],
    [`Bearer ${token.toLowerCase()}`, false],
  ])('%p -> %p', (header, expected) => {
    expect(bearerMatches(header, token)).toBe(expected);
  });
});
