// Strict reading of the command line before citty runs it (issue 10). citty accepts any flag
// (`--no-auht` silently becomes `auht: false`, and the server starts with auth on) and throws a
// coloured "Unknown command"; here every flag must be one the command declares, a mistyped command
// or flag names the closest known one, and `--help` / `--version` count only where they are flags
// of ours, not the value of a flag or a tool's word (`call search_standards --query -v`).
import type { ArgsDef, CommandDef } from 'citty';
import { PraxisError } from '../errors.ts';
import { didYouMean } from './closest.ts';

/** What a command's own words parser (see `withOwnArgv`) reports back to the checker. */
export interface OwnArgv {
  help: boolean;
  version?: boolean;
}

/** A command that reads its words itself (as `call` does, whose words after TOOL are the tool's). */
export type CommandWithOwnArgv = CommandDef<any> & { ownArgv?: (argv: string[]) => OwnArgv };

/** Gives `command` its own words parser: the checker calls it instead of the generic walk. */
export function withOwnArgv<T extends CommandDef<any>>(command: T, ownArgv: (argv: string[]) => OwnArgv): T & { ownArgv: typeof ownArgv } {
  return Object.assign(command, { ownArgv });
}

/**
 * Lets `command` take any number of positional words (`workflow act ACTION key=value ...`) while
 * its flags are still checked like every other command's: an unknown one names the closest.
 */
export function withVariadicPositionals<T extends CommandDef<any>>(command: T, where: string): T & { ownArgv: (argv: string[]) => OwnArgv } {
  const flags = flagTable((command.args ?? {}) as ArgsDef);
  return withOwnArgv(command, (argv) => {
    const own: OwnArgv = { help: false, version: false };
    for (let i = 0; i < argv.length; i++) {
      const word = argv[i]!;
      if (word === '--') break;
      if (!word.startsWith('-') || word === '-') continue;
      if (HELP.has(word)) own.help = true;
      else if (VERSION.has(word)) own.version = true;
      else {
        const kind = flags.get(flagName(word));
        if (kind === undefined) throw unknownFlag(word, flags.keys(), where);
        if (kind === 'string' && !word.includes('=')) {
          if (i + 1 >= argv.length) throw new PraxisError('E_USAGE', `${word} needs a value.`);
          i++;
        }
      }
    }
    return own;
  });
}

/** What the command line asks for: the command path (`[]` is the main command), help, version. */
export interface ArgvIntent {
  path: string[];
  /** The deepest command named (the one whose usage to show). */
  command: CommandDef<any>;
  help: boolean;
  version: boolean;
  /** Why the command line cannot run (E_USAGE), unless help or version was asked for. */
  problem?: PraxisError;
}

const HELP = new Set(['--help', '-h']);
const VERSION = new Set(['--version', '-v']);

type FlagKind = 'string' | 'boolean';

/** Every spelling a command accepts for its flags: `--name`, declared aliases, `--no-name` for booleans. */
export function flagTable(args: ArgsDef): Map<string, FlagKind> {
  const table = new Map<string, FlagKind>();
  for (const [name, def] of Object.entries(args)) {
    if (def.type === 'positional') continue;
    const kind: FlagKind = def.type === 'boolean' ? 'boolean' : 'string';
    const aliases = 'alias' in def && def.alias !== undefined ? [def.alias].flat() : [];
    for (const spelling of [name, ...aliases]) {
      table.set(spelling.length === 1 ? `-${spelling}` : `--${spelling}`, kind);
      // citty reads `--no-x` as `x: false` for any x; accept it for booleans only.
      if (kind === 'boolean' && spelling.length > 1 && !spelling.startsWith('no-')) table.set(`--no-${spelling}`, 'boolean');
    }
  }
  return table;
}

function positionalCount(args: ArgsDef): number {
  return Object.values(args).filter((def) => def.type === 'positional').length;
}

/** The flag part of a word: `--port=1` -> `--port`. */
function flagName(word: string): string {
  const eq = word.indexOf('=');
  return word.startsWith('--') && eq > 2 ? word.slice(0, eq) : word;
}

/** The E_USAGE error for a flag `where` does not know, naming the closest one it does. */
export function unknownFlag(word: string, known: Iterable<string>, where: string): PraxisError {
  const name = flagName(word);
  const candidates = [...known, '--help', '--version'];
  return new PraxisError('E_USAGE', `Unknown flag ${name} for ${where}.${didYouMean(name, candidates, (k) => k)}`);
}

/**
 * Reads `argv` against `root` and its subcommands, without running anything. An unknown command
 * or flag, a flag missing its value, or a word too many is a `problem` (E_USAGE, exit 2), unless
 * help or version was asked for; an unknown command is a problem even then.
 */
export function checkArgv(root: CommandDef<any>, argv: string[], rootName = 'praxis-mcp'): ArgvIntent {
  const path: string[] = [];
  let command = root as CommandWithOwnArgv;
  let help = false;
  let version = false;
  let problem: PraxisError | undefined;
  const fail = (message: string) => void (problem ??= new PraxisError('E_USAGE', message));
  let i = 0;
  walk: for (;;) {
    const where = [rootName, ...path].join(' ');
    if (command.ownArgv) {
      try {
        const own = command.ownArgv(argv.slice(i));
        help ||= own.help;
        version ||= own.version === true;
      } catch (error) {
        if (!(error instanceof PraxisError)) throw error;
        problem ??= error;
      }
      break;
    }
    const args = (command.args ?? {}) as ArgsDef;
    const subCommands = (command.subCommands ?? {}) as Record<string, CommandDef<any>>;
    const flags = flagTable(args);
    const positionals: string[] = [];
    for (; i < argv.length; i++) {
      const word = argv[i]!;
      if (word === '--') {
        positionals.push(...argv.slice(i + 1));
        break;
      }
      if (word.startsWith('-') && word !== '-') {
        if (HELP.has(word)) help = true;
        else if (VERSION.has(word)) version = true;
        else {
          const kind = flags.get(flagName(word));
          if (kind === undefined) problem ??= unknownFlag(word, flags.keys(), where);
          else if (kind === 'string' && !word.includes('=')) {
            // The next word is the value, whatever it looks like (`--port -1` is a bad port, not a flag).
            if (i + 1 >= argv.length) fail(`${word} needs a value.`);
            i++;
          }
        }
        continue;
      }
      if (positionals.length === 0 && Object.keys(subCommands).length > 0 && positionalCount(args) === 0) {
        const sub = subCommands[word];
        if (!sub) {
          const names = Object.keys(subCommands);
          const message = `Unknown command "${word}".${didYouMean(word, names)} Commands: ${names.join(', ')}.`;
          return { path, command, help: false, version: false, problem: new PraxisError('E_USAGE', message) };
        }
        path.push(word);
        command = sub as CommandWithOwnArgv;
        i++;
        continue walk;
      }
      positionals.push(word);
    }
    const allowed = positionalCount(args);
    if (positionals.length > allowed) {
      const extra = positionals[allowed]!;
      fail(`Unexpected argument "${extra}" for ${where}${allowed === 0 ? ', which takes none' : ''}.`);
    }
    break;
  }
  return { path, command, help, version, ...(problem && !help && !version ? { problem } : {}) };
}
