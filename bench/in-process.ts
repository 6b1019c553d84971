// Per-request server cost without sockets or a load generator: starts the app in this process
// (src/app.ts, HTTP on port 0, no state file) and times `app.fetch` of one tools/call, one at a
// time and 10 at once. Run it under the profiler to see where a request's time goes:
//   bun bench/in-process.ts [--calls 20000] [--tool current_date]
//   bun --cpu-prof --cpu-prof-md bench/in-process.ts
import { startApp } from '../src/app.ts';
import { silentLogger } from '../src/log.ts';
import { locateProject } from '../src/project/locate.ts';
import { benchProject } from './lib/project.ts';
import { MCP_HEADERS } from './lib/targets.ts';

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1]! : fallback;
};
const calls = Number(arg('calls', '20000'));
const tool = arg('tool', 'current_date');
const project = benchProject();
const app = await startApp({
  transport: 'http', project: locateProject({ flag: project.root }), host: '127.0.0.1', port: 0,
  portRange: { start: 47950, end: 47999 }, path: '/mcp', token: null, log: silentLogger, announce: false,
});
const params = { name: tool, arguments: tool === 'search_standards' ? { query: 'error handling timeouts' } : {} };
let id = 0;
const call = async () => {
  const response = await app.fetch!(new Request(`http://127.0.0.1:${app.port}/mcp`, {
    method: 'POST', headers: { ...MCP_HEADERS, host: `127.0.0.1:${app.port}` }, body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method: 'tools/call', params }),
  }));
  const text = await response.text();
  if (response.status !== 200 || !text.includes('"result"')) throw new Error(`call failed: ${response.status} ${text.slice(0, 200)}`);
};
for (let i = 0; i < 2000; i++) await call();
// CPU time (user + system) per call as well as wall time: on a shared machine it is the steadier one.
const cpuUs = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
let t0 = performance.now();
let c0 = cpuUs();
for (let i = 0; i < calls; i++) await call();
const sequential = ((performance.now() - t0) * 1000) / calls;
const sequentialCpu = (cpuUs() - c0) / calls;
t0 = performance.now();
c0 = cpuUs();
for (let i = 0; i < calls / 10; i++) await Promise.all(Array.from({ length: 10 }, call));
const concurrent = ((performance.now() - t0) * 1000) / calls;
const concurrentCpu = (cpuUs() - c0) / calls;
process.stdout.write(
  `${tool}: one at a time ${sequential.toFixed(1)} us (${sequentialCpu.toFixed(1)} us CPU) per call; ` +
    `10 at once ${concurrent.toFixed(1)} us (${concurrentCpu.toFixed(1)} us CPU) per call\n`,
);
await app.close('bench done');
project.cleanup();
process.exit(0);
