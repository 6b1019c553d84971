// Everything serve needs from the MCP SDK at run time, behind one module that app.ts imports only
// when a request first needs the SDK: the light protocol (src/protocol/light.ts) answers plain
// 2025-era sessions without it. Evaluating the SDK takes about 25 ms and its schemas and handlers
// add about 6 MB to this server's idle RSS, so a server nobody asks more of never pays for it (issue 6).
export { createMcpHandler } from '@modelcontextprotocol/server';
export { parseJSONRPCMessage } from '@modelcontextprotocol/server';
export { serveStdio } from '@modelcontextprotocol/server/stdio';
export { createServerFactory } from './registry/create-server.ts';
export { createServerPool } from './registry/server-pool.ts';
