// The client matrix (issue 10): real MCP clients against the compiled binary, on stdio, on HTTP (with
// the token from the state file) and through a bridge (a second `serve --transport dual` for the same
// project, whose stdio is forwarded to the owner). Each client behaves as it does for a user: it
// initializes, lists tools first, validates outputs, then calls. Operations: every listed tool (a hit
// and a miss for search), resources/list, resources/read, an unknown tool, bad arguments, a missing
// resource. The tools come from the server's own list and the samples in test/helpers/tool-samples.ts,
// so a new tool joins the matrix by adding samples. The matrix is printed at the end.
import { afterAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CLIENTS,
  type ClientName,
  type MatrixClient,
  type Outcome,
  TRANSPORTS,
  type Target,
  type TransportName,
  connectSdk,
  inspectorClient,
} from '../helpers/matrix-clients.ts';
import { readJson, spawnBinary, waitFor } from '../helpers/process.ts';
import { exampleProject } from '../helpers/rpc-stdio.ts';
import { TOOL_SAMPLES, firstSample } from '../helpers/tool-samples.ts';

const TESTING_URI = 'praxis://standards/engineering/testing.md';
const MISSING_URI = 'praxis://standards/no-such-document.md';
const UNKNOWN_TOOL = 'no_such_tool';
const text = (result: any): string => result?.content?.map((c: { text?: string }) => c.text ?? '').join('\n') ?? '';

/** One operation of a cell: what it does, and what makes it pass (undefined) or fail (the reason). */
interface Operation {
  name: string;
  run(client: MatrixClient): Promise<Outcome>;
  check(outcome: Outcome): string | undefined;
}

const failed = (o: Outcome) => (o.ok ? undefined : `error ${o.code ?? ''}: ${o.message}`);

/** A tool call that must succeed: not an error, the expected text, hits or no hits as the sample says. */
function toolOperation(tool: string, outcome: 'ok' | 'hit' | 'miss'): Operation {
  const sample = firstSample(tool, outcome);
  const name = outcome === 'ok' ? tool : `${tool} ${outcome}`;
  return {
    name,
    run: (c) => (sample ? c.callTool(tool, sample.args) : Promise.resolve({ ok: false, code: undefined, message: `no '${outcome}' sample for ${tool}` })),
    check(o) {
      if (!o.ok) return failed(o);
      if (o.value.isError) return `isError: ${text(o.value).slice(0, 300)}`;
      if (sample?.expectText && !text(o.value).includes(sample.expectText)) return `text lacks "${sample.expectText}"`;
      const results = o.value.structuredContent?.results;
      if (outcome === 'hit' && !(results?.length > 0)) return 'no hits';
      if (outcome === 'miss' && !(Array.isArray(results) && results.length === 0)) return 'hits where none were expected';
      return undefined;
    },
  };
}

/** The operations of every cell, for the tools the server lists. */
function operations(listed: readonly string[]): Operation[] {
  const bad = Object.entries(TOOL_SAMPLES).flatMap(([tool, samples]) => samples.filter((s) => s.outcome === 'bad-arguments').map((s) => ({ tool, s })))[0]!;
  const badKey = Object.keys(bad.s.args).find((k) => k !== 'query') ?? 'query';
  const toolOps = listed.flatMap((tool) =>
    firstSample(tool, 'hit') && firstSample(tool, 'miss') ? [toolOperation(tool, 'hit'), toolOperation(tool, 'miss')] : [toolOperation(tool, 'ok')],
  );
  return [
    {
      name: 'tools/list',
      run: (c) => c.listTools(),
      check(o) {
        if (!o.ok) return failed(o);
        const names = o.value.tools.map((t: { name: string }) => t.name).sort();
        return JSON.stringify(names) === JSON.stringify([...listed].sort()) ? undefined : `listed ${names.join(', ')}`;
      },
    },
    ...toolOps,
    {
      name: 'resources/list',
      run: (c) => c.listResources(),
      check: (o) => failed(o) ?? (o.ok && o.value.resources.some((r: { uri: string }) => r.uri === TESTING_URI) ? undefined : `no ${TESTING_URI}`),
    },
    {
      name: 'resources/read',
      run: (c) => c.readResource(TESTING_URI),
      check: (o) => failed(o) ?? (o.ok && o.value.contents?.[0]?.text?.includes('## Flaky tests') ? undefined : 'not the document'),
    },
    {
      name: 'unknown tool',
      run: (c) => c.callTool(UNKNOWN_TOOL, {}),
      // The spec: -32602 for an unknown tool. The Inspector checks its tool list first and says so itself.
      check: (o) =>
        !o.ok && (o.code === -32602 || o.code === 'tool_not_found') && o.message.includes(UNKNOWN_TOOL)
          ? undefined
          : `expected -32602 naming ${UNKNOWN_TOOL}, got ${JSON.stringify(o).slice(0, 300)}`,
    },
    {
      name: 'bad arguments',
      run: (c) => c.callTool(bad.tool, bad.s.args),
      // A tool error result (2025-11-25: input validation errors are tool execution errors), or -32602; either names the argument.
      check(o) {
        const message = o.ok ? (o.value.isError ? text(o.value) : '') : o.code === -32602 ? o.message : '';
        return message.includes(badKey) ? undefined : `expected an error naming ${badKey}, got ${JSON.stringify(o).slice(0, 300)}`;
      },
    },
    {
      name: 'missing resource',
      run: (c) => c.readResource(MISSING_URI),
      check: (o) =>
        !o.ok && o.message.includes(MISSING_URI) && /not found/i.test(o.message)
          ? undefined
          : `expected a "not found" error naming the URI, got ${JSON.stringify(o).slice(0, 300)}`,
    },
  ];
}

