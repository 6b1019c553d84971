// The strict reading of the command line (issue 10): unknown flags and commands are usage errors
// that name the closest known one; --help and --version count only where they are our flags.
import { describe, expect, test } from 'bun:test';
import { defineCommand } from 'citty';
import { parseCallArgv } from '../../../src/commands/call-args.ts';
import { checkArgv, flagTable, withOwnArgv } from '../../../src/commands/check-argv.ts';
import { closest } from '../../../src/commands/closest.ts';
import { colourAllowed, forStream, stripAnsi } from '../../../src/commands/terminal.ts';

const serveArgs = {
  transport: { type: 'string' },
  project: { type: 'string' },
  port: { type: 'string', default: '4242' },
  'no-auth': { type: 'boolean', default: false },
  'log-level': { type: 'string' },
} as const;
const root = defineCommand({
  meta: { name: 'praxis-mcp' },
  args: serveArgs,
  subCommands: {
    serve: defineCommand({ args: serveArgs }),
    status: defineCommand({ args: { project: { type: 'string' }, json: { type: 'boolean' } } }),
    config: defineCommand({ args: { editor: { type: 'positional', required: false }, write: { type: 'boolean' } } }),
    call: withOwnArgv(defineCommand({ args: { tool: { type: 'positional' } } }), parseCallArgv),
  },
});

describe('closest', () => {
  test.each([
    ['--no-auht', ['--no-auth', '--port', '--project'], '--no-auth'],
    ['serv', ['serve', 'status', 'stop'], 'serve'],
    ['STATUS', ['serve', 'status'], 'status'],
    ['--proj', ['--project', '--port'], '--project'],
    ['current_dat', ['get_server_info', 'current_date', 'search_standards'], 'current_date'],
    ['qurey', ['query', 'n_results'], 'query'],
    ['xyzzy', ['serve', 'status', 'stop'], undefined],
    ['s', ['serve', 'status', 'stop'], undefined],
  ])('%p among %p -> %p', (word, known, expected) => {
    expect(closest(word, known)).toBe(expected as string | undefined);
  });
});

describe('flagTable', () => {
  test('has --name for every flag and --no-name for booleans, and no positionals', () => {
    const table = flagTable({ ...serveArgs, json: { type: 'boolean' }, editor: { type: 'positional' } });
    expect([...table.keys()].sort()).toEqual(['--json', '--log-level', '--no-auth', '--no-json', '--port', '--project', '--transport']);
    expect(table.get('--port')).toBe('string');
    expect(table.get('--no-auth')).toBe('boolean');
  });
});

