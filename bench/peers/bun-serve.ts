// Floor: a bare `Bun.serve` answering a small JSON POST with a JSON-RPC-shaped reply.
//   bun bun-serve.ts <port>
const port = Number(process.argv[2]);

Bun.serve({
  hostname: '127.0.0.1',
  port,
  idleTimeout: 0,
  async fetch(request) {
    if (request.method !== 'POST') return Response.json({ status: 'ok', pid: process.pid });
    const body = (await request.json()) as { id?: unknown };
    return Response.json({ jsonrpc: '2.0', id: body.id ?? null, result: { content: [{ type: 'text', text: new Date().toISOString() }] } });
  },
});

export {};
