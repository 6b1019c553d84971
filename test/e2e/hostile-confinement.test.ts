// A cloned repository cannot make praxis-mcp read outside the project (issue 11, confinement).
// Each case plants a symlink in a temp project that points at a "secret" Markdown file or folder
// outside it, starts the compiled binary with a real MCP client over stdio, and asserts what the
// client receives (no secret in search, resources/list or resources/read), the warning on stderr
// naming the link and its target, and the count in get_server_info.
import { afterEach, describe, expect, test } from 'bun:test';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectStdio } from '../helpers/clients.ts';
import { runBinary } from '../helpers/process.ts';

const SECRET = 'zebrafinchsecret';
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A temp folder with `project/.praxis-os/standards/ok.md` and `outside/secret.md` (+ `outside/notes/`). */
function world() {
  const base = realpathSync(mkdtempSync(join(tmpdir(), 'praxis-hostile-')));
  cleanups.push(() => rmSync(base, { recursive: true, force: true }));
  const root = join(base, 'project');
  const praxisDir = join(root, '.praxis-os');
  const standards = join(praxisDir, 'standards');
  const outside = join(base, 'outside');
  mkdirSync(standards, { recursive: true });
  mkdirSync(join(outside, 'notes'), { recursive: true });
  writeFileSync(join(standards, 'ok.md'), '# Ok\n\n## Testing\nplain project standard about testing\n');
  writeFileSync(join(outside, 'secret.md'), `# Secret\n\n## Key\n${SECRET} private key material\n`);
  writeFileSync(join(outside, 'notes', 'secret.md'), `# Notes\n\n## Key\n${SECRET} in a folder\n`);
  return { base, root, praxisDir, standards, outside };
}

/** Starts the binary over stdio with a v2 client; returns it with helpers for what a client sees. */
async function serve(root: string) {
  const client = (await connectStdio('v2', ['serve', '--transport', 'stdio', '--project', root])) as any;
  cleanups.push(() => client.close());
  const search = async (query: string) => JSON.stringify((await client.callTool({ name: 'search_standards', arguments: { query, n_results: 50 } })).content);
  const info = async () => JSON.parse((await client.callTool({ name: 'get_server_info', arguments: {} })).content[0].text);
  // The documents served as resources (the workflow resources of issue 14 are listed too, and are not documents).
  const uris = async () => ((await client.listResources()).resources as { uri: string }[]).map((r) => r.uri).filter((u) => !u.startsWith('praxis://workflows')).sort();
  return { client, search, info, uris, stderr: () => client.stderr() as string };
}

/** The warning lines on stderr that refuse `path`. */
const refusals = (stderr: string, path: string) => stderr.split('\n').filter((l) => l.includes(' warn') && l.includes(`refusing ${path}`));

