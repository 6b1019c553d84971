// What every bench section gets: options, the binaries, a temp project, ports and the generator.
import type { Generator } from './load.ts';
import type { BenchOptions } from './options.ts';
import type { BenchProject } from './project.ts';

/** Shared inputs of the sections. */
export interface BenchContext {
  options: BenchOptions;
  praxis: string;
  hello: string;
  project: BenchProject;
  /** Hands out ports from the bench's own range. */
  port(count?: number): number;
  generator: Generator;
  /** Progress lines go to stderr, so stdout stays the report. */
  log(message: string): void;
}
