import { existsSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { PraxisError } from '../errors.ts';
import { resolveInside } from '../fs/confine.ts';

/** The folder that marks a project root. */
export const PRAXIS_DIR_NAME = '.praxis-os';

/** A located project. */
export interface ProjectLocation {
  root: string;
  praxisDir: string;
  name: string;
  /** How it was found, for logs. */
  source: '--project' | 'PRAXIS_MCP_PROJECT' | 'AGENT_OS_BASE_PATH' | 'working directory';
}

/** Inputs of `locateProject`; the defaults read the real process. */
export interface LocateOptions {
  flag?: string | undefined;
  env?: Record<string, string | undefined>;
  cwd?: string;
  isDir?: (path: string) => boolean;
  /** Checks that `.praxis-os` resolves inside the root; the default resolves real paths. */
  confine?: typeof resolveInside;
}

const realIsDir = (path: string) => existsSync(path) && statSync(path).isDirectory();

/**
 * Finds the project: `--project`, else `PRAXIS_MCP_PROJECT`, else `AGENT_OS_BASE_PATH` (the
 * original's variable), else the nearest folder at or above the working directory holding
 * `.praxis-os/`. An explicit path may name the root or its `.praxis-os/` folder.
 */
export function locateProject(options: LocateOptions = {}): ProjectLocation {
  const found = findProject(options);
  return confinePraxisDir(found, options.confine);
}

/**
 * Refuses a `.praxis-os` that resolves outside the project root (a committed symlink): the lock,
 * the state file with its token and `.gitignore` would be written there, and its standards read
 * from there (issue 11). There is no flag to allow it: the flag would sit in an editor config that
 * people copy without reading, and sharing standards between projects has safe ways (a submodule,
 * a copy). Fix: make `.praxis-os` a real folder inside the project.
 */
export function confinePraxisDir(project: ProjectLocation, confine: typeof resolveInside = resolveInside): ProjectLocation {
  const checked = confine(project.root, project.praxisDir);
  if (!checked.ok && checked.reason === 'outside') {
    throw new PraxisError(
      'E_UNSAFE_PROJECT',
      `Refusing project ${project.root}: ${project.praxisDir} resolves to ${checked.target}, outside the project ` +
        `(through the symbolic link ${checked.link}). praxis-mcp reads and writes only inside the project, so a cloned ` +
        `repository cannot point it elsewhere. Replace the link with a real ${PRAXIS_DIR_NAME}/ folder inside the project.`,
    );
  }
  return project;
}

function findProject(options: LocateOptions): ProjectLocation {
  const { flag, env = process.env, cwd = process.cwd(), isDir = realIsDir } = options;
  const explicit: [ProjectLocation['source'], string | undefined][] = [
    ['--project', flag],
    ['PRAXIS_MCP_PROJECT', env.PRAXIS_MCP_PROJECT],
    ['AGENT_OS_BASE_PATH', env.AGENT_OS_BASE_PATH],
  ];
  for (const [source, value] of explicit) {
    if (!value) continue;
    const given = resolve(cwd, value);
    const root = basename(given) === PRAXIS_DIR_NAME ? dirname(given) : given;
    const praxisDir = resolve(root, PRAXIS_DIR_NAME);
    if (!isDir(praxisDir)) {
      throw new PraxisError(
        'E_PROJECT_NOT_FOUND',
        `No project at ${root} (from ${source}): ${praxisDir} does not exist. ` +
          `Create it with \`praxis-mcp init --project ${root}\`, or point ${source} at a folder that has ${PRAXIS_DIR_NAME}/.`,
      );
    }
    return { root, praxisDir, name: basename(root), source };
  }
  const looked: string[] = [];
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    looked.push(dir);
    const praxisDir = resolve(dir, PRAXIS_DIR_NAME);
    if (isDir(praxisDir)) return { root: dir, praxisDir, name: basename(dir) || dir, source: 'working directory' };
    if (dirname(dir) === dir) break;
  }
  throw new PraxisError(
    'E_PROJECT_NOT_FOUND',
    `No ${PRAXIS_DIR_NAME}/ folder found in ${looked[0]} or any folder above it (looked in ${looked.length} folders), ` +
      `and neither --project, PRAXIS_MCP_PROJECT nor AGENT_OS_BASE_PATH is set. ` +
      `Run \`praxis-mcp init\` in the project root, or pass --project DIR.`,
  );
}
