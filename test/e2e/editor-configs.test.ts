// Editor configs as users meet them (issue 10), with the compiled binary: under a Homebrew layout
// the entry names the stable link, never the versioned Cellar path; a project file written on one
// machine starts a server for the right project on a teammate's machine, where the project lives
// at another path, when the editor fills in its variables as VS Code and Cursor do (and Claude
// Code starts the server in the project folder).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { copyFileSync, cpSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectStdio } from '../helpers/clients.ts';
import { BINARY, runBinary } from '../helpers/process.ts';

const windows = process.platform === 'win32';
let dir: string;
let prefix: string;
let cellarBinary: string;
let home: string;
let here: string;
let teammate: string;

/** A hard link where the file system allows it (fast, no 100 MB copy), else a copy. */
function place(source: string, target: string): void {
  try {
    linkSync(source, target);
  } catch {
    copyFileSync(source, target);
  }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'praxis-editors-'));
  // <prefix>/Cellar/praxis-mcp/0.1.0/bin/praxis-mcp, linked from <prefix>/bin and <prefix>/opt, as brew installs it.
  prefix = join(dir, 'homebrew');
  const keg = join(prefix, 'Cellar', 'praxis-mcp', '0.1.0');
  mkdirSync(join(keg, 'bin'), { recursive: true });
  cellarBinary = join(keg, 'bin', 'praxis-mcp');
  place(BINARY, cellarBinary);
  mkdirSync(join(prefix, 'bin'));
  mkdirSync(join(prefix, 'opt'));
  if (!windows) {
    symlinkSync(join('..', 'Cellar', 'praxis-mcp', '0.1.0', 'bin', 'praxis-mcp'), join(prefix, 'bin', 'praxis-mcp'));
    symlinkSync(join('..', 'Cellar', 'praxis-mcp', '0.1.0'), join(prefix, 'opt', 'praxis-mcp'));
  }
  home = join(dir, 'home');
  here = join(dir, 'me', 'project');
  teammate = join(dir, 'teammate', 'clone of project');
  for (const root of [home, join(here, '.praxis-os', 'standards')]) mkdirSync(root, { recursive: true });
  writeFileSync(join(here, '.praxis-os', 'standards', 'testing.md'), '# Testing\n\nTable tests.\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = (extra: Record<string, string> = {}) => ({ HOME: home, XDG_CONFIG_HOME: '', PATH: '/usr/bin:/bin', ...extra });

describe.skipIf(windows)('Homebrew', () => {
  test('user files name <prefix>/bin/praxis-mcp, not the Cellar path; an empty XDG_CONFIG_HOME counts as unset', async () => {
    const r = await runBinary(['config', 'claude-desktop', '--project', here], { env: env(), command: [join(prefix, 'bin', 'praxis-mcp')] });
    expect(r.code).toBe(0);
    const [entry] = Object.values(JSON.parse(r.stdout).mcpServers) as { command: string }[];
    expect(entry!.command).toBe(join(prefix, 'bin', 'praxis-mcp'));
    expect(r.stdout).not.toContain('Cellar');
    expect(r.stderr).toContain(join(home, '.config', 'Claude', 'claude_desktop_config.json'));
  });

  test('after `brew unlink` (no <prefix>/bin link): the opt link', async () => {
    const link = join(prefix, 'bin', 'praxis-mcp');
    unlinkSync(link);
    try {
      const r = await runBinary(['config', 'windsurf', '--project', here], { env: env(), command: [cellarBinary] });
      expect(r.code).toBe(0);
      const [entry] = Object.values(JSON.parse(r.stdout).mcpServers) as { command: string }[];
      expect(entry!.command).toBe(join(prefix, 'opt', 'praxis-mcp', 'bin', 'praxis-mcp'));
    } finally {
      symlinkSync(join('..', 'Cellar', 'praxis-mcp', '0.1.0', 'bin', 'praxis-mcp'), link);
    }
  });
});

describe.skipIf(windows)('a committed project file works on a teammate\'s machine', () => {
  beforeAll(async () => {
    // Written on "my" machine, with praxis-mcp on PATH through Homebrew.
    for (const editor of ['vscode', 'cursor', 'claude-code']) {
      const r = await runBinary(['config', editor, '--project', here, '--write'], { env: env({ PATH: `${join(prefix, 'bin')}:/usr/bin:/bin` }), command: [cellarBinary] });
      expect(r.code).toBe(0);
      expect(r.stderr).not.toContain('absolute path');
    }
    // The teammate clones the repository somewhere else, and has praxis-mcp on PATH elsewhere.
    cpSync(here, teammate, { recursive: true });
    mkdirSync(join(dir, 'teammate', 'bin'));
    symlinkSync(BINARY, join(dir, 'teammate', 'bin', 'praxis-mcp'));
  });

  /** Launches an entry as the editor would: its variables filled in, PATH searched, in `cwd`. */
  async function launch(entry: { command: string; args: string[] }, cwd: string, variables: Record<string, string>) {
    const args = entry.args.map((a) => a.replace(/\$\{(\w+)\}/g, (_, name: string) => variables[name] ?? `\${${name}}`));
    const client = await connectStdio('v2', args, {
      command: entry.command,
      cwd,
      env: { PATH: `${join(dir, 'teammate', 'bin')}:/usr/bin:/bin`, HOME: home, PRAXIS_MCP_PROJECT: '', AGENT_OS_BASE_PATH: '' },
    });
    try {
      const info = await client.callTool({ name: 'get_server_info', arguments: {} });
      return info.structuredContent.project.root as string;
    } finally {
      await client.close();
    }
  }

  test.each([
    ['vscode', ['.vscode', 'mcp.json'], 'servers'],
    ['cursor', ['.cursor', 'mcp.json'], 'mcpServers'],
  ])('%s: the command by name and ${workspaceFolder}', async (_, path, key) => {
    const entry = JSON.parse(readFileSync(join(teammate, ...path), 'utf8'))[key]['praxis-mcp'];
    expect(entry.command).toBe('praxis-mcp');
    expect(entry.args).toEqual(['serve', '--transport', 'dual', '--project', '${workspaceFolder}']);
    expect(await launch(entry, dir, { workspaceFolder: teammate })).toBe(teammate);
  });

  test('claude-code: the command by name, and the project found from the folder claude runs in', async () => {
    const entry = JSON.parse(readFileSync(join(teammate, '.mcp.json'), 'utf8')).mcpServers['praxis-mcp'];
    expect(entry).toMatchObject({ type: 'stdio', command: 'praxis-mcp', args: ['serve', '--transport', 'dual'] });
    expect(await launch(entry, teammate, {})).toBe(teammate);
  });
});
