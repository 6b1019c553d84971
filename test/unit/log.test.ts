// The logger: level filtering, the line format, and that it writes only through the given writer
// (never stdout, which belongs to the protocol).
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import { LOG_LEVELS, type LogLevel, createLogger, isLogLevel, silentLogger } from '../../src/log.ts';

/** Logs one message at every level through a logger at `level`; returns the lines written. */
function linesAt(level: LogLevel): string[] {
  const lines: string[] = [];
  const log = createLogger(level, (line) => lines.push(line));
  for (const l of LOG_LEVELS) log[l](`${l} message`);
  return lines;
}

describe('createLogger', () => {
  test.each([
    ['debug', ['debug', 'info', 'warn', 'error']],
    ['info', ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
  ] as const)('at %p writes %p', (level, written) => {
    expect(linesAt(level)).toEqual(written.map((l) => `praxis-mcp ${l}: ${l} message\n`));
  });

  test('the default level is info', () => {
    expect(createLogger(undefined, () => {}).level).toBe('info');
  });

  test('multi-line messages stay one write', () => {
    const lines: string[] = [];
    createLogger('info', (line) => lines.push(line)).warn('a\nb');
    expect(lines).toEqual(['praxis-mcp warn: a\nb\n']);
  });
});

describe('writes nowhere but the writer', () => {
  let stdoutWrites = 0;
  let stderrWrites = 0;
  const originals = { out: process.stdout.write, err: process.stderr.write };
  beforeEach(() => {
    stdoutWrites = 0;
    stderrWrites = 0;
    process.stdout.write = ((..._args: unknown[]) => (stdoutWrites++, true)) as typeof process.stdout.write;
    process.stderr.write = ((..._args: unknown[]) => (stderrWrites++, true)) as typeof process.stderr.write;
  });
  afterEach(() => {
    process.stdout.write = originals.out;
    process.stderr.write = originals.err;
  });

  test('an injected writer gets every line; stdout and stderr get none', () => {
    const lines: string[] = [];
    const log = createLogger('debug', (line) => lines.push(line));
    for (const l of LOG_LEVELS) log[l]('x');
    expect(lines).toHaveLength(4);
    expect(stdoutWrites).toBe(0);
    expect(stderrWrites).toBe(0);
  });

  test('the default writer is stderr, never stdout', () => {
    const log = createLogger('debug');
    for (const l of LOG_LEVELS) log[l]('x');
    expect(stderrWrites).toBe(4);
    expect(stdoutWrites).toBe(0);
  });

  test('silentLogger writes nothing anywhere', () => {
    for (const l of LOG_LEVELS) silentLogger[l]('x');
    expect(stdoutWrites + stderrWrites).toBe(0);
  });
});

test.each([
  ['debug', true],
  ['info', true],
  ['warn', true],
  ['error', true],
  ['INFO', false],
  ['warning', false],
  ['', false],
  [undefined, false],
  [1, false],
])('isLogLevel(%p) is %p', (value, expected) => {
  expect(isLogLevel(value)).toBe(expected);
});
