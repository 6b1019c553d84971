// Summaries of repeated measurements: every figure in the report is a median of several
// interleaved runs, shown with its min and max.

/** The median, min and max of a set of runs. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/** Summarises the runs of one measurement; undefined when there are none. */
export function summarize(values: readonly number[]): Summary | undefined {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const mid = v.length >> 1;
  const median = v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
  return { median, min: v[0]!, max: v[v.length - 1]!, runs: v.length };
}

/** The q-quantile (0..1) of raw samples, by nearest rank. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Groups values under string keys, in insertion order. */
export class Runs {
  readonly values = new Map<string, number[]>();
  add(key: string, value: number | null | undefined): void {
    if (value === null || value === undefined || !Number.isFinite(value)) return;
    const list = this.values.get(key) ?? [];
    list.push(value);
    this.values.set(key, list);
  }
  summary(key: string): Summary | undefined {
    return summarize(this.values.get(key) ?? []);
  }
  toJSON(): Record<string, Summary & { values: number[] }> {
    const out: Record<string, Summary & { values: number[] }> = {};
    for (const [key, values] of this.values) out[key] = { ...summarize(values)!, values };
    return out;
  }
}

/** Resolves after `ms` milliseconds (used only between runs, to let a server settle). */
export const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Milliseconds since an arbitrary origin, with sub-millisecond resolution. */
export const nowMs = () => performance.now();