describe('checkArgv', () => {
  test.each<[string[], string[], boolean, boolean]>([
    [['--transport', 'dual'], [], false, false],
    [['--no-auth', '--transport', 'stdio'], [], false, false],
    [['serve', '--transport=dual', '--port', '-1'], ['serve'], false, false],
    [['--project', 'serve', 'status'], ['status'], false, false],
    [['status', '--json', '--no-json'], ['status'], false, false],
    [['config', 'vscode', '--write'], ['config'], false, false],
    [['serve', '--help'], ['serve'], true, false],
    [['serve', '--bogus', '-h'], ['serve'], true, false],
    [['-v'], [], false, true],
    [['status', '--version'], ['status'], false, true],
    [['call', 'search_standards', '--query', '-v'], ['call'], false, false],
    [['call', 'search_standards', '--query', '--help'], ['call'], false, false],
    [['call', 'search_standards', '--help'], ['call'], true, false],
  ])('%p -> command %p, help %p, version %p, no problem', (argv, path, help, version) => {
    const intent = checkArgv(root, argv);
    expect(intent.problem?.message).toBeUndefined();
    expect(intent).toMatchObject({ path, help, version });
  });

  test.each<[string[], RegExp]>([
    [['--no-auht', '--transport', 'stdio'], /^Unknown flag --no-auht for praxis-mcp\. Did you mean --no-auth\?$/],
    [['serve', '--transport', 'dual', '--prot', '1'], /^Unknown flag --prot for praxis-mcp serve\. Did you mean --port\?$/],
    [['serve', '--port=1', '--log-levl=debug'], /^Unknown flag --log-levl for praxis-mcp serve\. Did you mean --log-level\?$/],
    [['status', '-x'], /^Unknown flag -x for praxis-mcp status\.$/],
    [['status', '--no-project'], /^Unknown flag --no-project/],
    [['serv', '--transport', 'dual'], /^Unknown command "serv"\. Did you mean "serve"\? Commands: serve, status, config, call\.$/],
    [['frobnicate'], /^Unknown command "frobnicate"\. Commands: serve, status, config, call\.$/],
    [['frobnicate', '--help'], /^Unknown command "frobnicate"/],
    [['serve', '--port'], /^--port needs a value\.$/],
    [['status', 'extra'], /^Unexpected argument "extra" for praxis-mcp status, which takes none\.$/],
    [['config', 'vscode', 'cursor'], /^Unexpected argument "cursor" for praxis-mcp config\.$/],
    [['call'], /^Missing TOOL/],
    [['call', '--jsn', 'x'], /^Unknown flag --jsn for call .*Did you mean --json\?$/],
    [['call', 'x', '--project'], /^--project needs a value\.$/],
  ])('%p is a usage error: %p', (argv, message) => {
    const { problem } = checkArgv(root, argv);
    expect(problem?.code).toBe('E_USAGE');
    expect(problem?.message).toMatch(message);
  });
});

describe('parseCallArgv', () => {
  test.each<[string[], Record<string, unknown>]>([
    [['current_date'], { tool: 'current_date', json: false, toolWords: [] }],
    [['--json', '--project', '/p', 'search_standards', 'query=x'], { tool: 'search_standards', project: '/p', json: true, toolWords: ['query=x'] }],
    [['search_standards', '--query', '-v'], { tool: 'search_standards', toolWords: ['--query', '-v'], version: false }],
    [['search_standards', '--query', '--json'], { tool: 'search_standards', json: false, toolWords: ['--query', '--json'] }],
    [['search_standards', '--query', '--project'], { tool: 'search_standards', toolWords: ['--query', '--project'] }],
    [['search_standards', '--query=--help', '--json'], { json: true, help: false, toolWords: ['--query=--help'] }],
    [['search_standards', '--args', '{"query":"x"}', '--project=/p'], { project: '/p', toolWords: ['--args', '{"query":"x"}'] }],
    [['search_standards', '--json=false'], { json: false }],
  ])('%j -> %j', (argv, expected) => {
    expect(parseCallArgv(argv)).toMatchObject(expected);
  });

  test.each<[string[], RegExp]>([
    [['search_standards', '--query'], /--query needs a value/],
    [['--bogus', 'x'], /Unknown flag --bogus/],
    [['x', '--json=maybe'], /--json is true or false/],
  ])('%p is a usage error: %p', (argv, message) => {
    expect(() => parseCallArgv(argv)).toThrow(message);
  });
});

describe('colour', () => {
  const red = '\x1b[31mred\x1b[39m \x1b[1;4mbold\x1b[22;24m';
  test.each<[boolean | undefined, Record<string, string>, boolean]>([
    [true, {}, true],
    [true, { NO_COLOR: '1' }, false],
    [true, { NO_COLOR: '' }, true],
    [true, { TERM: 'dumb' }, false],
    [false, {}, false],
    [undefined, {}, false],
  ])('isTTY %p, env %j -> colour %p', (isTTY, env, allowed) => {
    expect(colourAllowed({ isTTY }, env)).toBe(allowed);
    expect(forStream(red, { isTTY }, env)).toBe(allowed ? red : 'red bold');
  });
  test('stripAnsi leaves plain text alone', () => {
    expect(stripAnsi('a [b] c\n')).toBe('a [b] c\n');
  });
});
