// JSON-RPC errors as the spec says, the same on stdio and HTTP (issue 10): a message that is not JSON
// gets -32700 and one that is not JSON-RPC -32600, both with id null; params the spec refuses get
// -32602 with a readable message (never -32603 with zod's issue list); any pagination cursor gets
// -32602 (this server hands out none); an unsupported MCP-Protocol-Version header always gets the
// same 400 answer, whatever the method and body.
import { afterAll, describe, expect, test } from 'bun:test';
import { readJson, spawnBinary, waitFor } from '../helpers/process.ts';
import { exampleProject } from '../helpers/rpc-stdio.ts';

// One dual server: its stdio and its HTTP endpoint answer the same requests.
const project = exampleProject('praxis-rpc-errors-');
const server = spawnBinary(['serve', '--transport', 'dual', '--port', '0', '--project', project.root]);
afterAll(async () => {
  server.proc.stdin!.end();
  await server.kill('SIGTERM');
  project.cleanup();
});
const state = await waitFor(() => readJson(project.statePath)?.url && readJson(project.statePath), 'the state file', 15_000);

const stdoutMessages = () =>
  server
    .stdout()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
const sendLine = (line: string) => server.proc.stdin!.write(`${line}\n`);
sendLine(JSON.stringify({ jsonrpc: '2.0', id: 'init', method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'errors', version: '1' } } }));
sendLine('{"jsonrpc":"2.0","method":"notifications/initialized"}');
await waitFor(() => stdoutMessages().some((m) => m.id === 'init'), 'initialize over stdio');

/** The reply over stdio to `line`: the next message with `id` (for id null: the next unanswerable one). */
async function viaStdio(line: string, id: unknown) {
  const before = stdoutMessages().filter((m) => m.id === id).length;
  sendLine(line);
  return waitFor(() => stdoutMessages().filter((m) => m.id === id)[before], `the stdio reply to ${line}`);
}

async function post(body: string, headers: Record<string, string> = {}, method = 'POST') {
  const response = await fetch(state.url, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${state.auth.token}`, ...headers },
    body: method === 'POST' ? body : undefined,
  });
  const text = await response.text();
  // An SSE reply carries the message in its data line.
  const json = text.startsWith('event:') ? text.slice(text.indexOf('data: ') + 6) : text;
  return { status: response.status, type: response.headers.get('content-type'), body: JSON.parse(json) };
}

describe('the same error on stdio and HTTP', () => {
  test.each<[string, string, unknown, number, RegExp]>([
    ['not JSON', '{not json', null, -32700, /^Parse error: /],
    ['JSON that is not JSON-RPC', '{"hello":1}', null, -32600, /not a valid JSON-RPC message/],
    ['resources/read without uri', '{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{}}', 1, -32602, /^Invalid params for resources\/read: uri: /],
    ['resources/read with a number as uri', '{"jsonrpc":"2.0","id":2,"method":"resources/read","params":{"uri":5}}', 2, -32602, /^Invalid params for resources\/read: uri: /],
    ['tools/call without name', '{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{}}', 3, -32602, /^Invalid params for tools\/call: name: /],
    ['tools/list with a cursor', '{"jsonrpc":"2.0","id":4,"method":"tools/list","params":{"cursor":"abc"}}', 4, -32602, /invalid cursor/],
    ['resources/list with a cursor', '{"jsonrpc":"2.0","id":5,"method":"resources/list","params":{"cursor":"abc"}}', 5, -32602, /invalid cursor/],
    ['resources/templates/list with a cursor', '{"jsonrpc":"2.0","id":6,"method":"resources/templates/list","params":{"cursor":"abc"}}', 6, -32602, /invalid cursor/],
  ])('%s', async (_name, line, id, code, message) => {
    const stdio = await viaStdio(line, id);
    const http = await post(line);
    for (const reply of [stdio, http.body]) {
      expect({ jsonrpc: reply.jsonrpc, id: reply.id, code: reply.error?.code }).toEqual({ jsonrpc: '2.0', id, code });
      expect(reply.error.message).toMatch(message);
      expect(reply.error.message).not.toContain('"code"'); // no raw validation dump
    }
    // Both run the same code for params: the same words too.
    if (code === -32602) expect(http.body.error.message).toBe(stdio.error.message);
  });

  test('the session goes on after every error', async () => {
    const reply = await viaStdio('{"jsonrpc":"2.0","id":"after","method":"tools/call","params":{"name":"current_date","arguments":{}}}', 'after');
    expect(reply.result.structuredContent.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('an unsupported MCP-Protocol-Version header', () => {
  const header = { 'mcp-protocol-version': '1999-01-01' };
  const cases: [string, string, string][] = [
    ['POST initialize', 'POST', '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"x","version":"1"}}}'],
    ['POST tools/list', 'POST', '{"jsonrpc":"2.0","id":1,"method":"tools/list"}'],
    ['POST server/discover', 'POST', '{"jsonrpc":"2.0","id":1,"method":"server/discover"}'],
    ['POST a notification', 'POST', '{"jsonrpc":"2.0","method":"notifications/initialized"}'],
    ['POST a batch', 'POST', '[{"jsonrpc":"2.0","id":1,"method":"ping"}]'],
    ['POST not JSON', 'POST', '{not json'],
    ['GET', 'GET', ''],
    ['DELETE', 'DELETE', ''],
  ];

  test('always gets one and the same 400 answer (the request id echoed when there is one)', async () => {
    const answers = await Promise.all(cases.map(([, method, body]) => post(body, header, method)));
    const first = answers[0]!;
    expect(first.status).toBe(400);
    expect(first.body.error).toEqual({
      code: -32022,
      message: expect.stringContaining('Unsupported protocol version: 1999-01-01 (supported versions: 2026-07-28, 2025-11-25'),
      data: { supported: expect.arrayContaining(['2026-07-28', '2025-11-25', '2024-11-05']), requested: '1999-01-01' },
    });
    for (const [i, answer] of answers.entries()) {
      expect({ case: cases[i]![0], status: answer.status, type: answer.type, error: answer.body.error }).toEqual({
        case: cases[i]![0],
        status: 400,
        type: first.type,
        error: first.body.error,
      });
      expect(answer.body.id).toBe(cases[i]![2].startsWith('{"jsonrpc":"2.0","id":1') ? 1 : null);
    }
  });

  test('the versions it lists as supported are the ones the server negotiates', async () => {
    const { body } = await post('{"jsonrpc":"2.0","id":1,"method":"tools/list"}', header);
    const discover = await post(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 2,
        method: 'server/discover',
        params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 'x', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': {} } },
      }),
      { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'server/discover' },
    );
    const modern: string[] = discover.body.result.supportedVersions;
    expect(modern.length).toBeGreaterThan(0);
    expect(body.error.data.supported.slice(0, modern.length)).toEqual(modern);
  });
});
