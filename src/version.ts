import { readFileSync } from 'node:fs';

// `bun build --define __PRAXIS_VERSION__=...` injects the version at build time (issue 2); from
// source we read package.json, so there is one place where the version is written.
declare const __PRAXIS_VERSION__: string | undefined;

function versionFromPackageJson(): string {
  try {
    const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
    return String((JSON.parse(text) as { version?: unknown }).version ?? '0.0.0-dev');
  } catch {
    return '0.0.0-dev';
  }
}

/** The praxis-mcp version. */
export const VERSION: string =
  typeof __PRAXIS_VERSION__ === 'string' ? __PRAXIS_VERSION__ : versionFromPackageJson();
