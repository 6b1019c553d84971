import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** What `.praxis-os/.gitignore` keeps out of git: per-machine runtime files, never project knowledge. */
export const PRAXIS_GITIGNORE = [
  '# praxis-mcp runtime files (per machine, never commit them)',
  '.mcp_server_state.json',
  '.mcp_server.lock',
  '.mcp_server.lock.break',
  '.*.tmp',
  '.cache/',
  '',
].join('\n');

/** Creates `.praxis-os/.gitignore` if it is missing; an existing one is the user's and stays as it is. Returns whether it wrote. */
export async function ensurePraxisGitignore(praxisDir: string): Promise<boolean> {
  try {
    await writeFile(join(praxisDir, '.gitignore'), PRAXIS_GITIGNORE, { flag: 'wx' });
    return true;
  } catch {
    return false;
  }
}