// One project with a live owner serves the HTTP and bridge cells; stdio cells get a project of their own.
const stdioProject = exampleProject('praxis-matrix-stdio-');
const ownerProject = exampleProject('praxis-matrix-owner-');
const owner = spawnBinary(['serve', '--transport', 'dual', '--project', ownerProject.root, '--port', '0']);
const home = mkdtempSync(join(tmpdir(), 'praxis-matrix-home-'));
afterAll(async () => {
  owner.proc.stdin!.end();
  await owner.kill('SIGTERM');
  stdioProject.cleanup();
  ownerProject.cleanup();
  rmSync(home, { recursive: true, force: true });
});
const state = await waitFor(() => readJson(ownerProject.statePath)?.url && readJson(ownerProject.statePath), 'the owner state file', 15_000);

const targets: Record<TransportName, Target> = {
  stdio: { kind: 'spawn', args: ['serve', '--transport', 'stdio', '--project', stdioProject.root] },
  http: { kind: 'http', url: state.url, token: state.auth.token },
  bridge: { kind: 'spawn', args: ['serve', '--transport', 'dual', '--project', ownerProject.root] },
};
/** The tools the owner lists (a raw request: no client in between). */
async function listedTools(): Promise<string[]> {
  const response = await fetch(state.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${state.auth.token}` },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  });
  const body = await response.text();
  return JSON.parse(body.slice(body.indexOf('{'))).result.tools.map((t: { name: string }) => t.name);
}
const LISTED = await listedTools();
const OPERATIONS = operations(LISTED);

/** Verdicts by cell, for the table. */
const results = new Map<string, { version?: string; verdicts: Map<string, string | undefined> }>();
const cellKey = (client: ClientName, transport: TransportName) => `${client} | ${transport}`;

async function runCell(client: ClientName, transport: TransportName) {
  const verdicts = new Map<string, string | undefined>();
  const entry: { version?: string; verdicts: typeof verdicts } = { verdicts };
  results.set(cellKey(client, transport), entry);
  let c: MatrixClient;
  try {
    c = client === 'Inspector CLI' ? inspectorClient(targets[transport], home) : await connectSdk(client, targets[transport]);
  } catch (error) {
    for (const op of OPERATIONS) verdicts.set(op.name, `connect failed: ${(error as Error).message}`);
    return entry;
  }
  try {
    entry.version = c.protocolVersion();
    // tools/list first, as real clients do; the Inspector's other runs are independent processes.
    for (const op of OPERATIONS.slice(0, 1)) verdicts.set(op.name, op.check(await op.run(c)));
    const rest = OPERATIONS.slice(1);
    if (client === 'Inspector CLI') {
      for (let i = 0; i < rest.length; i += 3) {
        const batch = rest.slice(i, i + 3);
        const outcomes = await Promise.all(batch.map((op) => op.run(c)));
        batch.forEach((op, j) => verdicts.set(op.name, op.check(outcomes[j]!)));
      }
    } else {
      for (const op of rest) verdicts.set(op.name, op.check(await op.run(c)));
    }
  } finally {
    await c.close();
  }
  return entry;
}

describe.each(CLIENTS.map((c) => [c]))('%s', (client) => {
  test.each(TRANSPORTS.map((t) => [t]))(`on %s: every operation passes`, async (transport) => {
    const { verdicts } = await runCell(client as ClientName, transport as TransportName);
    const failures = [...verdicts].filter(([, why]) => why !== undefined).map(([op, why]) => `${op}: ${why}`);
    expect(failures).toEqual([]);
    expect(verdicts.size).toBe(OPERATIONS.length);
  }, 120_000);
});

test('every tool the server lists has sample calls for the matrix, and every sample names a listed tool', () => {
  expect(LISTED.length).toBeGreaterThan(0);
  expect(LISTED.filter((tool) => !firstSample(tool, 'ok') && !(firstSample(tool, 'hit') && firstSample(tool, 'miss')))).toEqual([]);
  expect(Object.keys(TOOL_SAMPLES).filter((tool) => !LISTED.includes(tool))).toEqual([]);
});

afterAll(() => {
  const cols = OPERATIONS.map((op) => op.name);
  const header = ['client', 'transport', 'protocol', ...cols];
  const rows = CLIENTS.flatMap((client) =>
    TRANSPORTS.map((transport) => {
      const entry = results.get(cellKey(client, transport));
      const cells = cols.map((op) => (!entry?.verdicts.has(op) ? '-' : entry.verdicts.get(op) === undefined ? 'pass' : 'FAIL'));
      return [client, transport, entry?.version ?? '?', ...cells];
    }),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  const out = [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)];
  const passed = [...results.values()].flatMap((e) => [...e.verdicts.values()]).filter((v) => v === undefined).length;
  const total = CLIENTS.length * TRANSPORTS.length * OPERATIONS.length;
  console.log(`\nclient matrix (${passed}/${total} operations pass):\n${out.join('\n')}`);
  for (const [cell, entry] of results) {
    for (const [op, why] of entry.verdicts) if (why !== undefined) console.log(`  FAIL ${cell} | ${op}: ${why}`);
  }
});
