// install.sh against a local stand-in for the release (an HTTP server on 127.0.0.1, or file://):
// OS/CPU detection (through a fake `uname` on PATH), checksum verification, refusal on mismatch.
// Never touches the network. Skipped on Windows, which the script does not serve.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers/process.ts';

const windows = process.platform === 'win32';
const ASSETS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64'];
const work = mkdtempSync(join(tmpdir(), 'praxis-install-'));
let server: Server | undefined;
let httpBase = '';

/** A release folder whose "binaries" are scripts printing their target, plus SHA256SUMS. */
function makeRelease(dir: string, corrupt?: string): string {
  mkdirSync(dir, { recursive: true });
  const lines = ASSETS.map((target) => {
    const body = `#!/bin/sh\necho "praxis-mcp ${target}"\n`;
    writeFileSync(join(dir, `praxis-mcp-${target}`), body);
    const sha = createHash('sha256').update(target === corrupt ? `${body}tampered` : body).digest('hex');
    return `${sha}  praxis-mcp-${target}`;
  });
  writeFileSync(join(dir, 'SHA256SUMS'), `${lines.join('\n')}\n`);
  return dir;
}

/** A bin folder with a `uname` that reports the given OS and CPU. */
function fakeUname(os: string, cpu: string): string {
  const dir = mkdtempSync(join(work, 'bin-'));
  writeFileSync(join(dir, 'uname'), `#!/bin/sh\ncase "$1" in -s) echo ${os} ;; -m) echo ${cpu} ;; *) echo ${os} ;; esac\n`);
  chmodSync(join(dir, 'uname'), 0o755);
  return dir;
}

function runInstall(env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', [join(ROOT, 'install.sh'), ...args], {
      env: { HOME: work, ...env, PATH: `${env.FAKE_BIN}:${process.env.PATH}` },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

beforeAll(async () => {
  if (windows) return;
  makeRelease(join(work, 'release'));
  makeRelease(join(work, 'tampered'), 'linux-x64');
  server = createServer((req, res) => {
    const file = join(work, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    if (!file.startsWith(work) || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  httpBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(windows)('install.sh', () => {
  test.each([
    ['Linux', 'x86_64', 'linux-x64'],
    ['Linux', 'aarch64', 'linux-arm64'],
    ['Darwin', 'x86_64', 'darwin-x64'],
    ['Darwin', 'arm64', 'darwin-arm64'],
  ])('%s %s installs praxis-mcp-%s after verifying it', async (os, cpu, target) => {
    const prefix = mkdtempSync(join(work, 'prefix-'));
    const result = await runInstall({ FAKE_BIN: fakeUname(os, cpu), PRAXIS_MCP_BASE_URL: `${httpBase}/release` }, ['--prefix', prefix]);
    expect(result.stderr).toContain(`installed praxis-mcp praxis-mcp ${target}`);
    expect(result.code).toBe(0);
    expect(readFileSync(join(prefix, 'bin', 'praxis-mcp'), 'utf8')).toBe(readFileSync(join(work, 'release', `praxis-mcp-${target}`), 'utf8'));
  });

  test.each([
    ['FreeBSD', 'amd64', 'unsupported OS FreeBSD'],
    ['Linux', 'i686', 'unsupported CPU i686'],
  ])('%s %s is refused', async (os, cpu, message) => {
    const prefix = mkdtempSync(join(work, 'prefix-'));
    const result = await runInstall({ FAKE_BIN: fakeUname(os, cpu), PRAXIS_MCP_BASE_URL: `${httpBase}/release` }, ['--prefix', prefix]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(existsSync(join(prefix, 'bin'))).toBe(false);
  });

  test('a checksum mismatch refuses to install and leaves the installed binary alone', async () => {
    const prefix = mkdtempSync(join(work, 'prefix-'));
    mkdirSync(join(prefix, 'bin'));
    writeFileSync(join(prefix, 'bin', 'praxis-mcp'), 'previous version');
    const result = await runInstall({ FAKE_BIN: fakeUname('Linux', 'x86_64'), PRAXIS_MCP_BASE_URL: `${httpBase}/tampered`, PRAXIS_MCP_PREFIX: prefix });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('checksum mismatch for praxis-mcp-linux-x64');
    expect(readFileSync(join(prefix, 'bin', 'praxis-mcp'), 'utf8')).toBe('previous version');
  });

  test('a base URL without the release files installs nothing', async () => {
    const prefix = mkdtempSync(join(work, 'prefix-'));
    const missing = await runInstall({ FAKE_BIN: fakeUname('Linux', 'x86_64'), PRAXIS_MCP_BASE_URL: `${httpBase}/nowhere` }, ['--prefix', prefix]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('cannot download');
    expect(existsSync(join(prefix, 'bin', 'praxis-mcp'))).toBe(false);
  });

  test('a file:// base URL works (PRAXIS_MCP_PREFIX from the environment)', async () => {
    const prefix = mkdtempSync(join(work, 'prefix-'));
    const base = pathToFileURL(join(work, 'release')).href;
    const result = await runInstall({ FAKE_BIN: fakeUname('Darwin', 'arm64'), PRAXIS_MCP_BASE_URL: base, PRAXIS_MCP_PREFIX: prefix });
    expect(result.code).toBe(0);
    expect(existsSync(join(prefix, 'bin', 'praxis-mcp'))).toBe(true);
  });
});
