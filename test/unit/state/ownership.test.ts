import { describe, expect, test } from 'bun:test';
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { silentLogger } from '../../../src/log.ts';
import { breakStaleLock, createExclusive, parseLock } from '../../../src/state/lock.ts';
import { type HolderVerdict, claimProject, judgeHolder } from '../../../src/state/ownership.ts';
import { tempProject } from '../../helpers/process.ts';

const base = { lockValid: true, pidAlive: true, announced: true, health: 'match' as const, lockAgeMs: 100, graceMs: 5000 };

describe('judgeHolder', () => {
  test.each<[string, Partial<Parameters<typeof judgeHolder>[0]>, HolderVerdict]>([
    ['announced and /health agrees', {}, 'live'],
    ['announced over stdio only (no port to ask)', { health: 'none' }, 'live'],
    ['announced, /health times out (frozen, SIGSTOP)', { health: 'timeout' }, 'unresponsive'],
    ['pid alive but not a praxis-mcp process (pid 1 in a committed lock)', { pidIsPraxis: false }, 'stale'],
    ['announced, nothing listens', { health: 'refused' }, 'stale'],
    ['announced, another instance answers', { health: 'mismatch' }, 'stale'],
    ['pid dead (kill -9)', { pidAlive: false }, 'stale'],
    ['lock unreadable', { lockValid: false }, 'stale'],
    ['not announced yet, young lock', { announced: false, health: 'none' }, 'starting'],
    ['not announced long after start (pid reused)', { announced: false, health: 'none', lockAgeMs: 6000 }, 'stale'],
  ])('%s -> %s', (_name, facts, verdict) => {
    expect(judgeHolder({ ...base, ...facts })).toBe(verdict);
  });
});

describe('lock files', () => {
  test('createExclusive publishes complete content once and refuses a second creator', async () => {
    const dir = tempProject();
    try {
      const path = join(dir.praxisDir, 'x.lock');
      const results = await Promise.all(Array.from({ length: 16 }, (_, i) => createExclusive(path, `writer ${i}`)));
      expect(results.filter(Boolean).length).toBe(1);
      expect(readFileSync(path, 'utf8')).toBe(`writer ${results.indexOf(true)}`);
      expect(readdirSync(dir.praxisDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    } finally {
      dir.cleanup();
    }
  });

  test('breakStaleLock removes the lock only if it still holds the stale content', async () => {
    const dir = tempProject();
    try {
      const path = join(dir.praxisDir, 'x.lock');
      writeFileSync(path, 'fresh');
      await breakStaleLock(path, 'stale');
      expect(readFileSync(path, 'utf8')).toBe('fresh');
      await breakStaleLock(path, 'fresh');
      expect(existsSync(path)).toBe(false);
    } finally {
      dir.cleanup();
    }
  });

  test('a breaker that died holding the break file is ignored after its TTL', async () => {
    const dir = tempProject();
    try {
      const path = join(dir.praxisDir, 'x.lock');
      writeFileSync(path, 'stale');
      writeFileSync(`${path}.break`, '{}');
      await breakStaleLock(path, 'stale');
      expect(existsSync(path)).toBe(true); // another breaker seems busy
      utimesSync(`${path}.break`, new Date(0), new Date(0));
      await breakStaleLock(path, 'stale'); // clears the abandoned break file
      await breakStaleLock(path, 'stale');
      expect(existsSync(path)).toBe(false);
    } finally {
      dir.cleanup();
    }
  });

  test.each([
    ['{"pid":1,"instance_id":"a","created_at":"t"}', true],
    ['{"pid":"1","instance_id":"a","created_at":"t"}', false],
    ['', false],
    ['junk', false],
  ])('parseLock(%p) valid: %p', (text, valid) => {
    expect(parseLock(text) !== undefined).toBe(valid);
  });
});

describe('claimProject', () => {
  test('16 concurrent claims in one process: exactly one owner', async () => {
    const dir = tempProject();
    try {
      // Concurrent claimers see a live, unannounced holder; a short timeout ends their wait.
      const claims = await Promise.all(
        Array.from({ length: 16 }, (_, i) =>
          claimProject(dir.praxisDir, { instanceId: `i${i}`, log: silentLogger, timeoutMs: 200 }).catch((e: Error) => e),
        ),
      );
      const owners = claims.filter((c) => !(c instanceof Error) && c.kind === 'owner');
      expect(owners.length).toBe(1);
      for (const c of claims) if (c instanceof Error) expect(c.message).toContain('to start serving');
    } finally {
      dir.cleanup();
    }
  });

  test('release removes only our own lock', async () => {
    const dir = tempProject();
    try {
      const claim = await claimProject(dir.praxisDir, { instanceId: 'me', log: silentLogger });
      if (claim.kind !== 'owner') throw new Error('expected to own the project');
      const lockPath = join(dir.praxisDir, '.mcp_server.lock');
      writeFileSync(lockPath, JSON.stringify({ pid: 1, instance_id: 'someone-else', created_at: 'now' }));
      await claim.release();
      expect(existsSync(lockPath)).toBe(true);
    } finally {
      dir.cleanup();
    }
  });
});
