// Guarantee: concurrent writers of one state file never fail and readers never see partial or
// invalid JSON (the original's writers failed with FileNotFoundError). Real processes, real files.
import { expect, test } from 'bun:test';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { writeState } from '../../src/state/state-file.ts';
import { tempProject } from '../helpers/process.ts';

const WRITERS = 4;
const READERS = 4;
const DURATION_MS = 3000;
const script = join(import.meta.dirname, '..', 'fixtures', 'state-stress.ts');

function run(role: 'writer' | 'reader', path: string): Promise<{ ops: number; errors: number; invalid: number; missing: number; firstError: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, role, path, String(DURATION_MS)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${role} exited ${code}`))));
  });
}

test(`${WRITERS} writer and ${READERS} reader processes for ${DURATION_MS / 1000} s: 0 writer errors, 0 invalid reads`, async () => {
  const project = tempProject({ prefix: 'praxis-stress-' });
  try {
    const path = join(project.praxisDir, '.mcp_server_state.json');
    await writeState(path, {
      version: '1.0.0', transport: 'stdio', port: null, host: '127.0.0.1', path: '/mcp', url: null,
      pid: process.pid, started_at: new Date().toISOString(), project: { name: 'stress', root: project.root },
    });
    const results = await Promise.all([
      ...Array.from({ length: WRITERS }, () => run('writer', path)),
      ...Array.from({ length: READERS }, () => run('reader', path)),
    ]);
    const writers = results.slice(0, WRITERS);
    const readers = results.slice(WRITERS);
    const sum = (rs: typeof results, k: 'ops' | 'errors' | 'invalid' | 'missing') => rs.reduce((n, r) => n + r[k], 0);
    console.log(
      `state file stress: ${sum(writers, 'ops')} writes, ${sum(writers, 'errors')} writer errors; ` +
        `${sum(readers, 'ops')} reads, ${sum(readers, 'invalid')} invalid, ${sum(readers, 'missing')} missing, ${sum(readers, 'errors')} reader errors`,
    );
    expect(writers.map((w) => w.firstError).filter(Boolean)).toEqual([]);
    expect(sum(writers, 'errors')).toBe(0);
    expect(sum(readers, 'invalid')).toBe(0);
    expect(sum(readers, 'missing')).toBe(0);
    expect(sum(readers, 'errors')).toBe(0);
    expect(sum(writers, 'ops')).toBeGreaterThan(100);
    expect(sum(readers, 'ops')).toBeGreaterThan(100);
    // No temp file outlives its write.
    const leftovers = [...new Bun.Glob('.*.tmp').scanSync({ cwd: project.praxisDir, dot: true })];
    expect(leftovers).toEqual([]);
  } finally {
    project.cleanup();
  }
}, 30_000);
