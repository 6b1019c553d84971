// Floor for "both at once": a bare Bun.serve that spends about as much CPU per HTTP request as a
// praxis-mcp tools/call (150 us), plus a stdin line echo answering JSON-RPC ids. It shows what
// Bun's event loop alone does to stdio latency while HTTP load saturates the one JS thread.
//   bun mixed-floor.ts <port> [<busy us>]
const port = Number(process.argv[2]);
const busyMs = Number(process.argv[3] ?? 150) / 1000;

const busy = () => {
  const start = performance.now();
  while (performance.now() - start < busyMs);
};

Bun.serve({
  hostname: '127.0.0.1',
  port,
  idleTimeout: 0,
  async fetch(request) {
    if (request.method !== 'POST') return Response.json({ status: 'ok', pid: process.pid });
    const body = (await request.json()) as { id?: unknown };
    busy();
    return Response.json({ jsonrpc: '2.0', id: body.id ?? null, result: {} });
  },
});

let buffered = '';
process.stdin.on('data', (chunk: Buffer) => {
  buffered += chunk.toString('utf8');
  let end: number;
  while ((end = buffered.indexOf('\n')) >= 0) {
    const { id } = JSON.parse(buffered.slice(0, end)) as { id?: unknown };
    buffered = buffered.slice(end + 1);
    if (id !== undefined) process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id, result: { content: [] } })}\n`);
  }
});
process.stdin.on('end', () => process.exit(0));

export {};
