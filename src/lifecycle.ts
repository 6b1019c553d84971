/** The signals that end a server; each leads to the same drain-and-exit path. */
export const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Calls `onSignal` for SIGINT, SIGTERM and SIGHUP; returns a function that removes the handlers. */
export function onShutdownSignals(onSignal: (signal: string) => void, proc: NodeJS.Process = process): () => void {
  const installed: [string, () => void][] = [];
  for (const signal of SHUTDOWN_SIGNALS) {
    const handler = () => onSignal(signal);
    try {
      proc.on(signal, handler);
      installed.push([signal, handler]);
    } catch {
      // Windows has no SIGHUP in some runtimes; the others still apply.
    }
  }
  return () => {
    for (const [signal, handler] of installed) proc.off(signal, handler);
  };
}

/** Resolves once everything written to `stream` so far has been flushed. */
export function flushed(stream: NodeJS.WritableStream = process.stdout): Promise<void> {
  return new Promise((resolve) => {
    try {
      stream.write('', () => resolve());
    } catch {
      resolve();
    }
  });
}
