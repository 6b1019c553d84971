import { PraxisError } from '../errors.ts';

/** An inclusive range of TCP ports. */
export interface PortRange {
  start: number;
  end: number;
}

/** The default range, as in the original system. */
export const DEFAULT_PORT_RANGE: PortRange = { start: 4242, end: 5242 };

function parsePort(text: string, what: string, allowZero = false): number {
  const port = /^\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isInteger(port) || port > 65535 || port < (allowZero ? 0 : 1)) {
    throw new PraxisError('E_USAGE', `Invalid ${what} "${text}": expected a whole number from ${allowZero ? 0 : 1} to 65535`);
  }
  return port;
}

/** Parses `--port` (0 means "any free port"). */
export function parsePortOption(text: string): number {
  return parsePort(text, '--port', true);
}

/** Parses `--port-range A-B` (A <= B). */
export function parsePortRange(text: string): PortRange {
  const match = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(text);
  if (!match) throw new PraxisError('E_USAGE', `Invalid --port-range "${text}": expected A-B, for example 4242-5242`);
  const start = parsePort(match[1]!, '--port-range start');
  const end = parsePort(match[2]!, '--port-range end');
  if (start > end) throw new PraxisError('E_USAGE', `Invalid --port-range "${text}": the start is above the end`);
  return { start, end };
}

/**
 * The ports to try, in order: the preferred one, then the rest of the range after it, then the
 * range before it. Port 0 (any free port) is tried alone.
 */
export function candidatePorts(preferred: number, range: PortRange): number[] {
  if (preferred === 0) return [0];
  const ports = [preferred];
  const inRange = preferred >= range.start && preferred <= range.end;
  const from = inRange ? preferred + 1 : range.start;
  for (let p = from; p <= range.end; p++) ports.push(p);
  if (inRange) for (let p = range.start; p < preferred; p++) ports.push(p);
  return ports;
}

/** `4242-5242`, for messages. */
export function formatPortRange(range: PortRange): string {
  return `${range.start}-${range.end}`;
}
