// `npm start --silent`, as the README's quick start runs it (issue 10): it serves the example
// project over stdio until stdin closes, and stdout, the JSON-RPC channel, carries JSON-RPC only:
// no npm banner (`> praxis-mcp@0.1.0 start`), no log line.
import { expect, test } from 'bun:test';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, waitFor } from '../helpers/process.ts';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

test('the start script serves the example project in dual mode', () => {
  expect(pkg.scripts.start).toMatch(/\bserve --transport dual --project example\b/);
});

test('npm start --silent: stdout carries JSON-RPC only, and the server exits 0 when stdin closes', async () => {
  const child = spawn(npm, ['start', '--silent'], {
    cwd: ROOT,
    env: { ...process.env, PRAXIS_MCP_TOKEN: undefined, npm_config_loglevel: undefined },
    stdio: ['pipe', 'pipe', 'pipe'],
    shell: process.platform === 'win32',
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const send = (message: object) => child.stdin.write(`${JSON.stringify(message)}\n`);
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    await waitFor(() => out.includes('"id":2'), `the tools/list reply on stdout (stderr: ${err})`, 30_000);
    child.stdin.end();
    expect(await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running'), 15_000))])).toBe(0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  const lines = out.split('\n').filter((line) => line !== '');
  expect(lines.length).toBe(2);
  for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
  expect(lines.map((line) => JSON.parse(line).id)).toEqual([1, 2]);
  expect(out).not.toContain('> praxis-mcp@');
  // The logs went where they belong.
  expect(err).toContain('praxis-mcp');
}, 60_000);
