// Profiles praxis-mcp under HTTP load: runs the server from source with Bun's CPU profiler, loads
// it with the bench's generator, stops it, and leaves the profile (Markdown and .cpuprofile).
//   bun bench/profile.ts [--seconds 5] [--connections 10] [--transport http|stdio] [--out DIR]
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { WORK_DIR } from './lib/build.ts';
import { pickGenerator, runLoad } from './lib/load.ts';
import { stopAll } from './lib/procs.ts';
import { benchProject } from './lib/project.ts';
import { initialize, stdioClient } from './lib/stdio-client.ts';
import { startPraxis, toolCallBody } from './lib/targets.ts';

const arg = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1]! : fallback;
};
const seconds = Number(arg('seconds', '5'));
const connections = Number(arg('connections', '10'));
const transport = arg('transport', 'http');
const out = arg('out', join(WORK_DIR, `profile-${Date.now()}`));
mkdirSync(out, { recursive: true });

// `bun --cpu-prof src/main.ts`: a wrapper "binary" the targets helper can start like the real one.
const wrapper = join(out, 'praxis-profiled.sh');
await Bun.write(wrapper, `#!/bin/sh\nexec "${process.execPath}" --cpu-prof --cpu-prof-md --cpu-prof-interval=250 --cpu-prof-dir="${out}" "${join(import.meta.dirname, '..', 'src', 'main.ts')}" "$@"\n`);
await Bun.$`chmod +x ${wrapper}`;

const project = benchProject();
try {
  const server = await startPraxis(wrapper, project, 47900, 'dual');
  if (transport === 'stdio') {
    const client = stdioClient(server.proc);
    await initialize(client);
    const end = performance.now() + seconds * 1000;
    while (performance.now() < end) await client.pipelined(1000, 'tools/call', { name: 'current_date', arguments: {} });
  } else {
    const r = await runLoad(pickGenerator(), { url: server.url, headers: server.headers, body: toolCallBody('current_date'), connections, durationS: seconds });
    process.stderr.write(`profile: ${Math.round(r.rps)} req/s under the profiler, p50 ${r.p50us} us\n`);
  }
  await server.proc.stop();
} finally {
  await stopAll();
  project.cleanup();
}
process.stdout.write(`${readdirSync(out).map((f) => join(out, f)).join('\n')}\n`);
