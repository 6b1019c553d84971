// A temporary praxis project for the servers under test, with a small standards corpus so that
// `search_standards` (when the binary has it) searches something realistic.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORK_DIR } from './build.ts';

/** A temp project; `cleanup()` removes it. */
export interface BenchProject {
  root: string;
  statePath: string;
  cleanup(): void;
}

const TOPICS = ['error handling', 'logging', 'testing', 'concurrency', 'security', 'configuration', 'caching', 'api design'];

function doc(topic: string, n: number): string {
  const sections = Array.from({ length: 6 }, (_, i) =>
    `## ${topic} rule ${i + 1}\n\nWhen working on ${topic}, prefer explicit ${['timeouts', 'retries', 'names', 'tests', 'limits', 'logs'][i]} ` +
    `over implicit behaviour. Standard ${n}.${i} explains why ${topic} matters for agents and reviewers alike.\n`,
  );
  return `---\nphase: ${n % 3}\ntags: [${topic.replace(' ', '-')}, standards]\n---\n# ${topic} standard ${n}\n\n${sections.join('\n')}`;
}

/** Makes a project with `.praxis-os/standards/` holding 24 short documents. */
export function benchProject(): BenchProject {
  mkdirSync(WORK_DIR, { recursive: true });
  const root = mkdtempSync(join(WORK_DIR, 'project-'));
  const standards = join(root, '.praxis-os', 'standards');
  mkdirSync(standards, { recursive: true });
  for (let n = 0; n < 24; n++) {
    const topic = TOPICS[n % TOPICS.length]!;
    writeFileSync(join(standards, `${topic.replace(' ', '-')}-${n}.md`), doc(topic, n));
  }
  return {
    root,
    statePath: join(root, '.praxis-os', '.mcp_server_state.json'),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
