/** Log levels, least to most severe. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A leveled logger. Every line goes to stderr: stdout belongs to the protocol (DESIGN.md). */
export interface Logger {
  readonly level: LogLevel;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Whether `value` names a log level. */
export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

/** A logger writing `praxis-mcp <level>: <message>` lines at or above `level`. */
export function createLogger(
  level: LogLevel = 'info',
  write: (line: string) => void = (line) => process.stderr.write(line),
): Logger {
  const floor = LOG_LEVELS.indexOf(level);
  const at = (l: LogLevel) =>
    LOG_LEVELS.indexOf(l) < floor ? () => {} : (message: string) => write(`praxis-mcp ${l}: ${message}\n`);
  return { level, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A logger that drops everything (tests, in-process one-shot calls). */
export const silentLogger: Logger = createLogger('error', () => {});
