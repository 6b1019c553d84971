import { PraxisError, messageOf } from '../errors.ts';
import { isAddressInUse } from '../runtime.ts';
import { type PortRange, candidatePorts, formatPortRange } from './port-range.ts';

/**
 * Binds the first free port: the bind itself is the check (never probe-then-bind, which is the
 * race the original system admitted). Only "address in use" moves on to the next port; any other
 * bind error is final.
 */
export function listenFirstFree<T>(
  host: string,
  preferred: number,
  range: PortRange,
  bind: (port: number) => T,
): { port: number; listener: T } {
  for (const port of candidatePorts(preferred, range)) {
    try {
      return { port, listener: bind(port) };
    } catch (error) {
      if (isAddressInUse(error)) continue;
      throw new PraxisError('E_BIND_FAILED', `Cannot bind ${host}:${port}: ${messageOf(error)}`, { cause: error });
    }
  }
  const span = range.end - range.start;
  throw new PraxisError(
    'E_PORT_RANGE_EXHAUSTED',
    `Cannot bind ${host}: every port in ${formatPortRange(range)} is in use` +
      (preferred !== 0 && (preferred < range.start || preferred > range.end) ? ` (and --port ${preferred})` : '') +
      `. Widen the range, for example --port-range ${range.start}-${Math.min(65535, range.end + Math.max(span, 100))}, or stop servers you no longer need.`,
  );
}
