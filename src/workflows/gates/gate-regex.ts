// A gate's `file_contains` regex comes from the repository: untrusted. It runs on RE2 (re2js),
// whose matching time is linear in the input, so no pattern can make the server hang; RE2 has no
// backreferences or lookarounds, and such a pattern is refused when the workflow loads.
import { RE2JS } from 're2js';

/** Longest pattern accepted. */
export const MAX_REGEX_LENGTH = 500;
/** Most text a regex is run over (RE2 is linear: about 0.6 s at worst for this much, measured). */
export const MAX_REGEX_INPUT_BYTES = 256 * 1024;

/** A compiled gate regex: `^` and `$` match at line boundaries, as in grep. */
export interface GateRegex {
  test(text: string): boolean;
}

/** Compiles `source` with RE2 syntax, or says why it cannot. */
export function compileGateRegex(source: string): { regex: GateRegex } | { error: string } {
  if (source.length > MAX_REGEX_LENGTH) return { error: `longer than ${MAX_REGEX_LENGTH} characters` };
  try {
    const compiled = RE2JS.compile(source, RE2JS.MULTILINE);
    return { regex: { test: (text) => compiled.matcher(text).find() } };
  } catch (error) {
    return { error: `not a valid RE2 regular expression (no backreferences or lookarounds): ${(error as Error).message}` };
  }
}
