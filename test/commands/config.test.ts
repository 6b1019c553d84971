// `praxis-mcp config <editor>`: each editor's file and format, and --write merging into missing,
// empty, existing and broken files (issue 5).
import { afterEach, describe, expect, test } from 'bun:test';
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { resolveEditorConfig, runConfig } from '../../src/commands/config.ts';
import { EDITORS, type EditorName, type Environment, editorConfig, userScopedName } from '../../src/editors/editors.ts';
import { type FileProbe, commandOnPath, stableExecutablePath } from '../../src/editors/launch-command.ts';
import { parse as parseJsonc } from 'jsonc-parser';
import { mergeEditorConfig } from '../../src/editors/merge-config.ts';
import { writeEditorConfig } from '../../src/editors/write-config.ts';
import { PraxisError } from '../../src/errors.ts';
import { BINARY, runBinary, type TempProject, tempProject } from '../helpers/process.ts';

const projects: TempProject[] = [];
afterEach(() => {
  for (const p of projects.splice(0)) p.cleanup();
});

/** A project plus a fake home folder inside it, so that user-wide files land in the temp dir. */
function setup() {
  const project = tempProject({ prefix: 'praxis-config-' });
  projects.push(project);
  const world: Environment = { home: join(project.root, 'home'), platform: 'linux', env: {} };
  const self = ['/opt/praxis/bin/praxis-mcp'];
  const probe = fakeProbe({});
  const config = (editor: EditorName) => resolveEditorConfig(editor, project.root, { world, self, env: {}, probe });
  return { project, world, self, probe, config };
}

/** A file system of links (path -> target) and executables, for Homebrew and PATH cases. */
function fakeProbe(links: Record<string, string>, executables: string[] = []): FileProbe {
  const files = new Set([...Object.values(links), ...executables]);
  return {
    realpath: (path) => links[path] ?? (files.has(path) ? path : undefined),
    isExecutable: (path) => executables.includes(path) || path in links,
  };
}

const spec = { command: '/bin/praxis-mcp', projectRoot: '/p/My App', projectName: 'My App' };
const SERVE = ['serve', '--transport', 'dual'];
const inWorkspace = { command: '/bin/praxis-mcp', args: [...SERVE, '--project', '${workspaceFolder}'] };
const absolute = { command: '/bin/praxis-mcp', args: [...SERVE, '--project', '/p/My App'] };
const linux: Environment = { home: '/home/u', platform: 'linux', env: {} };
const mac: Environment = { home: '/Users/u', platform: 'darwin', env: {} };
const win: Environment = { home: 'C:\\Users\\u', platform: 'win32', env: { APPDATA: 'C:\\Users\\u\\AppData\\Roaming' } };

