// Discovery and access: the token comes from the 0600 state file; PRAXIS_MCP_TOKEN pins it;
// --no-auth turns it off; a second server for an owned project in http mode fails clearly (issue 3).
import { expect, test } from 'bun:test';
import { statSync } from 'node:fs';
import { connectHttp } from '../helpers/clients.ts';
import { readJson, runBinary, spawnBinary, tempProject, waitFor } from '../helpers/process.ts';

async function withServer(extra: string[], env: Record<string, string>, body: (state: any) => Promise<void>) {
  const project = tempProject();
  const server = spawnBinary(['serve', '--transport', 'http', '--port', '0', '--project', project.root, ...extra], { env });
  try {
    await body(await waitFor(() => readJson(project.statePath), 'the state file'));
  } finally {
    await server.kill('SIGTERM');
    project.cleanup();
  }
}

test('a random token per start, at least 128 bits, readable only by the owner', async () => {
  const tokens: string[] = [];
  for (let i = 0; i < 2; i++) {
    await withServer([], {}, async (state) => {
      expect(state.auth.type).toBe('bearer');
      expect(Buffer.from(state.auth.token, 'base64url').length).toBeGreaterThanOrEqual(16);
      tokens.push(state.auth.token);
      const health = await (await fetch(`http://127.0.0.1:${state.port}/health`)).text();
      expect(health).not.toContain(state.auth.token);
    });
  }
  expect(tokens[0]).not.toBe(tokens[1]);
});

test('PRAXIS_MCP_TOKEN pins the token: a fixed editor config keeps working', async () => {
  await withServer([], { PRAXIS_MCP_TOKEN: 'pinned-token-for-tests-0123456789' }, async (state) => {
    expect(state.auth.token).toBe('pinned-token-for-tests-0123456789');
    const client = await connectHttp('v2', state.url, 'pinned-token-for-tests-0123456789');
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();
  });
});

test('--no-auth: auth is null and a client needs no token', async () => {
  await withServer(['--no-auth'], {}, async (state) => {
    expect(state.auth).toBeNull();
    const client = await connectHttp('v1', state.url, null);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();
  });
});

test('without the token a real client is refused; with it, it works; the file is 0600', async () => {
  await withServer([], {}, async (state) => {
    expect(statSync(`${state.project.root}/.praxis-os/.mcp_server_state.json`).mode & 0o777).toBe(0o600);
    await expect(connectHttp('v2', state.url, null)).rejects.toThrow();
    await expect(connectHttp('v2', state.url, 'wrong')).rejects.toThrow();
    const client = await connectHttp('v2', state.url, state.auth.token);
    expect((await client.callTool({ name: 'current_date', arguments: {} })).isError).toBeFalsy();
    await client.close();
  });
});

test.each([['http', []], ['dual', ['--on-conflict', 'fail']]])(
  'a second %s server for an owned project exits 1 naming the owner\'s pid and URL',
  async (transport, extra) => {
    await withServer([], {}, async (state) => {
      const second = await runBinary(['serve', '--transport', transport, '--port', '0', ...extra, '--project', state.project.root]);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`pid ${state.pid}`);
      expect(second.stderr).toContain(state.url);
      expect(readJson(`${state.project.root}/.praxis-os/.mcp_server_state.json`).instance_id).toBe(state.instance_id);
    });
  },
);
