import { constants, type Stats } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import { isLoopbackAddress } from '../transports/guards.ts';
import type { ServerState } from './schema.ts';

/**
 * What makes a state or lock file believable (issue 11). Everything in `.praxis-os/` may have
 * been committed by a stranger, so a file is read only when it is one this program could have
 * written for this user: a regular file (never a symlink, which is never followed), owned by the
 * current user, with no access for group or others. praxis-mcp creates both files with mode 0600;
 * git checks files out as 0644 or 0755, so a committed lock or state file never passes.
 */

/** The facts of a file that decide whether it is trusted. */
export interface FileFacts {
  isFile: boolean;
  isSymlink: boolean;
  isDirectory: boolean;
  uid: number;
  mode: number;
}

/** Why a file is not trusted, or undefined when it is. Pure; `myUid` undefined (Windows) skips owner and mode. */
export function untrustedFileReason(facts: FileFacts, myUid: number | undefined): string | undefined {
  if (facts.isSymlink) return 'is a symbolic link (never followed)';
  if (facts.isDirectory) return 'is a folder, not a file';
  if (!facts.isFile) return 'is not a regular file';
  if (myUid === undefined) return undefined;
  if (facts.uid !== myUid) return `belongs to uid ${facts.uid}, not to you (uid ${myUid})`;
  if ((facts.mode & 0o077) !== 0) {
    return `has mode 0${(facts.mode & 0o777).toString(8)}: others may read or change it (praxis-mcp writes it 0600)`;
  }
  return undefined;
}

/** What reading a file that must be ours gave: its text, nothing, or why it is not believed. */
export type OwnFile =
  | { kind: 'missing' }
  | { kind: 'text'; text: string }
  | { kind: 'untrusted'; why: string; facts?: FileFacts; code?: string };

/** The current user's uid, or undefined where there is none (Windows). */
export const currentUid = (): number | undefined => (typeof process.getuid === 'function' ? process.getuid() : undefined);

/** The trust facts of a stat. */
export const factsOf = (s: Stats): FileFacts => ({
  isFile: s.isFile(),
  isSymlink: s.isSymbolicLink(),
  isDirectory: s.isDirectory(),
  uid: s.uid,
  mode: s.mode,
});

/**
 * Reads `path` only if it is trusted (see above): lstat first, then an open that refuses to follow
 * a link (O_NOFOLLOW) in case one was swapped in since. Never throws.
 */
export async function readOwnFile(path: string, myUid: number | undefined = currentUid()): Promise<OwnFile> {
  let facts: FileFacts;
  try {
    facts = factsOf(await lstat(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EUNKNOWN';
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
    return { kind: 'untrusted', why: `cannot be examined (${code})`, code };
  }
  const why = untrustedFileReason(facts, myUid);
  if (why) return { kind: 'untrusted', why, facts };
  try {
    const handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    try {
      return { kind: 'text', text: await handle.readFile('utf8') };
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'EUNKNOWN';
    if (code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'untrusted', why: `cannot be read (${code})`, facts, code };
  }
}

/** `http://host:port/path`, with an IPv6 host in brackets: the only URL a state file may name. */
export function urlOf(host: string, port: number, path: string): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}${path}`;
}

const SAFE_PATH = /^\/[A-Za-z0-9._~\/-]*$/;

/**
 * Why a state file's fields are not believed, or undefined (pure): the host must be loopback, and
 * the URL exactly the one built from its own host, port and path, so a planted file cannot send
 * a bridge (and the IDE's whole session) anywhere else.
 */
export function untrustedStateReason(state: ServerState): string | undefined {
  if (!isLoopbackAddress(state.host)) return `its host "${state.host}" is not a loopback address`;
  if (!SAFE_PATH.test(state.path)) return `its path "${state.path}" is not a plain URL path`;
  if (state.port === null || state.port === 0) {
    if (state.url !== null) return `it names a URL (${state.url}) but no port`;
    return undefined;
  }
  const expected = urlOf(state.host, state.port, state.path);
  if (state.url !== expected) return `its url ${JSON.stringify(state.url)} is not ${expected}, built from its own host, port and path`;
  return undefined;
}
