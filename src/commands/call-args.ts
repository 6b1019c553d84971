import { PraxisError } from '../errors.ts';

/** A tool's JSON Schema, as far as argument coercion needs it. */
export interface ToolInputSchema {
  properties?: Record<string, { type?: string | string[]; items?: { type?: string } }>;
}

function coerce(name: string, raw: string, schema: ToolInputSchema | undefined): unknown {
  const declared = schema?.properties?.[name]?.type;
  const type = Array.isArray(declared) ? declared.find((t) => t !== 'null') : declared;
  switch (type) {
    case 'string':
      return raw;
    case 'number':
    case 'integer': {
      const n = Number(raw);
      if (raw.trim() === '' || Number.isNaN(n)) throw new PraxisError('E_USAGE', `Argument ${name} must be a number, got "${raw}"`);
      return n;
    }
    case 'boolean':
      if (raw === 'true' || raw === 'false') return raw === 'true';
      throw new PraxisError('E_USAGE', `Argument ${name} must be true or false, got "${raw}"`);
    case 'array':
      if (raw.trim().startsWith('[')) return JSON.parse(raw);
      return raw.split(',').map((s) => s.trim()).filter(Boolean);
    default:
      try {
        return JSON.parse(raw);
      } catch {
        return raw;
      }
  }
}

/**
 * Builds a tool's arguments from `--args JSON`, then `key=value` words and `--key value` flags,
 * coercing each value to the type the tool's input schema declares (so `n_results=3` is a number).
 */
export function buildToolArguments(words: string[], schema?: ToolInputSchema): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--args') {
      const json = words[++i];
      let parsed: unknown;
      try {
        parsed = JSON.parse(json ?? '');
      } catch {
        throw new PraxisError('E_USAGE', `--args must be a JSON object, got ${json === undefined ? 'nothing' : `"${json}"`}`);
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new PraxisError('E_USAGE', '--args must be a JSON object');
      Object.assign(result, parsed);
    } else if (word.startsWith('--')) {
      const eq = word.indexOf('=');
      const name = eq > 0 ? word.slice(2, eq) : word.slice(2);
      const raw = eq > 0 ? word.slice(eq + 1) : words[++i];
      if (raw === undefined) throw new PraxisError('E_USAGE', `--${name} needs a value`);
      result[name] = coerce(name, raw, schema);
    } else {
      const eq = word.indexOf('=');
      if (eq <= 0) throw new PraxisError('E_USAGE', `Unexpected "${word}": pass tool arguments as key=value, --key value or --args '{"key": ...}'`);
      const name = word.slice(0, eq);
      result[name] = coerce(name, word.slice(eq + 1), schema);
    }
  }
  return result;
}
