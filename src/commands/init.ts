import { appendFileSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { defineCommand } from 'citty';
import { EDITORS } from '../editors/editors.ts';
import { PraxisError } from '../errors.ts';
import { PRAXIS_GITIGNORE } from '../project/gitignore.ts';
import { describeRefusal, resolveInside } from '../fs/confine.ts';
import { PRAXIS_DIR_NAME, confinePraxisDir } from '../project/locate.ts';
import { STARTER_WORKFLOW_FILES } from '../workflows/starter-workflows.ts';

/** Files the server writes into `.praxis-os/` that must never be committed: state, lock, temp files. */
export const GITIGNORE_ENTRIES: readonly string[] = PRAXIS_GITIGNORE.split('\n').filter((l) => l && !l.startsWith('#'));

/** The starter files of a new project, relative to `.praxis-os/`. */
export const STARTER_FILES: Readonly<Record<string, string>> = {
  'config.json': `${JSON.stringify({ standards: { extra_paths: [] } }, null, 2)}\n`,
  'standards/getting-started.md': `---
title: Getting started
tags: [praxis, standards]
---

# Getting started

Standards are Markdown files under \`.praxis-os/standards/\`. Every agent of this project, the
IDE's and every sub-agent's, searches them with the \`search_standards\` tool.

## Writing a standard

- One topic per file; \`##\` and \`###\` headings split it into searchable sections.
- Optional front matter: \`title\`, \`tags\` (a list) and \`phase\` (a number or a name).
- More folders (e.g. \`docs/\`) can be indexed: list them in \`.praxis-os/config.json\` under
  \`standards.extra_paths\`.
`,
  // The starter workflows, feature_v1 and bugfix_v1 (issue 13), embedded from example/.praxis-os/workflows/.
  ...STARTER_WORKFLOW_FILES,
};

/** The lines to append to an existing `.gitignore` so that it holds every entry (none if it does). */
export function missingGitignoreLines(existing: string): string[] {
  const present = new Set(existing.split(/\r?\n/).map((line) => line.trim()));
  return GITIGNORE_ENTRIES.filter((entry) => !present.has(entry));
}

/** What `init` did to each path, relative to the project root. */
export interface InitReport {
  root: string;
  created: string[];
  updated: string[];
  kept: string[];
}

/** Creates `.praxis-os/` in `root` (which must exist). Never overwrites: existing files are kept. */
export function initProject(root: string): InitReport {
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new PraxisError('E_PROJECT_NOT_FOUND', `Cannot init ${root}: no such folder. Create it first, or pass --project with an existing folder.`);
  }
  const report: InitReport = { root, created: [], updated: [], kept: [] };
  const praxisDir = join(root, PRAXIS_DIR_NAME);
  // A cloned repository may commit `.praxis-os` as a link out of the project (issue 11).
  confinePraxisDir({ root, praxisDir, name: basename(root), source: '--project' });
  const rel = (path: string) => relative(root, path).split('\\').join('/');
  for (const [name, content] of Object.entries(STARTER_FILES)) {
    const path = join(praxisDir, name);
    mkdirSync(dirname(path), { recursive: true });
    const folder = resolveInside(root, dirname(path));
    if (!folder.ok && folder.reason === 'outside') throw new PraxisError('E_UNSAFE_PROJECT', `Cannot create ${rel(path)}: ${describeRefusal(folder, root)}`);
    try {
      // 'wx' makes the create itself the existence check: no window in which we could clobber a file.
      writeFileSync(path, content, { flag: 'wx' });
      report.created.push(rel(path));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      report.kept.push(rel(path));
    }
  }
  const gitignore = join(praxisDir, '.gitignore');
  try {
    // The same text `serve` writes when the file is missing (src/project/gitignore.ts).
    writeFileSync(gitignore, PRAXIS_GITIGNORE, { flag: 'wx' });
    report.created.push(rel(gitignore));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // Adding lines keeps everything the user wrote; only missing entries are appended. Never
    // through a committed link to a file outside the project (issue 11).
    const checked = resolveInside(root, gitignore);
    if (!checked.ok && checked.reason === 'outside') throw new PraxisError('E_UNSAFE_PROJECT', `Cannot update ${describeRefusal(checked, root).replace(/^refusing /, '')}`);
    const existing = readFileSync(gitignore, 'utf8');
    const missing = missingGitignoreLines(existing);
    if (missing.length === 0) report.kept.push(rel(gitignore));
    else {
      const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
      appendFileSync(gitignore, `${separator}${missing.join('\n')}\n`);
      report.updated.push(rel(gitignore));
    }
  }
  return report;
}

/** Paths with each workflow folder's files shown as one line, "….praxis-os/workflows/x_v1/ (N files)". */
function byWorkflow(paths: string[]): string[] {
  const out: string[] = [];
  const counts = new Map<string, number>();
  for (const path of paths) {
    const folder = /^(\.praxis-os\/workflows\/[^/]+\/)/.exec(path)?.[1];
    if (folder === undefined) out.push(path);
    else {
      if (!counts.has(folder)) out.push(folder);
      counts.set(folder, (counts.get(folder) ?? 0) + 1);
    }
  }
  return out.map((p) => (counts.has(p) ? `${p} (${counts.get(p)} files)` : p));
}

/** The summary `init` prints: what it created, updated and kept, then the next step. */
export function describeInit(report: InitReport, cwd: string = process.cwd()): string {
  const lines = [
    ...byWorkflow(report.created).map((p) => `created ${p}`),
    ...report.updated.map((p) => `updated ${p} (added the server's state, lock and temp files)`),
    ...byWorkflow(report.kept).map((p) => `kept    ${p} (already there)`),
  ];
  const project = resolve(cwd) === report.root ? '' : ` --project ${JSON.stringify(report.root)}`;
  lines.push(
    '',
    `praxis-mcp project "${basename(report.root)}" is ready at ${report.root}.`,
    `Next: point your editor at it, e.g. \`praxis-mcp config cursor${project} --write\``,
    `      (editors: ${EDITORS.join(', ')}; without --write it only prints the config).`,
  );
  return `${lines.join('\n')}\n`;
}

/** `praxis-mcp init [--project DIR]`. */
export const initCommand = defineCommand({
  meta: { name: 'init', description: 'Create .praxis-os/ (config, a starter standard, starter workflows, .gitignore entries) in the project; never overwrites' },
  args: {
    project: { type: 'string', description: 'Project root to set up (default: the working directory)', valueHint: 'DIR' },
  },
  run: ({ args }) => {
    const given = resolve(typeof args.project === 'string' ? args.project : '.');
    const root = basename(given) === PRAXIS_DIR_NAME ? dirname(given) : given;
    process.stdout.write(describeInit(initProject(root)));
  },
});
