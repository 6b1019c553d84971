// `praxis-mcp workflow watch` (issue 14), driven in a real terminal (tmux) and through a pipe:
// the screen shows phases, held tasks with lease time left, the last events and a refused
// complete_phase, and redraws when another process writes the database.
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { demoWorkflow } from '../helpers/workflow-project.ts';
import { BINARY, type Spawned, type TempProject, runBinary, spawnBinary, tempProject, waitFor } from '../helpers/process.ts';

const tmux = spawnSync('tmux', ['-V']).status === 0;
if (!tmux) console.warn('workflow-watch: tmux is not installed; the terminal test is skipped (apt-get install -y tmux)');

let project: TempProject;
let session: string;
const socket = () => join(project.root, 'tmux.sock');
const children: Spawned[] = [];

beforeAll(async () => {
  project = tempProject({ prefix: 'praxis-watch-' });
  for (const [rel, text] of Object.entries(demoWorkflow())) {
    mkdirSync(dirname(join(project.root, rel)), { recursive: true });
    writeFileSync(join(project.root, rel), text);
  }
  const r = await runBinary(['workflow', 'start', 'demo', 'src/x.ts', '--project', project.root, '--json']);
  session = JSON.parse(r.stdout).session_id;
});

afterAll(async () => {
  if (tmux) spawnSync('tmux', ['-S', socket(), 'kill-server']);
  for (const c of children) await c.kill();
  project?.cleanup();
});

const act = (...words: string[]) => runBinary(['workflow', 'act', ...words, `session_id=${session}`, '--project', project.root]);

test.skipIf(!tmux)('in a terminal: a screen of phases, held tasks with lease time, events and a refused complete_phase, redrawn on each change', async () => {
  execFileSync('tmux', ['-S', socket(), 'new-session', '-d', '-s', 'watch', '-x', '150', '-y', '40', `${BINARY} workflow watch ${session} --project ${project.root}`]);
  const screen = () => execFileSync('tmux', ['-S', socket(), 'capture-pane', '-p', '-t', 'watch']).toString();
  await waitFor(() => screen().includes('Tasks held: none'), 'the first frame', 10_000);
  expect(screen()).toMatch(/> phase 1 +Build +active +0 done · 0 claimed · 2 ready · 1 blocked/);

  await act('claim_task', 'task_id=1.1', '--agent', 'alice');
  await waitFor(() => /1\.1 +alice +1[45]m \d\ds left/.test(screen()), 'alice\'s claim with its lease clock', 5_000);
  await act('complete_phase', 'phase=1');
  await waitFor(() => screen().includes('Last refused complete_phase'), 'the refused complete_phase', 5_000);
  const shown = screen();
  expect(shown).toContain('complete_phase phase 1 FAILED tasks_incomplete');
  expect(shown).toContain('claim_task task 1.1 ok · alice (cli)');
  console.log(`watch, as the terminal showed it:\n${shown.trimEnd()}`);
}, 30_000);

test('through a pipe: the state once, then one plain line per event, no escape codes', async () => {
  const watch = spawnBinary(['workflow', 'watch', session, '--project', project.root]);
  children.push(watch);
  await waitFor(() => watch.stdout().includes(session), 'the first line');
  await act('claim_task', 'task_id=1.3', '--agent', 'bob');
  await waitFor(() => watch.stdout().includes('claim_task task 1.3 ok · bob (cli)'), 'bob\'s claim as a line', 5_000);
  expect(watch.stdout()).not.toContain('\x1b[');
  await watch.kill('SIGINT');
});
