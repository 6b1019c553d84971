// Runs one autocannon load (under Node, in its own process, so the generator never shares an event
// loop with the bench or the server) and prints one JSON line of results.
//   node autocannon-driver.mjs '<json spec>'
// spec: { url, method, headers, body, connections, durationS?, amount? }; every `[<id>]` in `body` is
// replaced by a fresh JSON-RPC id per request (stateful MCP servers route replies by id).
// Latency comes from autocannon's per-response timings kept at microsecond resolution (its own
// histogram rounds to whole milliseconds, too coarse for loopback).
import autocannon from 'autocannon';

const spec = JSON.parse(process.argv[2]);
const BUCKETS = 200_000; // 1 us buckets up to 200 ms; slower responses land in the last one
const histogram = new Uint32Array(BUCKETS);
let count = 0;
let maxUs = 0;

const instance = autocannon({
  url: spec.url,
  method: spec.method ?? 'POST',
  headers: spec.headers ?? {},
  body: spec.body,
  idReplacement: typeof spec.body === 'string' && spec.body.includes('[<id>]'),
  connections: spec.connections,
  pipelining: 1,
  duration: spec.durationS ?? 10,
  amount: spec.amount,
  timeout: 10,
});

instance.on('response', (_client, statusCode, _bytes, responseTimeMs) => {
  if (statusCode < 200 || statusCode >= 300) return;
  const us = responseTimeMs * 1000;
  histogram[Math.min(BUCKETS - 1, Math.floor(us))]++;
  if (us > maxUs) maxUs = us;
  count++;
});

const started = process.hrtime.bigint();
instance.on('done', (result) => {
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const at = (q) => {
    const rank = Math.ceil(q * count);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) if ((seen += histogram[i]) >= rank) return i + 0.5;
    return maxUs;
  };
  process.stdout.write(`${JSON.stringify({
    ok: count,
    rps: count / seconds,
    p50us: count ? at(0.5) : null,
    p99us: count ? at(0.99) : null,
    maxUs,
    seconds,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  })}\n`);
});
