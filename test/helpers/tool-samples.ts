// Sample calls of every tool the server lists, run against a copy of example/.praxis-os (issue 10).
// The schema-portability test and the client matrix both read this table: a tool added later only
// adds rows here, and a listed tool without rows fails both tests.

/** What a sample call must produce. */
export type SampleOutcome =
  /** a result, not an error; `expectText` must appear in its text */
  | 'ok'
  /** a result with at least one search hit */
  | 'hit'
  /** a result with no hits */
  | 'miss'
  /** arguments the input schema refuses: the client's validator or the server answers with an error */
  | 'bad-arguments';

/** One sample call of a tool. */
export interface ToolSample {
  /** Short name of the case, shown in test names and the matrix. */
  label: string;
  args: Record<string, unknown>;
  outcome: SampleOutcome;
  /** Text the result must contain (for 'ok', 'hit' and 'miss'). */
  expectText?: string;
}

/** Every sample call, by tool name. */
export const TOOL_SAMPLES: Record<string, readonly ToolSample[]> = {
  get_server_info: [
    { label: 'info', args: {}, outcome: 'ok', expectText: 'search_standards' },
  ],
  current_date: [
    { label: 'now', args: {}, outcome: 'ok', expectText: 'T' },
  ],
  search_standards: [
    { label: 'hit', args: { query: 'flaky tests', n_results: 3 }, outcome: 'hit', expectText: 'engineering/testing.md' },
    { label: 'miss', args: { query: 'qqqzzz xyzzyq' }, outcome: 'miss', expectText: 'Nothing matched' },
    { label: 'empty query', args: { query: '' }, outcome: 'miss', expectText: 'The query is empty' },
    { label: 'phase number', args: { query: 'errors', filter_phase: 2, n_results: 10 }, outcome: 'hit', expectText: 'Error handling' },
    { label: 'phase name', args: { query: 'tests', filter_phase: '3' }, outcome: 'hit', expectText: 'testing.md' },
    { label: 'tags', args: { query: 'tests', filter_tags: ['review'] }, outcome: 'hit', expectText: 'review' },
    { label: 'filtered miss', args: { query: 'qqqzzz', filter_tags: ['nope'] }, outcome: 'miss', expectText: 'try without filter_phase' },
    { label: 'n_results not a number', args: { query: 'tests', n_results: 'many' }, outcome: 'bad-arguments' },
    { label: 'n_results over 50', args: { query: 'tests', n_results: 51 }, outcome: 'bad-arguments' },
    { label: 'no query', args: {}, outcome: 'bad-arguments' },
  ],
  pos_workflow: [
    { label: 'list workflows', args: { action: 'list_workflows' }, outcome: 'ok', expectText: 'feature_v1' },
    { label: 'start', args: { action: 'start', workflow_type: 'bugfix_v1', target_file: 'src/app.ts' }, outcome: 'ok', expectText: 'session_id' },
    { label: 'list sessions', args: { action: 'list_sessions' }, outcome: 'ok', expectText: 'list_sessions' },
    { label: 'unknown action', args: { action: 'frobnicate' }, outcome: 'bad-arguments' },
    { label: 'action missing', args: {}, outcome: 'bad-arguments' },
  ],
};

/** The sample the client matrix uses for "a hit" / "a miss" / a plain call of a tool. */
export function firstSample(tool: string, outcome: SampleOutcome): ToolSample | undefined {
  return TOOL_SAMPLES[tool]?.find((s) => s.outcome === outcome);
}
