// The compiled binary's command-line manners (issue 10): unknown flags and commands are usage
// errors (exit 2) that name the closest known one, nothing starts on a typo, colour only at a
// terminal without NO_COLOR, and `call` exits 2 on bad arguments, names the closest tool, and
// gives a tool the value that looks like a flag.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BINARY, type TempProject, runBinary, tempProject } from '../helpers/process.ts';

// citty colours its usage unless CI, TEST or NO_COLOR=1 is set; clear them so that a missing strip shows.
const COLOURFUL = { CI: undefined, TEST: undefined, NO_COLOR: undefined, TERM: 'xterm-256color' };
const ESC = '\x1b[';

let project: TempProject;
beforeAll(() => {
  project = tempProject({ prefix: 'praxis-cli-' });
  writeFileSync(join(project.praxisDir, 'standards', 'testing.md'), '# Testing\n\nWrite a table test for every pure function.\n');
});
afterAll(() => project.cleanup());

describe('unknown flags and commands', () => {
  test('--no-auht is refused with exit 2, names --no-auth, and no server starts', async () => {
    const r = await runBinary(['--no-auht', '--transport', 'dual', '--port', '0', '--project', project.root], { env: COLOURFUL });
    expect(r.code).toBe(2);
    expect(r.stderr).toStartWith('praxis-mcp: Unknown flag --no-auht for praxis-mcp. Did you mean --no-auth?\n');
    expect(r.stdout).toBe('');
    expect(existsSync(project.statePath)).toBe(false);
  });

  test.each<[string[], string]>([
    [['serve', '--transport', 'http', '--prot', '0'], 'Unknown flag --prot for praxis-mcp serve. Did you mean --port?'],
    [['status', '--jsn'], 'Unknown flag --jsn for praxis-mcp status. Did you mean --json?'],
    [['url', '--project'], '--project needs a value.'],
    [['stop', 'now'], 'Unexpected argument "now" for praxis-mcp stop, which takes none.'],
    [['config', 'vscod'], 'Unknown editor "vscod": choose one of cursor, claude-desktop, claude-code, vscode, vscode-insiders, windsurf, cline. Did you mean "vscode"?'],
  ])('%p: exit 2 with %p', async (args, message) => {
    const r = await runBinary(args, { env: { PRAXIS_MCP_PROJECT: project.root } });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(`praxis-mcp: ${message}`);
  });

  test('a mistyped command lists the commands and names the closest one, without colour codes', async () => {
    const r = await runBinary(['stauts', '--project', project.root], { env: COLOURFUL });
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('praxis-mcp: Unknown command "stauts". Did you mean "status"? Commands: serve, init, config, status, url, call, stop, workflow.');
    expect(r.stderr).not.toContain(ESC);
  });

  test('--version and --help still work, and --help wins over a bad flag', async () => {
    expect((await runBinary(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+/);
    const help = await runBinary(['serve', '--bogus', '--help'], { env: COLOURFUL });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--no-auth');
  });
});

describe('colour', () => {
  test.each([['serve', '--help'], ['call', '--help'], ['status', '--jsn']])('%p %p piped: no colour codes on stdout or stderr', async (command, flag) => {
    const r = await runBinary([command, flag], { env: COLOURFUL });
    expect(r.stdout + r.stderr).toContain('praxis-mcp');
    expect(r.stdout + r.stderr).not.toContain(ESC);
  });

  // A real terminal needs a pty: util-linux `script` gives one (macOS's `script` takes other flags).
  const canPty = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;
  const atTerminal = (env: Record<string, string | undefined>) => {
    const r = spawnSync('script', ['-qec', `'${BINARY}' serve --help`, '/dev/null'], {
      env: { ...process.env, ...COLOURFUL, ...env } as NodeJS.ProcessEnv,
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(r.status).toBe(0);
    return r.stdout;
  };
  test.skipIf(!canPty)('at a terminal: colour, unless NO_COLOR is set (to anything but empty)', () => {
    expect(atTerminal({})).toContain(ESC);
    expect(atTerminal({ NO_COLOR: '' })).toContain(ESC);
    const plain = atTerminal({ NO_COLOR: 'yes' });
    expect(plain).toContain('--no-auth');
    expect(plain).not.toContain(ESC);
  });
});

describe('call', () => {
  const call = (...args: string[]) => runBinary(['call', ...args], { env: { PRAXIS_MCP_PROJECT: project.root } });

  test('a mistyped tool: exit 2, names the closest tool and lists them', async () => {
    const r = await call('current_dat');
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe('praxis-mcp: Unknown tool "current_dat". Did you mean "current_date"? Tools: get_server_info, current_date, search_standards, pos_workflow.');
    expect(r.stdout).toBe('');
  });

  test.each<[string[], string]>([
    [['search_standards', '--qurey', 'x'], 'Unknown argument "qurey" for search_standards. Did you mean "query"?'],
    [['search_standards', 'n_results=2'], 'search_standards needs query (string): pass --query VALUE.'],
    [['search_standards', '--query', 'x', '--n_results', 'many'], 'Argument n_results must be a number, got "many"'],
    [['search_standards', '--query', 'x', '--n_results', '1000'], 'Input validation error: Invalid arguments for tool search_standards: n_results'],
    [['search_standards', '--args', '[1]'], '--args must be a JSON object'],
    [['search_standards', '--query'], '--query needs a value.'],
    [['search_standards', 'stray'], 'Unexpected "stray"'],
  ])('%p: exit 2, %p', async (args, message) => {
    const r = await call(...args);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')[0]).toStartWith(`praxis-mcp: ${message}`);
    expect(r.stdout).toBe('');
  });

  test('a value that looks like a flag is the value: --query -v searches for "-v" (and prints no version)', async () => {
    const r = await call('search_standards', '--query', '-v', '--json');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.isError).toBeUndefined();
    expect(result.content[0].text).toContain('"-v"');
  });

  test('--query --json: the tool gets "--json" as its query, and the output is text', async () => {
    const r = await call('search_standards', '--query', '--json');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"--json"');
    expect(() => JSON.parse(r.stdout)).toThrow();
  });
});
