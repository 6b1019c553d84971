// locateProject against real temp directories: --project, then PRAXIS_MCP_PROJECT, then
// AGENT_OS_BASE_PATH, then the walk up from the working directory; a miss names where it looked.
import { afterAll, describe, expect, test } from 'bun:test';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, parse } from 'node:path';
import { PraxisError } from '../../../src/errors.ts';
import { locateProject } from '../../../src/project/locate.ts';
import { thrownPraxisError } from '../../helpers/errors.ts';

// realpath: on macOS the temp dir is a symlink, and locateProject resolves but does not follow links.
const base = realpathSync(mkdtempSync(join(tmpdir(), 'praxis-locate-')));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** Makes `base/<name>`, with `.praxis-os/` unless `praxis` is false. */
function dir(name: string, praxis = true): string {
  const root = join(base, name);
  mkdirSync(praxis ? join(root, '.praxis-os') : root, { recursive: true });
  return root;
}

const flagRoot = dir('flag');
const envRoot = dir('env');
const agentRoot = dir('agent');
const walkRoot = dir('walk');
const deep = join(walkRoot, 'a', 'b', 'c');
mkdirSync(deep, { recursive: true });
const bare = dir('bare', false);

describe('precedence', () => {
  test.each([
    ['--project wins over both variables', flagRoot, { PRAXIS_MCP_PROJECT: envRoot, AGENT_OS_BASE_PATH: agentRoot }, flagRoot, '--project'],
    ['PRAXIS_MCP_PROJECT wins over AGENT_OS_BASE_PATH', undefined, { PRAXIS_MCP_PROJECT: envRoot, AGENT_OS_BASE_PATH: agentRoot }, envRoot, 'PRAXIS_MCP_PROJECT'],
    ['AGENT_OS_BASE_PATH at the root', undefined, { AGENT_OS_BASE_PATH: agentRoot }, agentRoot, 'AGENT_OS_BASE_PATH'],
    ['AGENT_OS_BASE_PATH at .praxis-os (as the original set it)', undefined, { AGENT_OS_BASE_PATH: join(agentRoot, '.praxis-os') }, agentRoot, 'AGENT_OS_BASE_PATH'],
    ['--project may name .praxis-os too', join(flagRoot, '.praxis-os'), {}, flagRoot, '--project'],
    ['an empty variable is ignored', undefined, { PRAXIS_MCP_PROJECT: '', AGENT_OS_BASE_PATH: agentRoot }, agentRoot, 'AGENT_OS_BASE_PATH'],
    ['nothing explicit: walk up from the working directory', undefined, {}, walkRoot, 'working directory'],
    ['explicit wins over the working directory', undefined, { PRAXIS_MCP_PROJECT: envRoot }, envRoot, 'PRAXIS_MCP_PROJECT'],
  ] as const)('%s', (_name, flag, env, root, source) => {
    const found = locateProject({ flag, env: { ...env }, cwd: deep });
    expect(found).toEqual({ root, praxisDir: join(root, '.praxis-os'), name: basename(root), source });
  });

  test('a relative --project is resolved against the working directory', () => {
    expect(locateProject({ flag: 'flag', env: {}, cwd: base }).root).toBe(flagRoot);
  });

  test('the working directory itself may be the root', () => {
    expect(locateProject({ env: {}, cwd: walkRoot }).root).toBe(walkRoot);
  });
});

describe('not found', () => {
  test.each([
    ['--project', { flag: bare, env: {} }],
    ['PRAXIS_MCP_PROJECT', { env: { PRAXIS_MCP_PROJECT: bare } }],
    ['AGENT_OS_BASE_PATH', { env: { AGENT_OS_BASE_PATH: bare } }],
  ] as const)('an explicit %s without .praxis-os/ fails, even if the working directory has one', (source, options) => {
    const error = thrownPraxisError(() => locateProject({ ...options, env: { ...options.env }, cwd: deep }));
    expect(error.code).toBe('E_PROJECT_NOT_FOUND');
    expect(error.message).toContain(bare);
    expect(error.message).toContain(source);
    expect(error.message).toContain('praxis-mcp init');
  });

  test('the walk names where it started, that it went up, and what to do', () => {
    const nowhere = join(bare, 'x', 'y');
    mkdirSync(nowhere, { recursive: true });
    // isDir injected so that a .praxis-os/ above the temp dir on this machine cannot be found.
    const seen: string[] = [];
    const isDir = (path: string) => (seen.push(path), false);
    const error = thrownPraxisError(() => locateProject({ env: {}, cwd: nowhere, isDir }));
    expect(error.code).toBe('E_PROJECT_NOT_FOUND');
    expect(error.message).toContain(nowhere);
    expect(error.message).toContain('any folder above it');
    expect(error.message).toContain('praxis-mcp init');
    expect(error.message).toContain('--project');
    expect(seen[0]).toBe(join(nowhere, '.praxis-os'));
    expect(seen.at(-1)).toBe(join(parse(nowhere).root, '.praxis-os'));
    expect(error.message).toContain(`looked in ${seen.length} folders`);
  });
});
