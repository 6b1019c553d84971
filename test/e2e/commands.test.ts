// status, url, call and stop find the server through the state file and /health alone (issue 3).
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { type Spawned, type TempProject, readJson, runBinary, spawnBinary, tempProject, waitFor } from '../helpers/process.ts';

describe('with no server running', () => {
  let project: TempProject;
  beforeAll(() => void (project = tempProject()));
  afterAll(() => project.cleanup());

  test('status says not running and exits 3', async () => {
    const r = await runBinary(['status', '--project', project.root]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('not running');
  });

  test('url exits 3 with a next step', async () => {
    const r = await runBinary(['url', '--project', project.root]);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('praxis-mcp serve');
  });

  test('call starts the server in-process for the one call and leaves nothing behind', async () => {
    const r = await runBinary(['call', 'get_server_info', '--json', '--project', project.root]);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout).structuredContent;
    expect(info.project.root).toBe(project.root);
    expect(info.server.pid).not.toBe(process.pid);
    expect(readJson(project.statePath)).toBeUndefined();
  });

  test('stop exits 3: nothing to stop', async () => {
    const r = await runBinary(['stop', '--project', project.root]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('nothing to stop');
  });
});

describe('with a server running', () => {
  let project: TempProject;
  let server: Spawned;
  let state: any;
  beforeAll(async () => {
    project = tempProject();
    server = spawnBinary(['serve', '--transport', 'http', '--port', '0', '--project', project.root]);
    state = await waitFor(() => readJson(project.statePath), 'the state file');
  });
  afterAll(async () => {
    await server.kill('SIGTERM');
    project.cleanup();
  });

  test('status --json names pid, url, transport, uptime and instance, and exits 0', async () => {
    const r = await runBinary(['status', '--json', '--project', project.root]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ status: 'running', pid: server.pid, url: state.url, transport: 'http', instance_id: state.instance_id });
    expect(s.uptime_seconds).toBeGreaterThanOrEqual(0);
    expect(s.requests).toMatchObject({ stdio: 0 });
  });

  test('status finds the project from the working directory too', async () => {
    const r = await runBinary(['status'], { cwd: project.root, env: { PRAXIS_MCP_PROJECT: undefined, AGENT_OS_BASE_PATH: undefined } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`pid ${server.pid}`);
  });

  test('url prints the live URL', async () => {
    const r = await runBinary(['url', '--project', project.root]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${state.url}\n`);
  });

  test('call goes to the live server (its counters move) and prints text', async () => {
    const r = await runBinary(['call', 'get_server_info', '--project', project.root]);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.server.instance_id).toBe(state.instance_id);
    expect(info.requests.http).toBeGreaterThan(0);
  });

  test.each([
    [['current_date'], 0, /UTC|\d{4}-\d{2}-\d{2}/],
    [['current_date', '--args', '{}'], 0, /\d{4}-\d{2}-\d{2}/],
    [['no_such_tool'], 2, /Unknown tool "no_such_tool". Tools: get_server_info, current_date, search_standards/],
    [['current_date', '--args', '[1]'], 2, /JSON object/],
    [['current_date', 'stray'], 2, /key=value/],
  ])('call %p exits %d', async (words, code, pattern) => {
    const r = await runBinary(['call', ...words, '--project', project.root]);
    expect(r.code).toBe(code);
    expect(`${r.stdout}${r.stderr}`).toMatch(pattern);
  });

  test('stop asks the owner to exit, waits for it, and the state file is gone', async () => {
    const r = await runBinary(['stop', '--project', project.root]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`pid ${server.pid}`);
    expect(await server.exited).toBe(0);
    expect(readJson(project.statePath)).toBeUndefined();
  });
});
