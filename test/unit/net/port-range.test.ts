// Table tests for port option parsing and the order in which ports are tried.
import { describe, expect, test } from 'bun:test';
import { PraxisError } from '../../../src/errors.ts';
import { DEFAULT_PORT_RANGE, candidatePorts, formatPortRange, parsePortOption, parsePortRange } from '../../../src/net/port-range.ts';
import { thrownPraxisError } from '../../helpers/errors.ts';

describe('parsePortOption', () => {
  test.each([
    ['0', 0],
    ['1', 1],
    ['4242', 4242],
    [' 4242 ', 4242],
    ['65535', 65535],
  ])('%p -> %p', (text, expected) => {
    expect(parsePortOption(text)).toBe(expected);
  });

  test.each(['', ' ', '-1', '65536', '99999', '42.5', '1e3', '0x10', 'abc', '4242abc'])('%p is a usage error naming --port', (text) => {
    const error = thrownPraxisError(() => parsePortOption(text));
    expect(error.code).toBe('E_USAGE');
    expect(error.message).toContain('--port');
    expect(error.message).toContain('0 to 65535');
  });
});

describe('parsePortRange', () => {
  test.each([
    ['4242-5242', 4242, 5242],
    ['1-65535', 1, 65535],
    ['8000-8000', 8000, 8000],
    [' 8000 - 8010 ', 8000, 8010],
  ])('%p -> %p to %p', (text, start, end) => {
    expect(parsePortRange(text)).toEqual({ start, end });
  });

  test.each([
    ['', 'expected A-B'],
    ['4242', 'expected A-B'],
    ['4242-', 'expected A-B'],
    ['-5242', 'expected A-B'],
    ['a-b', 'expected A-B'],
    ['4242:5242', 'expected A-B'],
    ['4242-5242-6000', 'expected A-B'],
    ['0-100', '1 to 65535'],
    ['100-65536', '1 to 65535'],
    ['5242-4242', 'start is above the end'],
  ])('%p is a usage error (%s)', (text, fragment) => {
    const error = thrownPraxisError(() => parsePortRange(text));
    expect(error.code).toBe('E_USAGE');
    expect(error.message).toContain('--port-range');
    expect(error.message).toContain(fragment);
  });
});

describe('candidatePorts', () => {
  test.each([
    ['preferred at the start', 10, { start: 10, end: 13 }, [10, 11, 12, 13]],
    ['preferred in the middle wraps around', 12, { start: 10, end: 14 }, [12, 13, 14, 10, 11]],
    ['preferred at the end', 13, { start: 10, end: 13 }, [13, 10, 11, 12]],
    ['preferred below the range', 5, { start: 10, end: 12 }, [5, 10, 11, 12]],
    ['preferred above the range', 20, { start: 10, end: 12 }, [20, 10, 11, 12]],
    ['one-port range', 10, { start: 10, end: 10 }, [10]],
    ['port 0 is tried alone', 0, { start: 10, end: 12 }, [0]],
  ])('%s', (_name, preferred, range, expected) => {
    expect(candidatePorts(preferred, range)).toEqual(expected);
  });

  test('the default range is tried whole, each port once, preferred first', () => {
    const ports = candidatePorts(4242, DEFAULT_PORT_RANGE);
    expect(ports[0]).toBe(4242);
    expect(ports.length).toBe(DEFAULT_PORT_RANGE.end - DEFAULT_PORT_RANGE.start + 1);
    expect(new Set(ports).size).toBe(ports.length);
  });
});

test('formatPortRange', () => {
  expect(formatPortRange({ start: 4242, end: 5242 })).toBe('4242-5242');
});