describe('confinement to the project root (compiled binary, real client)', () => {
  test('a *.md symlink to a file outside is not indexed, listed or readable; logged once; counted', async () => {
    const w = world();
    const link = join(w.standards, 'shadow.md');
    symlinkSync(join(w.outside, 'secret.md'), link);
    const s = await serve(w.root);
    expect(await s.search('private key material folder')).not.toContain(SECRET);
    expect(await s.search('testing')).toContain('plain project standard');
    expect(await s.uris()).toEqual(['praxis://standards/ok.md']);
    await expect(s.client.readResource({ uri: 'praxis://standards/shadow.md' })).rejects.toThrow();
    const info = await s.info();
    expect(info.capabilities.standards_index.refused_files).toBe(1);
    const lines = refusals(s.stderr(), link);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(join(w.outside, 'secret.md'));
    // A rebuild does not log it again.
    await s.client.callTool({ name: 'search_standards', arguments: { query: 'again' } });
    expect(refusals(s.stderr(), link)).toHaveLength(1);
  });

  test('a standards folder that is a symlink to a folder outside is refused whole', async () => {
    const w = world();
    rmSync(w.standards, { recursive: true });
    symlinkSync(join(w.outside, 'notes'), w.standards);
    const s = await serve(w.root);
    expect(await s.search('private key material folder')).not.toContain(SECRET);
    expect(await s.uris()).toEqual([]);
    await expect(s.client.readResource({ uri: 'praxis://standards/secret.md' })).rejects.toThrow();
    expect((await s.info()).capabilities.standards_index.refused_files).toBe(1);
    const lines = refusals(s.stderr(), w.standards);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(join(w.outside, 'notes'));
  });

  test('a standards.extra_paths entry that is a symlink out of the project is refused', async () => {
    const w = world();
    symlinkSync(join(w.outside, 'notes'), join(w.root, 'docs'));
    writeFileSync(join(w.praxisDir, 'config.json'), JSON.stringify({ standards: { extra_paths: ['docs'] } }));
    const s = await serve(w.root);
    expect(await s.search('private key material folder')).not.toContain(SECRET);
    expect(await s.uris()).toEqual(['praxis://standards/ok.md']);
    await expect(s.client.readResource({ uri: 'praxis://docs/secret.md' })).rejects.toThrow();
    expect((await s.info()).capabilities.standards_index.refused_files).toBe(1);
    expect(refusals(s.stderr(), join(w.root, 'docs'))[0]).toContain(join(w.outside, 'notes'));
  });

  test('a file under a folder on the way that links out is refused, naming that folder link', async () => {
    const w = world();
    // standards/sub is a link out; the walk does not descend into folder links, and an extra path
    // through it must not either.
    symlinkSync(w.outside, join(w.standards, 'sub'));
    writeFileSync(join(w.praxisDir, 'config.json'), JSON.stringify({ standards: { extra_paths: ['.praxis-os/standards/sub/notes'] } }));
    const s = await serve(w.root);
    expect(await s.search('private key material folder')).not.toContain(SECRET);
    expect(await s.uris()).toEqual(['praxis://standards/ok.md']);
    const line = refusals(s.stderr(), join(w.standards, 'sub', 'notes'))[0];
    expect(line).toContain(`through ${join(w.standards, 'sub')}`);
  });

  test('links inside the project that resolve inside the project still work', async () => {
    const w = world();
    mkdirSync(join(w.root, 'guides'));
    writeFileSync(join(w.root, 'guides', 'style.md'), '# Style\n\n## Naming\nquokkastyle naming rules\n');
    symlinkSync(join(w.root, 'guides', 'style.md'), join(w.standards, 'style.md'));
    symlinkSync(join(w.root, 'guides'), join(w.root, 'docs'));
    writeFileSync(join(w.praxisDir, 'config.json'), JSON.stringify({ standards: { extra_paths: ['docs'] } }));
    const s = await serve(w.root);
    expect(await s.search('quokkastyle')).toContain('quokkastyle');
    expect(await s.uris()).toEqual(['praxis://docs/style.md', 'praxis://standards/ok.md', 'praxis://standards/style.md']);
    const read = await s.client.readResource({ uri: 'praxis://standards/style.md' });
    expect(read.contents[0].text).toContain('quokkastyle');
    expect((await s.info()).capabilities.standards_index.refused_files).toBe(0);
    expect(s.stderr()).not.toContain('refusing');
  });

  test('a config.json that is a symlink out of the project is not read', async () => {
    const w = world();
    writeFileSync(join(w.outside, 'config.json'), JSON.stringify({ standards: { extra_paths: ['../outside/notes'] } }));
    symlinkSync(join(w.outside, 'config.json'), join(w.praxisDir, 'config.json'));
    const s = await serve(w.root);
    expect(await s.uris()).toEqual(['praxis://standards/ok.md']);
    expect(refusals(s.stderr(), join(w.praxisDir, 'config.json'))[0]).toContain(join(w.outside, 'config.json'));
  });

  test('a .praxis-os that is a symlink out of the project is refused with a clear error, and nothing is written there', async () => {
    const w = world();
    const elsewhere = join(w.base, 'elsewhere');
    mkdirSync(join(elsewhere, 'standards'), { recursive: true });
    rmSync(w.praxisDir, { recursive: true });
    symlinkSync(elsewhere, w.praxisDir);
    for (const args of [['serve', '--transport', 'dual', '--port', '0'], ['status'], ['url'], ['call', 'current_date']]) {
      const r = await runBinary([...args, '--project', w.root], { timeoutMs: 10_000 });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`resolves to ${elsewhere}, outside the project`);
      expect(r.stdout).not.toContain(SECRET);
    }
    expect(readdirSync(elsewhere)).toEqual(['standards']);
    expect(existsSync(join(w.root, '.praxis-os', '.mcp_server.lock'))).toBe(false);
  });
});

