/** Stable codes for every failure the CLI can report; `exitCodeFor` maps them to exit codes. */
export type ErrorCode =
  | 'E_USAGE'
  | 'E_PROJECT_NOT_FOUND'
  | 'E_HOST_NOT_LOOPBACK'
  | 'E_PORT_RANGE_EXHAUSTED'
  | 'E_BIND_FAILED'
  | 'E_STATE_WRITE'
  | 'E_CONFLICT'
  | 'E_NO_SERVER'
  | 'E_TOOL_FAILED'
  | 'E_CONFIG'
  | 'E_UNSAFE_PROJECT'
  | 'E_CLAIM_TIMEOUT';

/** The one error class of praxis-mcp: a message a person can act on, plus a stable code. */
export class PraxisError extends Error {
  override readonly name = 'PraxisError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The process exit code for an error: 2 for bad usage, 3 for "no server", 1 otherwise. */
export function exitCodeFor(error: unknown): number {
  if (!(error instanceof PraxisError)) return 1;
  if (error.code === 'E_USAGE') return 2;
  if (error.code === 'E_NO_SERVER') return 3;
  return 1;
}

/** The message of anything thrown, for logs. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
