// parseGitStatus on `git status --porcelain=v2 --branch` output, as git prints it.
import { expect, test } from 'bun:test';
import { parseGitStatus } from '../../../src/project/info.ts';

const oid = '4a505ca0c4e1f7d9b3a2e6f8c1d0b9a8e7f6d5c4';

test.each([
  ['clean branch', `# branch.oid ${oid}\n# branch.head main\n# branch.upstream origin/main\n# branch.ab +0 -0\n`, 'main', oid, false],
  ['modified file', `# branch.oid ${oid}\n# branch.head main\n1 .M N... 100644 100644 100644 aaa bbb src/app.ts\n`, 'main', oid, true],
  ['untracked file only', `# branch.oid ${oid}\n# branch.head dev\n? notes.txt\n`, 'dev', oid, true],
  ['renamed file', `# branch.oid ${oid}\n# branch.head main\n2 R. N... 100644 100644 100644 a b R100 new.ts\told.ts\n`, 'main', oid, true],
  ['unmerged file', `# branch.oid ${oid}\n# branch.head main\nu UU N... 100644 100644 100644 100644 a b c conflict.ts\n`, 'main', oid, true],
  ['detached HEAD', `# branch.oid ${oid}\n# branch.head (detached)\n`, null, oid, false],
  ['fresh repository, no commit yet', '# branch.oid (initial)\n# branch.head main\n', 'main', null, false],
  ['branch name with slashes', `# branch.oid ${oid}\n# branch.head feature/x-y\n`, 'feature/x-y', oid, false],
  ['CRLF line ends are tolerated', `# branch.oid ${oid}\r\n# branch.head main\r\n`, 'main', oid, false],
  ['empty output', '', null, null, false],
  ['blank lines only', '\n\n', null, null, false],
] as const)('%s', (_name, text, branch, commit, dirty) => {
  expect(parseGitStatus(text)).toEqual({ branch, commit, dirty });
});