describe('init writes nothing outside the project', () => {
  test('init refuses a .praxis-os link, a standards link and a .gitignore link out of the project', async () => {
    const w = world();
    // .praxis-os itself a link out
    rmSync(w.praxisDir, { recursive: true });
    const elsewhere = join(w.base, 'elsewhere');
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, w.praxisDir);
    let r = await runBinary(['init', '--project', w.root]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`resolves to ${elsewhere}, outside the project`);
    expect(readdirSync(elsewhere)).toEqual([]);
    // standards/ a link out
    rmSync(w.praxisDir);
    mkdirSync(w.praxisDir);
    symlinkSync(elsewhere, join(w.praxisDir, 'standards'));
    r = await runBinary(['init', '--project', w.root]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`it resolves to ${elsewhere}`);
    expect(readdirSync(elsewhere)).toEqual([]);
    // .gitignore a link to a file out of the project: not appended to
    rmSync(join(w.praxisDir, 'standards'));
    writeFileSync(join(elsewhere, 'profile'), 'keep me\n');
    symlinkSync(join(elsewhere, 'profile'), join(w.praxisDir, '.gitignore'));
    r = await runBinary(['init', '--project', w.root]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`resolves to ${join(elsewhere, 'profile')}`);
    expect(readFileSync(join(elsewhere, 'profile'), 'utf8')).toBe('keep me\n');
  });
});

describe('no command from the repository runs', () => {
  test("get_server_info's git status does not run a core.fsmonitor command set in the project's .git/config", async () => {
    const w = world();
    const marker = join(w.base, 'PWNED');
    const hook = join(w.base, 'hook.sh');
    writeFileSync(hook, `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
    const git = (...args: string[]) => spawnSync('git', ['-C', w.root, ...args], { encoding: 'utf8' });
    if (git('init', '-q').status !== 0) {
      console.log('skipped: git is not available');
      return;
    }
    git('config', 'core.fsmonitor', hook);
    const s = await serve(w.root);
    const info = await s.info();
    expect(info.project.git.dirty).toBe(true);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('the project database stays inside the project (compiled binary)', () => {
  test('a .cache folder linking out: search still answers (from memory), nothing is written outside, the warning says why', async () => {
    const w = world();
    const away = join(w.base, 'away-cache');
    mkdirSync(away);
    symlinkSync(away, join(w.praxisDir, '.cache'));
    const s = await serve(w.root);
    expect(await s.search('testing')).toContain('plain project standard');
    expect(readdirSync(away)).toEqual([]);
    expect(s.stderr()).toContain('Cannot open the project database');
    expect(s.stderr()).toContain(away);
    const wf = await runBinary(['call', 'pos_workflow', 'action=list_sessions', '--project', w.root]);
    expect(wf.stdout + wf.stderr).toContain('Cannot open the project database');
    expect(readdirSync(away)).toEqual([]);
  });

  test('a dangling praxis.db link is never written through', async () => {
    const w = world();
    mkdirSync(join(w.praxisDir, '.cache'));
    const target = join(w.base, 'planted.db');
    symlinkSync(target, join(w.praxisDir, '.cache', 'praxis.db'));
    const s = await serve(w.root);
    expect(await s.search('testing')).toContain('plain project standard');
    expect(existsSync(target)).toBe(false);
    expect(s.stderr()).toContain('is a symbolic link');
  });
});
