// Colour only for a person at a terminal (issue 10): never when the stream is a pipe or a file,
// never when NO_COLOR is set to anything but the empty string (no-color.org), nor for TERM=dumb.

/** Whether text written to `stream` may carry colour codes. */
export function colourAllowed(stream: { isTTY?: boolean }, env: Record<string, string | undefined> = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
}

/** `text` without ANSI escape sequences (SGR colours and the like). */
export function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}

/** `text` as it may be written to `stream`: colour codes removed unless `colourAllowed`. */
export function forStream(text: string, stream: { isTTY?: boolean }, env: Record<string, string | undefined> = process.env): string {
  return colourAllowed(stream, env) ? text : stripAnsi(text);
}
