// The pure rules that decide whether a lock or state file is believed (issue 11), as tables.
import { describe, expect, test } from 'bun:test';
import { tempWriterPid } from '../../../src/state/leftovers.ts';
import { isPraxisCommandLine, isPraxisProcess } from '../../../src/state/liveness.ts';
import type { ServerState } from '../../../src/state/schema.ts';
import { type FileFacts, untrustedFileReason, untrustedStateReason } from '../../../src/state/trust.ts';

const file: FileFacts = { isFile: true, isSymlink: false, isDirectory: false, uid: 1000, mode: 0o100600 };

describe('untrustedFileReason', () => {
  test.each<[string, Partial<FileFacts>, number | undefined, string | undefined]>([
    ['ours, 0600', {}, 1000, undefined],
    ['ours, 0400', { mode: 0o100400 }, 1000, undefined],
    ['committed by git (0644)', { mode: 0o100644 }, 1000, 'has mode 0644'],
    ['group-writable (0620)', { mode: 0o100620 }, 1000, 'has mode 0620'],
    ['another user', { uid: 65534 }, 1000, 'belongs to uid 65534'],
    ['a symlink', { isSymlink: true, isFile: false }, 1000, 'symbolic link'],
    ['a folder', { isDirectory: true, isFile: false }, 1000, 'is a folder'],
    ['a fifo', { isFile: false }, 1000, 'not a regular file'],
    ['no uids (Windows): owner and mode not checked', { uid: 0, mode: 0o100666 }, undefined, undefined],
  ])('%s', (_name, facts, uid, reason) => {
    const why = untrustedFileReason({ ...file, ...facts }, uid);
    if (reason === undefined) expect(why).toBeUndefined();
    else expect(why).toContain(reason);
  });
});

const state = (o: Partial<ServerState>): ServerState => ({
  version: '1.0.0', transport: 'dual', port: 4242, host: '127.0.0.1', path: '/mcp', url: 'http://127.0.0.1:4242/mcp', pid: 10,
  started_at: 't', project: { name: 'p', root: '/p' }, ...o,
});

describe('untrustedStateReason', () => {
  test.each<[string, Partial<ServerState>, string | undefined]>([
    ['built from its own fields', {}, undefined],
    ['IPv6 loopback', { host: '::1', url: 'http://[::1]:4242/mcp' }, undefined],
    ['stdio only', { transport: 'stdio', port: null, url: null }, undefined],
    ['url to another port', { url: 'http://127.0.0.1:9999/mcp' }, 'is not http://127.0.0.1:4242/mcp'],
    ['url to another host', { url: 'http://evil.example:4242/mcp' }, 'is not http://127.0.0.1:4242/mcp'],
    ['url with userinfo', { url: 'http://127.0.0.1:4242@evil.example/mcp' }, 'is not'],
    ['non-loopback host', { host: '10.0.0.5', url: 'http://10.0.0.5:4242/mcp' }, 'not a loopback address'],
    ['a path that is not a plain path', { path: '/mcp?x=@evil', url: 'http://127.0.0.1:4242/mcp?x=@evil' }, 'not a plain URL path'],
    ['a url without a port', { port: null, url: 'http://127.0.0.1/mcp' }, 'but no port'],
  ])('%s', (_name, o, reason) => {
    const why = untrustedStateReason(state(o));
    if (reason === undefined) expect(why).toBeUndefined();
    else expect(why).toContain(reason);
  });
});

describe('isPraxisCommandLine / isPraxisProcess', () => {
  test.each<[string[], boolean]>([
    [['/usr/local/bin/praxis-mcp', 'serve'], true],
    [['./praxis-mcp-linux-x64', 'serve'], true],
    [['C:\\tools\\praxis-mcp.exe', 'serve'], true],
    [['bun', 'src/main.ts', 'serve'], true],
    [['deno', 'run', '-A', '/repo/src/main.ts', 'serve'], true],
    [['/sbin/init'], false],
    [['bun', 'test', 'fake-owner.ts'], false],
    [['python3', '-m', 'http.server'], false],
  ])('%j -> %p', (argv, expected) => {
    expect(isPraxisCommandLine(argv)).toBe(expected);
  });

  test('pid 1 is not one when its command line cannot be read; our own pid always is', () => {
    expect(isPraxisProcess(1, () => undefined)).toBe(false);
    expect(isPraxisProcess(1, () => ['/sbin/init'])).toBe(false);
    expect(isPraxisProcess(4242, () => undefined)).toBe(true);
    expect(isPraxisProcess(process.pid, () => ['anything'])).toBe(true);
  });
});

describe('tempWriterPid', () => {
  test.each<[string, number | undefined]>([
    ['..mcp_server_state.json.123.a1b2c3d4e5f6.tmp', 123],
    ['..mcp_server.lock.77.00ff00ff00ff.tmp', 77],
    ['..mcp_server.lock.break.9.abcdefabcdef.tmp', 9],
    ['.mcp_server_state.json', undefined],
    ['..other.json.123.a1b2.tmp', undefined],
    ['..mcp_server_state.json.x.a1b2.tmp', undefined],
  ])('%s -> %p', (name, pid) => {
    expect(tempWriterPid(name)).toBe(pid);
  });
});
