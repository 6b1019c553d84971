/** A trigger that coalesces bursts of calls into one. */
export interface Debouncer {
  /** Asks for a run; runs once the calls stop for `quietMs`, or at the latest `maxWaitMs` after the first. */
  trigger(): void;
  /** Drops a pending run. */
  cancel(): void;
}

/** Timer functions, injectable so tests can drive time by hand. */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (fn, ms) => {
    const t = setTimeout(fn, ms);
    (t as { unref?: () => void }).unref?.();
    return t;
  },
  clear: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
};

/**
 * Debounces `run` with a ceiling: a `git checkout` touching hundreds of files triggers one run,
 * and a file that keeps changing still gets indexed every `maxWaitMs` instead of never.
 */
export function createDebouncer(run: () => void, quietMs: number, maxWaitMs: number, timers: Timers = realTimers): Debouncer {
  let quiet: unknown;
  let ceiling: unknown;
  const fire = () => {
    timers.clear(quiet);
    timers.clear(ceiling);
    quiet = ceiling = undefined;
    run();
  };
  return {
    trigger() {
      if (quiet !== undefined) timers.clear(quiet);
      quiet = timers.set(fire, quietMs);
      ceiling ??= timers.set(fire, maxWaitMs);
    },
    cancel() {
      timers.clear(quiet);
      timers.clear(ceiling);
      quiet = ceiling = undefined;
    },
  };
}
