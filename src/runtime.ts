import { fileURLToPath } from 'node:url';

// The one module that touches `Bun.*` and `Deno.*` (DESIGN.md: runtime differences live in one
// module). Everything else uses web standards and `node:` built-ins.

declare const Deno:
  | {
      serve(
        options: { hostname: string; port: number; onListen?: (addr: unknown) => void; signal?: AbortSignal },
        handler: (request: Request) => Response | Promise<Response>,
      ): { addr: { port: number }; shutdown(): Promise<void>; finished: Promise<void> };
      version: { deno: string };
      execPath(): string;
    }
  | undefined;

/** Which runtime runs this code. */
export const runtimeName: 'bun' | 'deno' | 'node' =
  typeof Bun !== 'undefined' ? 'bun' : typeof Deno !== 'undefined' ? 'deno' : 'node';

/** A bound HTTP listener. */
export interface HttpListener {
  readonly hostname: string;
  readonly port: number;
  /** Stop accepting connections; with `force`, also cut the open ones. */
  stop(force?: boolean): Promise<void>;
}

/** What `listenHttp` needs. `port: 0` asks the OS for a free port. */
export interface ListenOptions {
  hostname: string;
  port: number;
  fetch: (request: Request) => Response | Promise<Response>;
}

/**
 * Binds an HTTP server, or throws the runtime's bind error (see `isAddressInUse`).
 * The hostname and port are always explicit: `Bun.serve` would otherwise bind every interface
 * and read `$PORT`. Idle connections are never cut (Bun's default of 10 s would end SSE streams).
 */
export function listenHttp(options: ListenOptions): HttpListener {
  if (typeof Bun !== 'undefined') {
    const server = Bun.serve({
      hostname: options.hostname,
      port: options.port,
      reusePort: false,
      idleTimeout: 0,
      fetch: options.fetch,
    });
    return {
      hostname: options.hostname,
      port: server.port ?? options.port,
      // Bun's graceful stop resolves only once every open connection has ended, which one stalled
      // client can put off forever; so stop accepting and return at once. The caller bounds the
      // drain of in-flight calls itself, then forces.
      stop: async (force = false) => {
        const stopped = server.stop(force);
        if (force) await stopped;
        else stopped.catch(() => {});
      },
    };
  }
  if (typeof Deno !== 'undefined') {
    const abort = new AbortController();
    const server = Deno.serve(
      { hostname: options.hostname, port: options.port, onListen: () => {}, signal: abort.signal },
      options.fetch,
    );
    return {
      hostname: options.hostname,
      port: server.addr.port,
      stop: async () => {
        abort.abort();
        await server.finished;
      },
    };
  }
  throw new Error('praxis-mcp needs Bun or Deno to serve HTTP');
}

/** Whether a bind error means "address in use", the one error that moves on to the next port. */
export function isAddressInUse(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  return (
    code === 'EADDRINUSE' ||
    name === 'AddrInUse' ||
    (typeof message === 'string' && /address (already )?in use|EADDRINUSE/i.test(message))
  );
}

/** Whether this code runs as a `bun build --compile` executable. */
export function isCompiledBinary(): boolean {
  // Compiled entries live in Bun's embedded file system: /$bunfs/ on POSIX, B:\~BUN\ on Windows.
  return typeof Bun !== 'undefined' && (Bun.main.startsWith('/$bunfs/') || /^[A-Z]:\\~BUN\\/i.test(Bun.main));
}

/** The command that runs this very program again: the binary itself, or the runtime plus the entry. */
export function selfCommand(): string[] {
  if (isCompiledBinary()) return [process.execPath];
  const entry = fileURLToPath(new URL('./main.ts', import.meta.url).href);
  if (runtimeName === 'deno') return [process.execPath, 'run', '-A', entry];
  return [process.execPath, entry];
}

/**
 * Scales the JIT's tier-up thresholds (Bun; a no-op elsewhere). The compiled binary starts
 * reluctant (see `build/compile.ts`), so run-once start-up and indexing code stays in the
 * interpreter; 1 is the normal policy, for serving.
 */
export function setJitPolicy(scale: number): void {
  if (runtimeName !== 'bun') return;
  (Bun as unknown as { unsafe: { setJITPolicy?(scale: number): void } }).unsafe.setJITPolicy?.(scale);
}

/**
 * Runs a full garbage collection now where the runtime allows it (Bun), else nothing. Used after
 * an oversized message is dropped (issue 11): the dropped bytes are garbage at once, and waiting
 * for the collector's own schedule left RSS tens of MB above idle.
 */
export function collectGarbage(): void {
  if (runtimeName === 'bun') Bun.gc(true);
}
