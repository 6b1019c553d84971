// `praxis-mcp config <editor> --link` (issue 15): each editor's install link, decoded the way the
// editor decodes it, is the very entry `config` prints and writes; so are the README's badges.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Buffer } from 'node:buffer';
import { ROOT, type TempProject, runBinary, tempProject } from '../helpers/process.ts';

/** What VS Code and Cursor read out of an install link: the server's name and its entry. */
function decode(link: string): { editor: string; name: string; entry: Record<string, unknown> } {
  const vscode = /^(vscode|vscode-insiders):mcp\/install\?(.+)$/.exec(link);
  if (vscode) {
    const { name, ...entry } = JSON.parse(decodeURIComponent(vscode[2]!));
    return { editor: vscode[1]!, name, entry };
  }
  const url = new URL(link);
  if (url.protocol === 'cursor:' && url.host === 'anysphere.cursor-deeplink' && url.pathname === '/mcp/install') {
    const entry = JSON.parse(Buffer.from(url.searchParams.get('config')!, 'base64').toString('utf8'));
    return { editor: 'cursor', name: url.searchParams.get('name')!, entry };
  }
  if (url.host === 'insiders.vscode.dev' && url.pathname === '/redirect/mcp/install') {
    const entry = JSON.parse(url.searchParams.get('config')!);
    return { editor: url.searchParams.get('quality') === 'insiders' ? 'vscode-insiders' : 'vscode', name: url.searchParams.get('name')!, entry };
  }
  throw new Error(`not an install link: ${link}`);
}

let project: TempProject;
beforeAll(() => void (project = tempProject({ prefix: 'praxis-link-' })));
afterAll(() => project.cleanup());

const KEY: Record<string, string> = { vscode: 'servers', 'vscode-insiders': 'servers', cursor: 'mcpServers' };

describe('compiled binary: config --link', () => {
  test.each([
    ['vscode', []],
    ['vscode-insiders', []],
    ['cursor', []],
    ['vscode', ['--npx']],
    ['cursor', ['--npx']],
  ] as const)('%s %p: the link decodes to the entry config prints', async (editor, flags) => {
    const [link, printed] = await Promise.all([
      runBinary(['config', editor, '--link', ...flags, '--project', project.root]),
      runBinary(['config', editor, ...flags, '--project', project.root]),
    ]);
    expect(link.code).toBe(0);
    expect(link.stdout.trim().split('\n')).toHaveLength(1);
    const decoded = decode(link.stdout.trim());
    expect(decoded.editor).toBe(editor);
    expect(decoded.name).toBe('praxis-mcp');
    expect(decoded.entry).toEqual(JSON.parse(printed.stdout)[KEY[editor]!]['praxis-mcp']);
    if (flags.length > 0) expect(decoded.entry).toMatchObject({ command: 'npx', args: ['-y', 'praxis-mcp', 'serve', '--transport', 'dual', '--project', '${workspaceFolder}'] });
  });

  test('--link and --write written together, or for an editor without links, are usage errors', async () => {
    const both = await runBinary(['config', 'vscode', '--link', '--write', '--project', project.root]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('choose one');
    const none = await runBinary(['config', 'claude-desktop', '--link', '--project', project.root]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('claude-desktop has no install link; vscode, vscode-insiders, cursor do.');
  });

  test('--npx --write writes the npx entry', async () => {
    const r = await runBinary(['config', 'claude-code', '--npx', '--write', '--project', project.root]);
    expect(r.code).toBe(0);
    const entry = JSON.parse(readFileSync(join(project.root, '.mcp.json'), 'utf8')).mcpServers['praxis-mcp'];
    expect(entry).toEqual({ type: 'stdio', command: 'npx', args: ['-y', 'praxis-mcp', 'serve', '--transport', 'dual'], env: {} });
  });
});

test('every install link in the README decodes to the entry `config <editor> --npx` prints', async () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const links = [...readme.matchAll(/(?:vscode(?:-insiders)?:mcp\/install\?[^\s)`"]+|cursor:\/\/anysphere\.cursor-deeplink\/mcp\/install\?[^\s)`"]+|https:\/\/insiders\.vscode\.dev\/redirect\/mcp\/install\?[^\s)`"]+)/g)].map((m) => m[0]);
  expect(links.length).toBeGreaterThanOrEqual(3);
  for (const link of links) {
    const decoded = decode(link);
    const printed = await runBinary(['config', decoded.editor, '--npx', '--project', project.root]);
    expect(decoded.name).toBe('praxis-mcp');
    expect(decoded.entry).toEqual(JSON.parse(printed.stdout)[KEY[decoded.editor]!]['praxis-mcp']);
  }
});
