import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// `bun build --define __PRAXIS_VERSION__=...` injects the version at build time (issue 2); from
// source we read package.json, so there is one place where the version is written.
declare const __PRAXIS_VERSION__: string | undefined;

function versionFromPackageJson(): string {
  try {
    const text = readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'package.json'), 'utf8');
    return String((JSON.parse(text) as { version?: unknown }).version ?? '0.0.0-dev');
  } catch {
    return '0.0.0-dev';
  }
}

/** The praxis-mcp version. */
export const VERSION: string =
  typeof __PRAXIS_VERSION__ === 'string' ? __PRAXIS_VERSION__ : versionFromPackageJson();
