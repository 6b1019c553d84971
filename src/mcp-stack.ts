// Everything serve needs from the MCP SDK at run time, behind one module that app.ts imports only
// after the port is bound and the state file written: evaluating the SDK takes about 25 ms, and
// nothing slow may stand between start and ready (issue 6).
export { SUPPORTED_PROTOCOL_VERSIONS, createMcpHandler, isJsonContentType } from '@modelcontextprotocol/server';
export { createFastToolCall } from './transports/fast-call.ts';
export { createServerFactory } from './registry/create-server.ts';
export { createServerPool } from './registry/server-pool.ts';
export { startStdio } from './transports/stdio.ts';
