// listenFirstFree with an injected bind: the bind is the check, only "address in use" moves on,
// and a full range says which range and how to widen it.
import { describe, expect, test } from 'bun:test';
import { PraxisError } from '../../../src/errors.ts';
import { listenFirstFree } from '../../../src/net/listen.ts';
import { thrownPraxisError } from '../../helpers/errors.ts';

const inUse = () => Object.assign(new Error('listen EADDRINUSE: address already in use'), { code: 'EADDRINUSE' });

/** A bind that fails with "in use" for `busy` ports and records every attempt. */
function fakeBind(busy: Set<number>, other?: { port: number; error: unknown }) {
  const tried: number[] = [];
  const bind = (port: number) => {
    tried.push(port);
    if (other && port === other.port) throw other.error;
    if (busy.has(port)) throw inUse();
    return { boundTo: port };
  };
  return { tried, bind };
}

describe('listenFirstFree', () => {
  test('binds the preferred port when it is free, trying nothing else', () => {
    const { tried, bind } = fakeBind(new Set());
    expect(listenFirstFree('127.0.0.1', 4242, { start: 4242, end: 4250 }, bind)).toEqual({ port: 4242, listener: { boundTo: 4242 } });
    expect(tried).toEqual([4242]);
  });

  test('moves on past ports in use, in candidate order, wrapping around the range', () => {
    const { tried, bind } = fakeBind(new Set([4244, 4245]));
    const result = listenFirstFree('127.0.0.1', 4244, { start: 4242, end: 4245 }, bind);
    expect(result.port).toBe(4242);
    expect(tried).toEqual([4244, 4245, 4242]);
  });

  test.each([
    ['code EADDRINUSE', Object.assign(new Error('bind failed'), { code: 'EADDRINUSE' })],
    ['Deno AddrInUse by name', Object.assign(new Error('Address already in use (os error 98)'), { name: 'AddrInUse' })],
    ['message only (Bun)', new Error('Failed to start server. Is port 4242 in use? address already in use')],
  ])('treats %s as "in use"', (_name, error) => {
    const { tried, bind } = fakeBind(new Set(), { port: 10, error });
    expect(listenFirstFree('127.0.0.1', 10, { start: 10, end: 11 }, bind).port).toBe(11);
    expect(tried).toEqual([10, 11]);
  });

  test.each([
    ['permission denied', Object.assign(new Error('listen EACCES: permission denied'), { code: 'EACCES' })],
    ['address not available', Object.assign(new Error('listen EADDRNOTAVAIL'), { code: 'EADDRNOTAVAIL' })],
    ['a thrown string', 'boom'],
  ])('stops at the first other error (%s) with E_BIND_FAILED naming host and port', (_name, error) => {
    const { tried, bind } = fakeBind(new Set([10]), { port: 11, error });
    const failure = thrownPraxisError(() => listenFirstFree('127.0.0.1', 10, { start: 10, end: 20 }, bind));
    expect(failure.code).toBe('E_BIND_FAILED');
    expect(failure.message).toStartWith('Cannot bind 127.0.0.1:11: ');
    expect(failure.cause).toBe(error);
    expect(tried).toEqual([10, 11]);
  });

  test('a full range fails with E_PORT_RANGE_EXHAUSTED, naming the range and how to widen it', () => {
    const { tried, bind } = fakeBind(new Set([10, 11, 12]));
    const failure = thrownPraxisError(() => listenFirstFree('127.0.0.1', 10, { start: 10, end: 12 }, bind));
    expect(failure.code).toBe('E_PORT_RANGE_EXHAUSTED');
    expect(failure.message).toContain('127.0.0.1');
    expect(failure.message).toContain('10-12');
    expect(failure.message).toContain('--port-range');
    expect(failure.message).toMatch(/--port-range 10-\d+/);
    const widened = Number(/--port-range 10-(\d+)/.exec(failure.message)![1]);
    expect(widened).toBeGreaterThan(12);
    expect(widened).toBeLessThanOrEqual(65535);
    expect(tried).toEqual([10, 11, 12]);
  });

  test('the widening suggestion stays within 65535', () => {
    const { bind } = fakeBind(new Set([65530, 65531, 65532, 65533, 65534, 65535]));
    const failure = thrownPraxisError(() => listenFirstFree('127.0.0.1', 65530, { start: 65530, end: 65535 }, bind));
    expect(failure.message).toContain('--port-range 65530-65535');
  });

  test('a preferred port outside the range is tried first and named in the message', () => {
    const { tried, bind } = fakeBind(new Set([5, 10, 11]));
    const failure = thrownPraxisError(() => listenFirstFree('127.0.0.1', 5, { start: 10, end: 11 }, bind));
    expect(tried).toEqual([5, 10, 11]);
    expect(failure.message).toContain('--port 5');
  });

  test('port 0 binds once and reports port 0 (the listener knows the real port)', () => {
    const { tried, bind } = fakeBind(new Set());
    expect(listenFirstFree('127.0.0.1', 0, { start: 10, end: 12 }, bind).port).toBe(0);
    expect(tried).toEqual([0]);
  });
});
