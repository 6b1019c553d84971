import { PraxisError } from '../errors.ts';
import { unknownFlag } from './check-argv.ts';
import { didYouMean } from './closest.ts';

/** A tool's JSON Schema, as far as argument coercion and checking need it. */
export interface ToolInputSchema {
  properties?: Record<string, { type?: string | string[]; items?: { type?: string } }>;
  required?: string[];
}

/** A tool as `tools/list` lists it, as far as `call` needs it. */
export interface ListedTool {
  name: string;
  inputSchema?: ToolInputSchema;
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

/** `call`'s command line, read: its own flags, the tool, and the words that belong to the tool. */
export interface CallArgv {
  tool?: string;
  project?: string;
  json: boolean;
  help: boolean;
  version: boolean;
  /** `--key value`, `--key=value`, `key=value` and `--args JSON`, in order, for `buildToolArguments`. */
  toolWords: string[];
}

/** `call`'s own flags; every other word after TOOL belongs to the tool. */
export const CALL_FLAGS = ['--project', '--json', '--args'] as const;

/**
 * Reads the words after `call`. Before TOOL only `call`'s flags are allowed (a typo names the
 * closest); after it, `--project` and `--json` are still `call`'s, and every `--key` takes the next
 * word as its value, whatever it looks like: `--query -v` searches for "-v" (issue 10).
 */
export function parseCallArgv(argv: string[]): CallArgv {
  const out: CallArgv = { json: false, help: false, version: false, toolWords: [] };
  const valueOf = (flag: string, i: number): string => {
    const value = argv[i];
    if (value === undefined) throw new PraxisError('E_USAGE', `${flag} needs a value.`);
    return value;
  };
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    const eq = word.startsWith('--') ? word.indexOf('=') : -1;
    const flag = eq > 2 ? word.slice(0, eq) : word;
    const inline = eq > 2 ? word.slice(eq + 1) : undefined;
    if (word === '--help' || word === '-h') out.help = true;
    else if (out.tool === undefined && (word === '--version' || word === '-v')) out.version = true;
    else if (flag === '--project') out.project = inline ?? valueOf(flag, ++i);
    else if (flag === '--json') {
      if (inline !== undefined && inline !== 'true' && inline !== 'false') throw new PraxisError('E_USAGE', `--json is true or false, got "${inline}".`);
      out.json = inline !== 'false';
    } else if (flag === '--args') out.toolWords.push('--args', inline ?? valueOf(flag, ++i));
    else if (out.tool === undefined) {
      if (word.startsWith('-')) throw unknownFlag(word, CALL_FLAGS, 'call (tool arguments come after TOOL)');
      out.tool = word;
    } else if (word.startsWith('--') && inline === undefined) {
      out.toolWords.push(word, valueOf(word, ++i));
    } else out.toolWords.push(word);
  }
  if (out.tool === undefined && !out.help && !out.version) {
    throw new PraxisError('E_USAGE', 'Missing TOOL: name the tool to call, e.g. `praxis-mcp call search_standards --query "error handling"`.');
  }
  return out;
}

/**
 * The tools of a `tools/list` result. A reply without a `tools` array (a broken or foreign server,
 * issue 11) is a clear E_TOOL_FAILED, not a TypeError.
 */
export function listedTools(result: unknown): ListedTool[] {
  const tools = (result as { tools?: unknown } | null | undefined)?.tools;
  if (!Array.isArray(tools)) {
    throw new PraxisError('E_TOOL_FAILED', `The server's tools/list reply has no "tools" list (got ${JSON.stringify(result)?.slice(0, 200) ?? 'nothing'}); is it a praxis-mcp server?`);
  }
  return tools.filter((t): t is ListedTool => typeof t === 'object' && t !== null && typeof (t as ListedTool).name === 'string');
}

const typeName = (schema: ToolInputSchema | undefined, key: string) => {
  const type = schema?.properties?.[key]?.type;
  return type === undefined ? '' : ` (${[type].flat().join(' or ')})`;
};

/**
 * Checks a call against the listed tools before it is sent: an unknown tool or argument names the
 * closest known one, a missing required argument is named with its type. Throws E_USAGE (exit 2).
 */
export function checkToolCall(name: string, args: Record<string, unknown>, tools: ListedTool[]): void {
  const names = tools.map((t) => t.name);
  const tool = tools.find((t) => t.name === name);
  if (!tool) {
    throw new PraxisError('E_USAGE', `Unknown tool "${name}".${didYouMean(name, names)} Tools: ${names.join(', ') || 'none'}.`);
  }
  const schema = tool.inputSchema;
  const known = Object.keys(schema?.properties ?? {});
  if (schema?.properties) {
    for (const key of Object.keys(args)) {
      if (!known.includes(key)) {
        throw new PraxisError('E_USAGE', `Unknown argument "${key}" for ${name}.${didYouMean(key, known)} Arguments: ${known.join(', ') || 'none'}.`);
      }
    }
  }
  const missing = (schema?.required ?? []).filter((key) => args[key] === undefined);
  if (missing.length > 0) {
    throw new PraxisError('E_USAGE', `${name} needs ${missing.map((key) => `${key}${typeName(schema, key)}`).join(', ')}: pass ${missing.map((key) => `--${key} VALUE`).join(' ')}.`);
  }
}
