import type { McpServer } from '@modelcontextprotocol/server';
import type { ServerFactory } from './create-server.ts';

/** What the SDK's `createMcpHandler` tells its factory about a request. */
export interface FactoryRequest {
  era?: string;
}

/** A factory for `createMcpHandler` that reuses idle SDK servers instead of building one per request. */
export type PooledServerFactory = (request?: FactoryRequest) => McpServer;

/**
 * Reuses SDK server instances across stateless HTTP requests (issue 6). `createMcpHandler` calls
 * its factory for every request, and building an McpServer with its tools, schemas and resources
 * is most of the per-request cost. An instance still serves one exchange at a time (the SDK checks
 * that), every request still gets a fresh transport and the SDK's full protocol handling, and
 * `Server.connect` after `close()` is the SDK's own reconnect path.
 *
 * Only 2025-era (legacy) stateless requests use the pool: modern requests seed per-request client
 * identity on the instance, so they get fresh ones. An instance that served `initialize` (it now
 * holds that client's capabilities) is dropped rather than reused, so no request ever sees state
 * left by another client. At most `max` instances are kept; beyond that, instances are built and
 * dropped as before. A pooled instance keeps the tools it was built with: if the registry ever
 * changes while the server runs, build a new pool.
 */
export function createServerPool(factory: ServerFactory, max = 64): PooledServerFactory {
  const idle: McpServer[] = [];
  let kept = 0;
  const build = (): McpServer => {
    const server = factory();
    if (kept >= max) return server;
    kept++;
    // The SDK closes the instance when the exchange completes (or is aborted); only then is it idle.
    server.server.onclose = () => {
      const carriesClientState =
        server.server.getClientVersion() !== undefined || server.server.getClientCapabilities() !== undefined;
      if (carriesClientState) kept--;
      else idle.push(server);
    };
    return server;
  };
  return (request) => (request?.era === 'legacy' ? (idle.pop() ?? build()) : factory());
}
