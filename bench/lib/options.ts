// Command-line options of `npm run bench` (bun bench/run.ts).

/** The sections the bench can run, in report order. */
export const SECTIONS = ['http', 'stdio', 'mixed', 'cold', 'memory', 'state', 'ports'] as const;
export type Section = (typeof SECTIONS)[number];

/** Parsed options. */
export interface BenchOptions {
  quick: boolean;
  /** Interleaved rounds per measurement; the report shows their median, min and max. */
  rounds: number;
  /** Seconds per HTTP load run. */
  durationS: number;
  /** Concurrency levels of the HTTP runs. */
  concurrency: number[];
  /** A prebuilt praxis-mcp binary; otherwise the bench compiles the current source. */
  binary?: string;
  sections: Section[];
  /** Where the JSON results go. */
  out: string;
  /** First port of the bench's own range (it uses about 200 ports from there). */
  basePort: number;
  /** Force a generator: wrk (preferred when installed) or autocannon. */
  generator?: 'wrk' | 'autocannon';
  /** Install wrk with apt-get when it is missing (Debian/Ubuntu, as root). */
  installWrk: boolean;
}

const USAGE = `usage: bun bench/run.ts [--quick] [--rounds N] [--duration S] [--binary PATH]
                        [--only http,stdio,mixed,cold,memory,state,ports] [--out FILE]
                        [--base-port 47000] [--generator wrk|autocannon] [--install-wrk]`;

/** Parses argv; throws with the usage text on anything unknown. */
export function parseOptions(argv: string[], defaultOut: string): BenchOptions {
  const quick = argv.includes('--quick');
  const options: BenchOptions = {
    quick,
    rounds: quick ? 1 : 3,
    durationS: quick ? 1 : 3,
    concurrency: [1, 10, 64],
    sections: [...SECTIONS],
    out: defaultOut,
    basePort: 47000,
    installWrk: argv.includes('--install-wrk'),
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
      return v;
    };
    if (flag === '--quick' || flag === '--install-wrk') continue;
    else if (flag === '--rounds') options.rounds = Math.max(1, Number(value()));
    else if (flag === '--duration') options.durationS = Math.max(0.5, Number(value()));
    else if (flag === '--binary') options.binary = value();
    else if (flag === '--out') options.out = value();
    else if (flag === '--base-port') options.basePort = Number(value());
    else if (flag === '--generator') options.generator = value() as 'wrk' | 'autocannon';
    else if (flag === '--only') {
      const names = value().split(',');
      for (const n of names) if (!(SECTIONS as readonly string[]).includes(n)) throw new Error(`unknown section ${n}\n${USAGE}`);
      options.sections = names as Section[];
    } else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  return options;
}
