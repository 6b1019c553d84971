// Peer: the official SDK v1 (`@modelcontextprotocol/sdk`) plain server, serving the same
// `current_date` tool as praxis-mcp, the way its README shows. Plain JS so Node and Bun run it.
//   node|bun sdk-v1-server.mjs http <port> stateful|stateless     Streamable HTTP on 127.0.0.1
//   node|bun sdk-v1-server.mjs stdio                              stdio
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

const pad = (n) => String(n).padStart(2, '0');

/** The same tool, with the same schemas and result shape as src/tools/current-date.ts. */
function currentDate() {
  const now = new Date();
  const offsetMin = -now.getTimezoneOffset();
  const abs = Math.abs(offsetMin);
  const offset = `${offsetMin >= 0 ? '+' : '-'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  const date = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  const time = `${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
  const data = {
    iso: now.toISOString(), date, time,
    timezone: Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC',
    utc_offset: offset, unix_ms: now.getTime(),
  };
  return { content: [{ type: 'text', text: `${date} ${time} ${data.timezone} (UTC${offset}); ISO ${data.iso}` }], structuredContent: data };
}

function createMcp() {
  const server = new McpServer({ name: 'sdk-v1-peer', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.registerTool('current_date', {
    title: 'Current date',
    description: 'Returns the current date and time.',
    inputSchema: {},
    outputSchema: {
      iso: z.string(), date: z.string(), time: z.string(), timezone: z.string(), utc_offset: z.string(), unix_ms: z.number(),
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, async () => currentDate());
  return server;
}

const [mode, portText, state] = process.argv.slice(2);

if (mode === 'stdio') {
  await createMcp().connect(new StdioServerTransport());
} else {
  const sessions = new Map();
  const http = createServer(async (req, res) => {
    try {
      if (req.url === '/health') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', pid: process.pid }));
      if (state === 'stateless') {
        // The SDK's stateless example: a fresh server and transport per request.
        const server = createMcp();
        const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
        res.on('close', () => { transport.close(); server.close(); });
        await server.connect(transport);
        return await transport.handleRequest(req, res);
      }
      const id = req.headers['mcp-session-id'];
      let transport = typeof id === 'string' ? sessions.get(id) : undefined;
      if (!transport) {
        transport = new StreamableHTTPServerTransport({
          sessionIdGenerator: () => randomUUID(),
          onsessioninitialized: (sid) => sessions.set(sid, transport),
        });
        transport.onclose = () => transport.sessionId && sessions.delete(transport.sessionId);
        await createMcp().connect(transport);
      }
      await transport.handleRequest(req, res);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500).end(String(error));
    }
  });
  http.keepAliveTimeout = 60_000;
  http.listen(Number(portText), '127.0.0.1');
}
