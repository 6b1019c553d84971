import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { type Refusal, resolveInside } from '../fs/confine.ts';

/** A folder whose Markdown files are indexed. */
export interface StandardsRoot {
  /** URI and display name: `standards`, or the extra path from config.json (`docs/guides`; `.praxis-os/usage` is `usage`). */
  name: string;
  /** Absolute path. */
  dir: string;
  /** The folder every file read from this root must resolve inside (the project root), after resolving symlinks. */
  within?: string;
}

/** The roots to index, plus what was wrong with config.json (for the log). */
export interface RootsResult {
  roots: StandardsRoot[];
  warnings: string[];
  /** Roots (or config.json) whose real path leaves the project: not read (issue 11). */
  refused: Refusal[];
}

/** Where the standards live inside `.praxis-os/`. */
export const STANDARDS_DIR_NAME = 'standards';

/** Normalises an extra path to a clean relative name: `./usage/` gives `usage`. */
function cleanName(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/)+/, '').replace(/\/+$/, '');
}

/** The URI name of an extra folder: its path, without a leading `.praxis-os/` (`.praxis-os/usage` is `usage`). */
function rootName(rel: string): string {
  const name = cleanName(rel);
  return name.startsWith('.praxis-os/') ? name.slice('.praxis-os/'.length) : name;
}

/**
 * Resolves the roots from `.praxis-os/config.json` text: `.praxis-os/standards/` always, plus
 * `standards.extra_paths` (relative to the project root). Paths leaving the project are refused,
 * because every indexed file is also served as a resource to any local client.
 */
export function resolveRoots(projectRoot: string, praxisDir: string, configText: string | undefined): RootsResult {
  const roots: StandardsRoot[] = [{ name: STANDARDS_DIR_NAME, dir: join(praxisDir, STANDARDS_DIR_NAME), within: projectRoot }];
  const warnings: string[] = [];
  const done = () => ({ roots, warnings, refused: [] });
  if (configText === undefined || configText.trim() === '') return done();
  let config: unknown;
  try {
    config = JSON.parse(configText);
  } catch (error) {
    warnings.push(`config.json is not valid JSON (${(error as Error).message}); indexing only ${STANDARDS_DIR_NAME}/`);
    return done();
  }
  const extra = (config as { standards?: { extra_paths?: unknown } } | null)?.standards?.extra_paths;
  if (extra === undefined) return done();
  if (!Array.isArray(extra)) {
    warnings.push('config.json: standards.extra_paths must be a list of folder paths; ignoring it');
    return done();
  }
  for (const entry of extra) {
    if (typeof entry !== 'string' || cleanName(entry) === '') {
      warnings.push(`config.json: ignoring extra path ${JSON.stringify(entry)}: not a folder path`);
      continue;
    }
    const dir = resolve(projectRoot, entry);
    const rel = relative(projectRoot, dir);
    if (isAbsolute(entry) || rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      warnings.push(`config.json: ignoring extra path "${entry}": it must be a folder inside the project`);
      continue;
    }
    const name = rootName(rel);
    if (roots.some((r) => r.dir === dir)) continue;
    if (roots.some((r) => r.name === name)) {
      warnings.push(`config.json: ignoring extra path "${entry}": another indexed folder is already named "${name}"`);
      continue;
    }
    roots.push({ name, dir, within: projectRoot });
  }
  return done();
}

/**
 * Drops the roots whose real path (every symlink resolved: the folder, each folder on the way, and
 * the project root) is outside the project: the path text being inside proves nothing when
 * `standards/` or an extra path is a committed symlink to `~/.ssh` (issue 11). A root that does
 * not exist is kept, so the index reports it as missing.
 */
export function confineRoots(result: RootsResult): RootsResult {
  const roots: StandardsRoot[] = [];
  const refused = [...result.refused];
  for (const root of result.roots) {
    const checked = root.within === undefined ? undefined : resolveInside(root.within, root.dir);
    if (checked && !checked.ok && checked.reason === 'outside') refused.push(checked);
    else roots.push(root);
  }
  return { roots, warnings: result.warnings, refused };
}

/**
 * Reads config.json and resolves the roots, keeping only those inside the project; a missing
 * config means just `standards/`. A config.json that is a link out of the project is not read.
 */
export async function readRoots(projectRoot: string, praxisDir: string): Promise<RootsResult> {
  const configPath = join(praxisDir, 'config.json');
  const config = resolveInside(projectRoot, configPath);
  if (!config.ok && config.reason === 'outside') {
    const result = confineRoots(resolveRoots(projectRoot, praxisDir, undefined));
    return { ...result, refused: [config, ...result.refused] };
  }
  let text: string | undefined;
  try {
    text = await readFile(config.ok ? config.real : configPath, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') return { ...confineRoots(resolveRoots(projectRoot, praxisDir, undefined)), warnings: [`cannot read config.json: ${code}`] };
  }
  return confineRoots(resolveRoots(projectRoot, praxisDir, text));
}
