/**
 * The contract between workflow definitions (loaded from `.praxis-os/workflows/`, validated, with
 * gates translated to JSON Schema and declarative checks) and the engine that runs sessions over
 * the project database (issue 13). Definitions and gates are pure data plus pure functions; the
 * engine owns every table. Neither imports the other's internals, only these types.
 */

/** A JSON Schema (draft-07 and 2020-12 compatible subset) as plain data. */
export type JsonSchema = Record<string, unknown>;

/** One declarative check the server runs itself when a gate is evaluated. Never code, never a shell command. */
export type CheckDef =
  | { kind: 'file_exists'; glob: string; min_count?: number; description?: string }
  | { kind: 'file_contains'; file: string; text?: string; regex?: string; description?: string }
  | { kind: 'section_present'; file: string; heading: string; description?: string }
  | { kind: 'test_report'; file: string; format?: 'junit' | 'tap'; expect?: 'pass' | 'red'; description?: string }
  /** `exclude` (a glob) leaves out files that do not count, e.g. the workflow's own notes: `"{target_file}/**"`. */
  | { kind: 'git_changed'; glob?: string; exclude?: string; min_count?: number; description?: string };

/** A phase's checkpoint. */
export interface GateDef {
  /** Strict by default; a file's explicit `strict: false` makes the gate advisory (shown as such in every answer). */
  strict: boolean;
  allowOverride: boolean;
  /** `approval: required` (issue 14): a person must approve before the phase completes. */
  approval: 'none' | 'required';
  /** The evidence the agent submits, translated from the original's YAML `evidence_schema`. */
  evidenceSchema: JsonSchema;
  checks: CheckDef[];
  /** What the file declares that we do not run (Python lambdas, cross-field rules), for list/start answers. */
  notEnforced: string[];
}

export interface TaskDef {
  /** Stable id inside the workflow, e.g. "1.2" (phase.task). */
  id: string;
  number: number;
  name: string;
  /** Task file relative to the workflow folder, or null (dynamic tasks carry their text inline). */
  file: string | null;
  purpose: string;
  /** Ids of tasks (same session) that must be done first. */
  dependsOn: string[];
  acceptanceCriteria: string[];
}

export interface PhaseDef {
  number: number;
  name: string;
  purpose: string;
  /** phase.md relative to the workflow folder, or null. */
  overviewFile: string | null;
  tasks: TaskDef[];
  gate: GateDef | null;
}

export interface WorkflowDefinition {
  type: string;
  version: string;
  description: string;
  /** Absolute real path of the workflow folder (inside the project root). */
  dir: string;
  /** Content hash of every file of the folder; a session pins it and warns when it changes. */
  hash: string;
  /** For static workflows the phases; for dynamic ones the defined leading phases (e.g. phase 0). */
  phases: PhaseDef[];
  dynamic: null | {
    /** The start option naming the spec (e.g. "spec_path"); its tasks.md is parsed at start. */
    sourcePathKey: string;
    /** The gate every materialised phase gets (`phases/dynamic/gate-definition.yaml`), if the folder has one. */
    gate?: GateDef | null;
    /** `phases/dynamic/phase-template.md` and `task-template.md`, relative to the folder, when present. */
    phaseTemplate?: string | null;
    taskTemplate?: string | null;
  };
  /** metadata.json fields we keep but do not use, reported by list_workflows. */
  ignoredFields: string[];
  /** Everything the definition declares that is not enforced (lambdas, unknown check kinds...). */
  notEnforced: string[];
}

/** Loading result: good definitions plus one error per folder that failed validation. */
export interface DefinitionSet {
  definitions: Map<string, WorkflowDefinition>;
  errors: { dir: string; message: string }[];
}

/** What a gate check needs from the world; all paths confined to `root`. */
export interface CheckContext {
  root: string;
  /** When the session started (for git_changed: files changed since then). */
  sessionStartedAt: Date;
  /** The git HEAD commit when the session started, when the project is a git repository. */
  gitBaseCommit: string | null;
  /**
   * Values for `{name}` placeholders in check paths and texts, e.g. `target_file` and the start
   * options (`{spec_path}`); a check naming an unknown placeholder fails and says which.
   */
  vars?: Record<string, string>;
}

export interface CheckResult {
  check: CheckDef;
  passed: boolean;
  expected: string;
  actual: string;
  remediation: string;
}

export interface GateResult {
  passed: boolean;
  advisory: boolean;
  /** Evidence schema violations: JSON pointer path, message. */
  evidenceErrors: { path: string; message: string }[];
  checks: CheckResult[];
  notEnforced: string[];
}
