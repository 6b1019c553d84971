import { lstatSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { isPidAlive, isPraxisProcess } from './liveness.ts';
import { LOCK_FILE_NAME } from './lock.ts';
import { STATE_FILE_NAME } from './state-file.ts';
import { currentUid } from './trust.ts';

/** The temp files of the state file and the lock: `.<name>.<pid>.<random hex>.tmp` (see atomic-write.ts, lock.ts). */
const TEMP = new RegExp(
  `^\\.(${[STATE_FILE_NAME, LOCK_FILE_NAME, `${LOCK_FILE_NAME}.break`].map((n) => n.replace(/\./g, '\\.')).join('|')})\\.(\\d+)\\.[0-9a-f]+\\.tmp$`,
);

/** The pid that wrote a temp file of ours, from its name (pure); undefined for any other name. */
export function tempWriterPid(name: string): number | undefined {
  const m = TEMP.exec(name);
  return m ? Number(m[2]) : undefined;
}

/**
 * Removes this project's leftover temp files of the state file and the lock (issue 11): a kill -9
 * between creating one and renaming or removing it leaves it behind, and a state temp file holds a
 * token. Only files whose writer is gone (its pid dead, or reused by a process that is not
 * praxis-mcp) are removed; only regular files of ours, never through a link. Returns their names.
 */
export function removeLeftoverTemps(
  praxisDir: string,
  deps: { pidAlive?: (pid: number) => boolean; praxisProcess?: (pid: number) => boolean } = {},
): string[] {
  const { pidAlive = isPidAlive, praxisProcess = isPraxisProcess } = deps;
  let names: string[];
  try {
    names = readdirSync(praxisDir);
  } catch {
    return [];
  }
  const uid = currentUid();
  const removed: string[] = [];
  for (const name of names) {
    const pid = tempWriterPid(name);
    if (pid === undefined || pid === process.pid) continue;
    if (pidAlive(pid) && praxisProcess(pid)) continue;
    const path = join(praxisDir, name);
    try {
      const s = lstatSync(path);
      if (!s.isFile() || (uid !== undefined && s.uid !== uid)) continue;
      unlinkSync(path);
      removed.push(name);
    } catch {}
  }
  return removed;
}
