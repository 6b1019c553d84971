// Relevance of search_standards over the bundled example's standards (issue 4): each query names
// the document and section a person would expect; recall@5 and MRR are printed, recall@5 has a floor.
import { expect, test } from 'bun:test';
import { join } from 'node:path';
import { silentLogger } from '../../src/log.ts';
import { createStandardsIndex } from '../../src/standards/standards-index.ts';
import { ROOT } from '../helpers/process.ts';

/** [query, expected file (relative to its folder), expected heading path (a suffix is enough)]. */
const CASES: [string, string, string][] = [
  ['how should I name unit tests', 'engineering/testing.md', 'Naming unit tests'],
  ['table driven tests with test.each', 'engineering/testing.md', 'Table-driven tests'],
  ['a test fails randomly sometimes', 'engineering/testing.md', 'Flaky tests'],
  ['wait for a condition instead of sleep', 'engineering/testing.md', 'Waiting for a condition'],
  ['should we enforce a coverage percentage', 'engineering/testing.md', 'Coverage'],
  ['end to end tests of the compiled binary', 'engineering/testing.md', 'End-to-end tests'],
  ['how to write a good error message', 'engineering/error-handling.md', 'Error messages'],
  ['which exit code for bad usage', 'engineering/error-handling.md', 'Exit codes'],
  ['when to retry a failed operation', 'engineering/error-handling.md', 'Retries'],
  ['error codes error class', 'engineering/error-handling.md', 'One error class with a code'],
  ['check then act race on a port', 'engineering/concurrency.md', 'Let the operation be the check'],
  ['write a file atomically with rename', 'engineering/concurrency.md', 'Atomic file writes'],
  ['stale lock file owner dead', 'engineering/concurrency.md', 'Locks'],
  ['floating promises and cancellation', 'engineering/concurrency.md', 'Async code'],
  ['can I use console.log in stdio mode', 'engineering/logging.md', 'Where logs go'],
  ['which log level for a skipped file', 'engineering/logging.md', 'Log levels'],
  ['never log tokens or secrets', 'engineering/logging.md', 'What never to log'],
  ['DNS rebinding Host and Origin headers', 'engineering/security.md', 'DNS rebinding protection'],
  ['compare bearer tokens constant time', 'engineering/security.md', 'Comparing secrets'],
  ['path traversal outside folder', 'engineering/security.md', 'Path traversal'],
  ['report p99 latency percentiles', 'engineering/performance.md', 'Percentiles, not averages'],
  ['server startup time indexing later', 'engineering/performance.md', 'Startup time'],
  ['file naming kebab-case one concept per file', 'engineering/naming-and-style.md', 'Files and modules'],
  ['what should comments say', 'engineering/naming-and-style.md', 'Comments'],
  ['add a new npm package license', 'engineering/dependencies.md', 'Adding a dependency'],
  ['zod input schema defaults bounds', 'engineering/api-design.md', 'Input schemas'],
  ['empty query no results error', 'engineering/api-design.md', 'Helpful answers instead of errors'],
  ['flag environment variable config precedence', 'engineering/configuration.md', 'Precedence'],
  ['commit message subject line', 'process/git-workflow.md', 'Commit messages'],
  ['branch naming short lived', 'process/git-workflow.md', 'Branches'],
  ['merge conflict resolution', 'process/git-workflow.md', 'Resolving merge conflicts'],
  ['how big should a pull request be', 'process/code-review.md', 'Preparing a pull request'],
  ['what do reviewers check', 'process/code-review.md', 'What reviewers look for'],
  ['how to give review feedback nit', 'process/code-review.md', 'Giving feedback'],
  ['semantic versioning breaking change', 'process/releases.md', 'Versioning'],
  ['release checklist checksums', 'process/releases.md', 'Release checklist'],
  ['hotfix for a release', 'process/releases.md', 'Hotfixes'],
  ['blameless postmortem', 'process/incident-response.md', 'Postmortems'],
  ['agents cannot reach the server stale state file', 'process/incident-response.md', 'Stale state files'],
  ['definition of done', 'process/planning.md', 'Definition of done'],
  ['read a whole document as a resource', 'searching-standards.md', 'Reading a whole document'],
  // Typos and inflections: fuzzy matching and stemming.
  ['concurency locks', 'engineering/concurrency.md', 'Locks'],
  ['retrying transient failures', 'engineering/error-handling.md', 'Retries'],
];

test(`relevance over the example standards: recall@5 >= 0.9 on ${CASES.length} queries`, async () => {
  const index = createStandardsIndex({
    projectRoot: join(ROOT, 'example'),
    praxisDir: join(ROOT, 'example', '.praxis-os'),
    log: silentLogger,
    watch: false,
    // The example folder is part of the repository: keep the test's index out of it.
    dbPath: ':memory:',
  });
  await index.rebuild('test');
  let found = 0;
  let reciprocal = 0;
  const misses: string[] = [];
  for (const [query, file, heading] of CASES) {
    const { hits } = await index.search({ query, limit: 5 });
    const rank = hits.findIndex((h) => h.file === file && h.heading_path.endsWith(heading));
    if (rank >= 0) {
      found++;
      reciprocal += 1 / (rank + 1);
    } else {
      misses.push(`  query "${query}": wanted ${file} > ${heading}; top 5: ${hits.map((h) => `${h.file} > ${h.heading_path}`).join(' | ')}`);
    }
  }
  const recall = found / CASES.length;
  const mrr = reciprocal / CASES.length;
  console.log(`search_standards relevance: ${CASES.length} queries, recall@5 ${recall.toFixed(3)}, MRR ${mrr.toFixed(3)}`);
  // Queries whose section is outside the top 5 are allowed while recall@5 stays at or above 0.9.
  if (misses.length > 0) console.log(`not in the top 5 (within the 0.9 recall bar):\n${misses.join('\n')}`);
  expect(CASES.length).toBeGreaterThanOrEqual(30);
  expect(recall).toBeGreaterThanOrEqual(0.9);
  index.close();
});
