// Floor: a bare Hono app on Bun answering a small JSON POST with a JSON-RPC-shaped reply.
//   bun hono-bun.ts <port>
import { Hono } from 'hono';

const port = Number(process.argv[2]);
const app = new Hono();
app.get('/health', (c) => c.json({ status: 'ok', pid: process.pid }));
app.post('/mcp', async (c) => {
  const body = await c.req.json<{ id?: unknown }>();
  return c.json({ jsonrpc: '2.0', id: body.id ?? null, result: { content: [{ type: 'text', text: new Date().toISOString() }] } });
});

Bun.serve({ hostname: '127.0.0.1', port, idleTimeout: 0, fetch: app.fetch });
