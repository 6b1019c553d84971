// HTTP tools/call: rps and p50/p99 at each concurrency, for praxis-mcp and every reference,
// interleaved (the order rotates each round) so that machine noise hits everyone alike.
import type { BenchContext } from '../lib/context.ts';
import { runLoad } from '../lib/load.ts';
import { cpuMs, rssMb } from '../lib/procs.ts';
import { Runs, pause } from '../lib/stats.ts';
import { type HttpCase, type HttpServer, preflight, startFloor, startPraxis, startSdkV1, toolCallBody } from '../lib/targets.ts';

/** Results of the HTTP section: keys are `<case>@c<N>:rps|p50|p99|cpu`, plus idle and loaded RSS. */
export interface HttpResults {
  cases: { id: string; label: string; kind: string }[];
  runs: Runs;
  rss: Runs;
}

/** Starts every server, checks each case answers correctly, then loads them in rotating order. */
export async function httpSection(ctx: BenchContext): Promise<HttpResults> {
  const servers: HttpServer[] = [];
  const runs = new Runs();
  const rss = new Runs();
  try {
    const praxis = await startPraxis(ctx.praxis, ctx.project, ctx.port(10));
    servers.push(praxis);
    servers.push(await startFloor('bun-serve', ctx.port()));
    servers.push(await startFloor('hono-bun', ctx.port()));
    for (const runtime of ['node', 'bun'] as const) {
      for (const state of ['stateful', 'stateless'] as const) servers.push(await startSdkV1(runtime, state, ctx.port()));
    }
    const cases: HttpCase[] = servers.map((server) => ({
      id: server.id === 'praxis' ? 'praxis-current_date' : server.id,
      label: server.id === 'praxis' ? 'praxis-mcp current_date' : server.label,
      server,
      body: toolCallBody('current_date'),
    }));
    if (await hasTool(praxis, 'search_standards')) {
      cases.splice(1, 0, {
        id: 'praxis-search_standards',
        label: 'praxis-mcp search_standards',
        server: praxis,
        body: toolCallBody('search_standards', { query: 'error handling timeouts' }),
      });
    }
    for (const c of cases) await preflight(c);
    await pause(300);
    for (const s of servers) rss.add(`${s.id}:idle`, rssMb(s.proc.pid));

    ctx.log(`http: warming up ${cases.length} cases`);
    for (const c of cases) await runLoad(ctx.generator, { url: c.server.url, headers: c.server.headers, body: c.body, connections: 10, durationS: 1 });

    const { rounds, concurrency, durationS } = ctx.options;
    for (let round = 0; round < rounds; round++) {
      for (const conns of concurrency) {
        const order = cases.map((_, i) => cases[(i + round) % cases.length]!);
        for (const c of order) {
          const cpu0 = cpuMs(c.server.proc.pid);
          const r = await runLoad(ctx.generator, { url: c.server.url, headers: c.server.headers, body: c.body, connections: conns, durationS });
          const cpu = cpuMs(c.server.proc.pid);
          // Server CPU per request: steadier than req/s on a shared machine, and what a request really costs.
          if (cpu0 !== undefined && cpu !== undefined && r.ok > 0) runs.add(`${c.id}@c${conns}:cpu`, ((cpu - cpu0) * 1000) / r.ok);
          if (r.errors > 0) ctx.log(`http: ${c.label} c=${conns}: ${r.errors} errors`);
          runs.add(`${c.id}@c${conns}:rps`, r.rps);
          runs.add(`${c.id}@c${conns}:p50`, r.p50us);
          runs.add(`${c.id}@c${conns}:p99`, r.p99us);
          ctx.log(`http: round ${round + 1}/${rounds} ${c.label} c=${conns}: ${Math.round(r.rps)} rps, p50 ${r.p50us} us, p99 ${r.p99us} us`);
        }
      }
    }
    for (const s of servers) rss.add(`${s.id}:loaded`, rssMb(s.proc.pid));
    return { cases: cases.map(({ id, label, server }) => ({ id, label, kind: server.kind })), runs, rss };
  } finally {
    await Promise.all(servers.map((s) => s.proc.stop()));
  }
}

async function hasTool(server: HttpServer, name: string): Promise<boolean> {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: server.headers,
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
  });
  return (await response.text()).includes(`"name":"${name}"`);
}