describe('editorConfig: file location, servers key and entry per editor', () => {
  test.each([
    ['cursor', linux, join('/p/My App', '.cursor', 'mcp.json'), 'mcpServers', 'praxis-mcp', inWorkspace],
    ['claude-code', linux, join('/p/My App', '.mcp.json'), 'mcpServers', 'praxis-mcp', { type: 'stdio', command: '/bin/praxis-mcp', args: SERVE, env: {} }],
    ['vscode', linux, join('/p/My App', '.vscode', 'mcp.json'), 'servers', 'praxis-mcp', { type: 'stdio', ...inWorkspace }],
    ['claude-desktop', mac, join('/Users/u', 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json'), 'mcpServers', 'praxis-mcp-my-app', absolute],
    ['claude-desktop', win, join('C:\\Users\\u\\AppData\\Roaming', 'Claude', 'claude_desktop_config.json'), 'mcpServers', 'praxis-mcp-my-app', absolute],
    ['claude-desktop', linux, join('/home/u', '.config', 'Claude', 'claude_desktop_config.json'), 'mcpServers', 'praxis-mcp-my-app', absolute],
    ['claude-desktop', { ...linux, env: { XDG_CONFIG_HOME: '' } }, join('/home/u', '.config', 'Claude', 'claude_desktop_config.json'), 'mcpServers', 'praxis-mcp-my-app', absolute],
    ['claude-desktop', { ...linux, env: { XDG_CONFIG_HOME: '/xdg' } }, join('/xdg', 'Claude', 'claude_desktop_config.json'), 'mcpServers', 'praxis-mcp-my-app', absolute],
    ['windsurf', mac, join('/Users/u', '.codeium', 'windsurf', 'mcp_config.json'), 'mcpServers', 'praxis-mcp-my-app', absolute],
    ['cline', linux, join('/home/u', '.config', 'Code', 'User', 'globalStorage', 'saoudrizwan.claude-dev', 'settings', 'cline_mcp_settings.json'), 'mcpServers', 'praxis-mcp-my-app', { ...absolute, disabled: false, autoApprove: [] }],
    ['cline', { ...linux, env: { XDG_CONFIG_HOME: '' } }, join('/home/u', '.config', 'Code', 'User', 'globalStorage', 'saoudrizwan.claude-dev', 'settings', 'cline_mcp_settings.json'), 'mcpServers', 'praxis-mcp-my-app', { ...absolute, disabled: false, autoApprove: [] }],
    ['cline', mac, join('/Users/u', 'Library', 'Application Support', 'Code', 'User', 'globalStorage', 'saoudrizwan.claude-dev', 'settings', 'cline_mcp_settings.json'), 'mcpServers', 'praxis-mcp-my-app', { ...absolute, disabled: false, autoApprove: [] }],
  ] as const)('%s on %j', (editor, world, path, key, name, entry) => {
    const config = editorConfig(editor, spec, world);
    expect(config.path).toBe(path);
    expect(config.serversKey).toBe(key);
    expect(config.serverName).toBe(name);
    expect(config.entry).toEqual(entry);
  });

  test.each([
    ['My App', 'praxis-mcp-my-app'],
    ['praxis_os', 'praxis-mcp-praxis-os'],
    ['---', 'praxis-mcp'],
  ])('user-wide server name for project %p is %p', (name, expected) => {
    expect(userScopedName(name)).toBe(expected);
  });
});

describe('the launch command: this binary, dual mode; the project by workspace variable in project files, by path in user files', () => {
  test.each(EDITORS.map((e) => [e]))('%s', (editor) => {
    const { project, config } = setup();
    const target = config(editor);
    const entry = target.entry as { command: string; args: string[] };
    expect(entry.command).toBe('/opt/praxis/bin/praxis-mcp');
    const where = { cursor: ['--project', '${workspaceFolder}'], vscode: ['--project', '${workspaceFolder}'], 'vscode-insiders': ['--project', '${workspaceFolder}'], 'claude-code': [] }[editor as string];
    expect(entry.args).toEqual([...SERVE, ...(where ?? ['--project', project.root])]);
    expect(target.scope).toBe(where ? 'project' : 'user');
  });

  const cellar = '/opt/homebrew/Cellar/praxis-mcp/0.1.0/bin/praxis-mcp';
  const linuxbrew = '/home/linuxbrew/.linuxbrew/Cellar/praxis-mcp/0.2.0/bin/praxis-mcp';
  test.each<[string, FileProbe, string]>([
    ['linked into <prefix>/bin', fakeProbe({ '/opt/homebrew/bin/praxis-mcp': cellar }), '/opt/homebrew/bin/praxis-mcp'],
    ['not linked (brew unlink): the opt link', fakeProbe({ '/opt/homebrew/opt/praxis-mcp/bin/praxis-mcp': cellar }), '/opt/homebrew/opt/praxis-mcp/bin/praxis-mcp'],
    ['<prefix>/bin holds another praxis-mcp: the opt link', fakeProbe({ '/opt/homebrew/bin/praxis-mcp': '/elsewhere/praxis-mcp' }), '/opt/homebrew/opt/praxis-mcp/bin/praxis-mcp'],
  ])('Homebrew, %s: never the versioned Cellar path', (_, probe, expected) => {
    const { project, world } = setup();
    for (const editor of EDITORS) {
      const entry = resolveEditorConfig(editor, project.root, { world, self: [cellar], env: {}, probe }).entry;
      expect(entry.command).toBe(expected);
    }
  });
  test('Linuxbrew too', () => {
    expect(stableExecutablePath(linuxbrew, fakeProbe({ '/home/linuxbrew/.linuxbrew/bin/praxis-mcp': linuxbrew }))).toBe('/home/linuxbrew/.linuxbrew/bin/praxis-mcp');
    expect(stableExecutablePath('/usr/local/bin/praxis-mcp', fakeProbe({}))).toBe('/usr/local/bin/praxis-mcp');
  });

  test('on PATH: project files name the command, user files keep the absolute path', () => {
    const { project } = setup();
    const world: Environment = { home: join(project.root, 'home'), platform: 'linux', env: { PATH: '/usr/bin:/opt/homebrew/bin' } };
    const probe = fakeProbe({ '/opt/homebrew/bin/praxis-mcp': cellar });
    const config = (editor: EditorName) => resolveEditorConfig(editor, project.root, { world, self: [cellar], env: {}, probe }).entry.command;
    expect(config('vscode')).toBe('praxis-mcp');
    expect(config('cursor')).toBe('praxis-mcp');
    expect(config('claude-code')).toBe('praxis-mcp');
    expect(config('claude-desktop')).toBe('/opt/homebrew/bin/praxis-mcp');
    expect(config('windsurf')).toBe('/opt/homebrew/bin/praxis-mcp');
  });

  test.each<[string, Record<string, string | undefined>, NodeJS.Platform, FileProbe, string | undefined]>([
    ['found first on PATH', { PATH: '/a:/b' }, 'linux', fakeProbe({ '/b/praxis-mcp': '/real/praxis-mcp' }, ['/real/praxis-mcp']), 'praxis-mcp'],
    ['another praxis-mcp comes first', { PATH: '/a:/b' }, 'linux', fakeProbe({ '/a/praxis-mcp': '/old/praxis-mcp', '/b/praxis-mcp': '/real/praxis-mcp' }, ['/real/praxis-mcp']), undefined],
    ['not on PATH', { PATH: '/a' }, 'linux', fakeProbe({}, ['/real/praxis-mcp']), undefined],
    ['no PATH at all', {}, 'linux', fakeProbe({}, ['/real/praxis-mcp']), undefined],
  ])('commandOnPath: %s', (_, env, platform, probe, expected) => {
    expect(commandOnPath('/real/praxis-mcp', env, platform, probe)).toBe(expected);
  });
  test('commandOnPath on Windows: Path with ; and the .exe suffix', () => {
    const exe = 'C:\\tools\\praxis-mcp.exe';
    expect(commandOnPath(exe, { Path: 'C:\\Windows;C:\\tools' }, 'win32', fakeProbe({}, [exe]))).toBe('praxis-mcp');
  });

  test('an unknown or missing editor is a usage error naming every editor', () => {
    const { project } = setup();
    for (const editor of ['notepad', undefined]) {
      const error = (() => {
        try {
          resolveEditorConfig(editor, project.root, { self: ['/x'], env: {} });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(PraxisError);
      expect((error as PraxisError).code).toBe('E_USAGE');
      for (const name of EDITORS) expect((error as Error).message).toContain(name);
    }
  });
});

const other = { command: 'node', args: ['other.js'], env: { KEY: 'v' } };
const cases = {
  missing: { before: undefined, outcome: 'created' },
  empty: { before: '  \n', outcome: 'updated' },
  existing: { before: 'EXISTING', outcome: 'updated' },
  broken: { before: '{ "mcpServers": { "other": ', outcome: 'invalid' },
} as const;

describe('--write merges into the editor file', () => {
  const table = EDITORS.flatMap((editor) => Object.keys(cases).map((c) => [editor, c] as [EditorName, keyof typeof cases]));
  test.each(table)('%s, %s file', async (editor, kind) => {
    const { config } = setup();
    const target = config(editor);
    const { before, outcome } = cases[kind];
    const original =
      before === 'EXISTING'
        ? `${JSON.stringify({ theme: 'dark', [target.serversKey]: { other } }, null, 2)}\n`
        : before;
    if (original !== undefined) {
      mkdirSync(dirname(target.path), { recursive: true });
      writeFileSync(target.path, original);
    }
    if (outcome === 'invalid') {
      const error = await writeEditorConfig(target).catch((e) => e);
      expect(error).toBeInstanceOf(PraxisError);
      expect(error.code).toBe('E_CONFIG');
      expect(error.message).toContain(target.path);
      expect(readFileSync(target.path, 'utf8')).toBe(original!);
      expect(existsSync(`${target.path}.bak`)).toBe(false);
      return;
    }
    const result = await writeEditorConfig(target);
    expect(result.kind).toBe(outcome);
    const written = JSON.parse(readFileSync(target.path, 'utf8'));
    expect(written[target.serversKey][target.serverName]).toEqual(target.entry);
    if (kind === 'existing') {
      expect(written.theme).toBe('dark');
      expect(written[target.serversKey].other).toEqual(other);
    }
    if (original === undefined) expect(result.backup).toBeUndefined();
    else expect(readFileSync(result.backup!, 'utf8')).toBe(original);
    // A second write finds the entry in place and leaves file and backup alone.
    expect((await writeEditorConfig(target)).kind).toBe('unchanged');
  });
});

describe('mergeEditorConfig (pure)', () => {
  const target = editorConfig('cursor', spec, linux);
  test.each([
    ['a JSON array', '[]', 'the top level is not a JSON object'],
    ['a string servers key', '{"mcpServers": "x"}', '"mcpServers" is not a JSON object'],
    ['a cut-off document', '{ "mcpServers": { "other": ', 'not valid JSON'],
    ['two documents', '{} {}', 'not valid JSON'],
  ])('%s is invalid and left alone', (_, text, reason) => {
    const result = mergeEditorConfig(text, target);
    expect(result.kind).toBe('invalid');
    expect(result.kind === 'invalid' && result.reason).toContain(reason);
  });

  test('keys the user added to our entry survive; our command and args are replaced', () => {
    const before = JSON.stringify({ mcpServers: { 'praxis-mcp': { command: '/old', args: [], env: { A: '1' } } } });
    const result = mergeEditorConfig(before, target);
    expect(result.kind).toBe('updated');
    const entry = JSON.parse((result as { text: string }).text).mcpServers['praxis-mcp'];
    expect(entry).toEqual({ ...inWorkspace, env: { A: '1' } });
  });

  test('a byte-order mark does not make a file invalid, and stays', () => {
    const result = mergeEditorConfig('\uFEFF{}', target);
    expect(result.kind).toBe('updated');
    expect((result as { text: string }).text).toStartWith('\uFEFF{');
  });

  // VS Code's own mcp.json format is JSON with comments (issue 10).
  const vscode = editorConfig('vscode', spec, linux);
  const jsonc = [
    '{',
    '  // Servers for this repository; see the wiki.',
    '  "inputs": [ /* none yet */ ],',
    '  "servers": {',
    '    "other": { "type": "stdio", "command": "node", "args": ["other.js"] }, // keep me',
    '  },',
    '}',
    '',
  ].join('\n');

  test('JSONC: comments, trailing commas and the other server stay byte for byte; our entry is added', () => {
    const result = mergeEditorConfig(jsonc, vscode);
    expect(result.kind).toBe('updated');
    const text = (result as { text: string }).text;
    for (const line of jsonc.split('\n').slice(0, 4)) expect(text).toContain(line);
    expect(text).toContain('"other": { "type": "stdio", "command": "node", "args": ["other.js"] },');
    expect(text).toContain('// keep me');
    const parsed = parseJsonc(text);
    expect(parsed.servers['praxis-mcp']).toEqual(vscode.entry);
    expect(parsed.servers.other).toEqual({ type: 'stdio', command: 'node', args: ['other.js'] });
    expect(mergeEditorConfig(text, vscode).kind).toBe('unchanged');
  });

  test('JSONC: an existing entry gets our command and args; the user\'s keys and comments inside it stay', () => {
    const before = [
      '{',
      '\t"servers": {',
      '\t\t"praxis-mcp": {',
      '\t\t\t// pinned token for scripts',
      '\t\t\t"env": { "PRAXIS_MCP_TOKEN": "t" },',
      '\t\t\t"command": "/old/praxis-mcp",',
      '\t\t\t"args": ["serve"]',
      '\t\t}',
      '\t}',
      '}',
      '',
    ].join('\n');
    const result = mergeEditorConfig(before, vscode);
    expect(result.kind).toBe('updated');
    const text = (result as { text: string }).text;
    expect(text).toContain('\t\t\t// pinned token for scripts\n\t\t\t"env": { "PRAXIS_MCP_TOKEN": "t" },');
    expect(parseJsonc(text).servers['praxis-mcp']).toEqual({ ...vscode.entry, env: { PRAXIS_MCP_TOKEN: 't' } });
  });

  test('defaults we add (env, autoApprove, disabled) never overwrite what the user set', () => {
    const cline = editorConfig('cline', spec, linux);
    const before = JSON.stringify({ mcpServers: { [cline.serverName]: { command: '/old', args: [], autoApprove: ['search_standards'], disabled: true } } });
    const entry = parseJsonc((mergeEditorConfig(before, cline) as { text: string }).text).mcpServers[cline.serverName];
    expect(entry).toEqual({ ...cline.entry, autoApprove: ['search_standards'], disabled: true });
  });
});

describe('runConfig output', () => {
  test('without --write: the JSON document alone on stdout, the file location on stderr, nothing written', async () => {
    const { project, world, self, probe } = setup();
    let out = '';
    let err = '';
    await runConfig({ editor: 'vscode', project: project.root }, { world, self, probe, env: {}, stdout: (t) => (out += t), stderr: (t) => (err += t) });
    expect(JSON.parse(out)).toEqual({
      servers: { 'praxis-mcp': { type: 'stdio', command: self[0], args: [...SERVE, '--project', '${workspaceFolder}'] } },
    });
    expect(err).toContain(join(project.root, '.vscode', 'mcp.json'));
    // Not on PATH: the committed file names one machine's path, and says so.
    expect(err).toContain(`the entry launches praxis-mcp by the absolute path ${self[0]}`);
    expect(existsSync(join(project.root, '.vscode'))).toBe(false);
  });
});

describe('compiled binary', () => {
  test('config names the binary itself, by absolute path when not on PATH, and --write creates the file', async () => {
    const { project } = setup();
    const printed = await runBinary(['config', 'cursor', '--project', project.root], { env: { PATH: '/usr/bin:/bin' } });
    expect(printed.code).toBe(0);
    const entry = JSON.parse(printed.stdout).mcpServers['praxis-mcp'];
    expect(realpathSync(entry.command)).toBe(realpathSync(BINARY));
    expect(entry.args).toEqual([...SERVE, '--project', '${workspaceFolder}']);
    const written = await runBinary(['config', 'cursor', '--project', project.root, '--write'], { env: { PATH: '/usr/bin:/bin' } });
    expect(written.code).toBe(0);
    expect(JSON.parse(readFileSync(join(project.root, '.cursor', 'mcp.json'), 'utf8')).mcpServers['praxis-mcp']).toEqual(entry);
  });

  test('--write into VS Code\'s mcp.json with comments keeps them and adds the entry', async () => {
    const { project } = setup();
    const file = join(project.root, '.vscode', 'mcp.json');
    mkdirSync(dirname(file), { recursive: true });
    const before = '{\n  // team servers\n  "servers": {\n    "other": { "command": "node" }, // keep\n  },\n}\n';
    writeFileSync(file, before);
    const result = await runBinary(['config', 'vscode', '--project', project.root, '--write']);
    expect(result.code).toBe(0);
    const after = readFileSync(file, 'utf8');
    expect(after).toContain('  // team servers\n');
    expect(after).toContain('"other": { "command": "node" },');
    expect(after).toContain('// keep');
    expect(parseJsonc(after).servers['praxis-mcp'].args).toEqual(['serve', '--transport', 'dual', '--project', '${workspaceFolder}']);
    expect(readFileSync(`${file}.bak`, 'utf8')).toBe(before);
  });

  test('--write into a broken file exits 1 and leaves it byte for byte', async () => {
    const { project } = setup();
    const file = join(project.root, '.mcp.json');
    writeFileSync(file, '{ broken');
    const result = await runBinary(['config', 'claude-code', '--project', project.root, '--write']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('not valid JSON');
    expect(readFileSync(file, 'utf8')).toBe('{ broken');
  });
});
