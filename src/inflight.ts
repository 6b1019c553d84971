/** Counts work in progress so shutdown can let it finish (bounded). */
export interface Inflight {
  enter(): void;
  leave(): void;
  readonly count: number;
  /** Resolves when nothing is in flight, or after `timeoutMs`; true when drained. */
  drained(timeoutMs: number): Promise<boolean>;
}

/** A new in-flight counter. */
export function createInflight(): Inflight {
  let count = 0;
  let waiters: (() => void)[] = [];
  return {
    enter: () => void count++,
    leave() {
      count = Math.max(0, count - 1);
      if (count === 0) {
        for (const wake of waiters) wake();
        waiters = [];
      }
    },
    get count() {
      return count;
    },
    drained(timeoutMs) {
      if (count === 0) return Promise.resolve(true);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), timeoutMs);
        waiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
    },
  };
}
