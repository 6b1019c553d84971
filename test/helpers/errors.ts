import { expect } from 'bun:test';
import { PraxisError } from '../../src/errors.ts';

/** Runs `fn` and returns the PraxisError it throws (fails the test when it throws nothing, or something else). */
export function thrownPraxisError(fn: () => unknown): PraxisError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PraxisError);
    return error as PraxisError;
  }
  throw new Error('expected a PraxisError, nothing was thrown');
}
