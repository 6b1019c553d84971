// Floor for start-up: a bare Bun "hello", compiled like praxis-mcp. It serves GET /health on
// 127.0.0.1:<port> and answers the first stdin line with one JSON line.
//   hello <port>     (port 0: stdio only)
const port = Number(process.argv[2] ?? 0);
if (port > 0) Bun.serve({ hostname: '127.0.0.1', port, fetch: () => Response.json({ status: 'ok', pid: process.pid }) });

let buffered = '';
process.stdin.on('data', (chunk: Buffer) => {
  buffered += chunk.toString('utf8');
  const end = buffered.indexOf('\n');
  if (end < 0) return;
  const { id } = JSON.parse(buffered.slice(0, end)) as { id?: unknown };
  buffered = buffered.slice(end + 1);
  process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id, result: { hello: true } })}\n`);
});
process.stdin.on('end', () => process.exit(0));

export {};
