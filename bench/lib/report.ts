// Renders the results as Markdown: one table per section, each figure the median of the runs with
// [min-max], and the ratios of praxis-mcp to each reference; then the targets, met or not.
import type { Summary } from './stats.ts';
import type { BenchResults } from './results.ts';

const num = (x: number, digits = 0) => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** `median [min-max]` of a summary, or a dash. */
export function fmt(s: Summary | undefined, digits = 0): string {
  if (!s) return '-';
  return s.runs > 1 ? `${num(s.median, digits)} [${num(s.min, digits)}-${num(s.max, digits)}]` : num(s.median, digits);
}

const ratio = (a: Summary | undefined, b: Summary | undefined) => (a && b && b.median > 0 ? `${num(a.median / b.median, 2)}x` : '-');

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** The whole report. */
export function renderReport(r: BenchResults): string {
  const out: string[] = [`## praxis-mcp benchmark (${r.meta.date})`, '', r.meta.machine, ''];
  if (r.http) {
    const { runs, cases, rss } = r.http;
    const rows: string[][] = [];
    for (const c of r.meta.concurrency) {
      const praxis = runs.summary(`praxis-current_date@c${c}:rps`);
      for (const k of cases) {
        const rps = runs.summary(`${k.id}@c${c}:rps`);
        rows.push([
          k.label, String(c), fmt(rps), fmt(runs.summary(`${k.id}@c${c}:p50`)), fmt(runs.summary(`${k.id}@c${c}:p99`)),
          fmt(runs.summary(`${k.id}@c${c}:cpu`)), k.id === 'praxis-current_date' ? '1.00x' : ratio(praxis, rps),
        ]);
      }
    }
    out.push(`### HTTP tools/call (${r.meta.generator}, ${r.meta.durationS} s per run, ${r.meta.rounds} interleaved rounds; median [min-max])`, '');
    out.push(table(['server', 'c', 'req/s', 'p50 us', 'p99 us', 'server CPU us/req', 'praxis current_date req/s ÷ this'], rows), '');
    out.push(table(['server', 'RSS idle MB', 'RSS after the HTTP runs MB'], [...new Set(cases.map((k) => k.id.replace(/^praxis-.*/, 'praxis')))].map((id) => [
      id === 'praxis' ? 'praxis-mcp (binary)' : cases.find((k) => k.id === id)!.label, fmt(rss.summary(`${id}:idle`), 1), fmt(rss.summary(`${id}:loaded`), 1),
    ])), '');
  }
  if (r.stdio) {
    const { runs, targets } = r.stdio;
    const p = (k: string) => runs.summary(`praxis:${k}`);
    out.push('### stdio tools/call (round trip one at a time; pipelined batch)', '');
    out.push(table(['server', 'p50 us', 'p99 us', 'sequential calls/s', 'pipelined calls/s', 'praxis pipelined ÷ this', 'this p50 ÷ praxis p50'], targets.map((t) => [
      t.label, fmt(runs.summary(`${t.id}:p50`)), fmt(runs.summary(`${t.id}:p99`)), fmt(runs.summary(`${t.id}:seq_rps`)), fmt(runs.summary(`${t.id}:pipelined_rps`)),
      ratio(p('pipelined_rps'), runs.summary(`${t.id}:pipelined_rps`)), ratio(runs.summary(`${t.id}:p50`), p('p50')),
    ])), '');
  }
  if (r.mixed) {
    const { runs } = r.mixed;
    out.push('### Both at once (HTTP c=10 plus stdio one at a time, on one process)', '');
    const label = {
      praxis: 'praxis-mcp (dual)',
      floor: 'floor: Bun.serve (150 us of work per request) + stdin echo',
      floor0: 'floor: Bun.serve (no work) + stdin echo',
    };
    const rows: string[][] = [];
    for (const id of ['praxis', 'floor', 'floor0'] as const) {
      for (const t of ['http', 'stdio']) {
        const k = (mode: string, m: string) => runs.summary(`${id}:${t}:${mode}:${m}`);
        rows.push([label[id], t, fmt(k('solo', 'p50')), fmt(k('solo', 'p99')), fmt(k('solo', 'rps')), fmt(k('mixed', 'p50')), fmt(k('mixed', 'p99')), fmt(k('mixed', 'rps')), ratio(k('mixed', 'p99'), k('solo', 'p99'))]);
      }
    }
    out.push(table(['server', 'transport', 'solo p50 us', 'solo p99 us', 'solo req/s', 'mixed p50 us', 'mixed p99 us', 'mixed req/s', 'p99 mixed ÷ solo'], rows), '');
  }
  if (r.cold) {
    const { runs } = r.cold;
    out.push('### Cold start (ms from spawn)', '');
    out.push(table(['binary', 'to /health 200', 'to state file', 'to initialize reply (stdio)'], [
      ['praxis-mcp', fmt(runs.summary('praxis:health'), 1), fmt(runs.summary('praxis:state'), 1), fmt(runs.summary('praxis:initialize'), 1)],
      ['floor: compiled Bun hello', fmt(runs.summary('hello:health'), 1), '-', fmt(runs.summary('hello:initialize'), 1)],
      ['praxis ÷ floor', ratio(runs.summary('praxis:health'), runs.summary('hello:health')), '-', ratio(runs.summary('praxis:initialize'), runs.summary('hello:initialize'))],
    ]), '');
  }
  if (r.memory) {
    const { runs } = r.memory;
    out.push('### Memory (RSS MB of one dual-mode praxis-mcp; 90% of calls over HTTP, 10% over stdio; read once settled)', '');
    out.push(table(['', 'idle', 'after 10k calls', 'after 100k calls'], [
      ['RSS', fmt(runs.summary('idle'), 1), fmt(runs.summary('after_10k'), 1), fmt(runs.summary('after_100k'), 1)],
      ['RSS one second after the load (before the idle GC)', '-', fmt(runs.summary('after_10k_1s'), 1), fmt(runs.summary('after_100k_1s'), 1)],
      ['of which private (RssAnon; the rest is the executable\'s mapped pages)', fmt(runs.summary('idle_anon'), 1), fmt(runs.summary('after_10k_anon'), 1), fmt(runs.summary('after_100k_anon'), 1)],
    ]), '', `Peak RSS over the whole run (VmHWM): ${fmt(runs.summary('peak'), 1)} MB.`, '');
  }
  if (r.state || r.ports) {
    out.push('### State file and port allocation', '');
    const rows: string[][] = [];
    if (r.state) {
      const s = r.state.runs;
      rows.push(['state file read + validate (ops/s)', fmt(s.summary('read_validate')), `floor (read + JSON.parse): ${fmt(s.summary('read_floor'))}`]);
      rows.push(['state file atomic write (ops/s)', fmt(s.summary('atomic_write')), `floor (plain writeFile): ${fmt(s.summary('write_floor'))}`]);
    }
    if (r.ports) {
      rows.push(['port allocation, first 50 taken (ms)', fmt(r.ports.runs.summary('allocate_ms'), 2), 'listenFirstFree in process']);
      rows.push(['binary start into that range, spawn to /health (ms)', fmt(r.ports.runs.summary('start_ms'), 1), '']);
    }
    out.push(table(['measure', 'median [min-max]', 'reference'], rows), '');
  }
  if (r.targets.length) {
    out.push('### Targets (issue 6)', '');
    out.push(table(['target', 'measured', 'met'], r.targets.map((t) => [t.name, t.measured, t.met === undefined ? 'n/a' : t.met ? 'yes' : 'NO'])), '');
  }
  return out.join('\n');
}
