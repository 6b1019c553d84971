import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { type ServerState, parseState } from './schema.ts';

/** The state file's name inside `.praxis-os/`. */
export const STATE_FILE_NAME = '.mcp_server_state.json';

/** The state file of a project's `.praxis-os/` folder. */
export function statePathOf(praxisDir: string): string {
  return join(praxisDir, STATE_FILE_NAME);
}

/** Writes the state file atomically with mode 0600 (see `writeFileAtomic`). */
export async function writeState(path: string, state: ServerState): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

/** Reads the state file; a missing or invalid file is `undefined`, never a throw. */
export async function readState(path: string): Promise<ServerState | undefined> {
  try {
    return parseState(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Removes the state file only if it still names `instanceId`, so a server never deletes the file
 * of a newer owner (the seed's cleanup did). Returns whether it removed the file.
 */
export async function removeStateIfOwned(path: string, instanceId: string): Promise<boolean> {
  const state = await readState(path);
  if (state?.instance_id !== instanceId) return false;
  try {
    await unlink(path);
    return true;
  } catch {
    return false;
  }
}
