/**
 * The engine's tables in the project database (issue 13). The engine owns them; the store runs the
 * migrations under the owner name `workflows`. Claims are columns of the task row (holder, lease),
 * so a claim and its task can never disagree; events are append-only (never deleted, so the rowid sequence only grows); request ids make retried
 * mutations answer what the first attempt answered. SQL stays within SQLite 3.37 (no `->>`, no JSONB).
 */
export const MIGRATIONS_OWNER = 'workflows';

import type { Migration } from '../../store/index.ts';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sessions, phases, tasks with claims, dependencies, events, request ids',
    up: `
  CREATE TABLE wf_sessions (
    id TEXT PRIMARY KEY,
    workflow_type TEXT NOT NULL,
    target TEXT NOT NULL,
    definition_hash TEXT NOT NULL,
    definition_dir TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active','paused','completed','deleted','archived')),
    current_phase INTEGER NOT NULL,
    phase_count INTEGER NOT NULL,
    options_json TEXT NOT NULL,
    git_base TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 0,
    status_before_archive TEXT
  );
  CREATE INDEX wf_sessions_by_target ON wf_sessions (workflow_type, target, status);
  CREATE INDEX wf_sessions_by_update ON wf_sessions (status, updated_at);

  CREATE TABLE wf_phases (
    session_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    number INTEGER NOT NULL,
    name TEXT NOT NULL,
    purpose TEXT NOT NULL,
    overview_file TEXT,
    gate_json TEXT,
    status TEXT NOT NULL CHECK (status IN ('pending','active','completed')),
    evidence_hash TEXT,
    answer_json TEXT,
    completed_at INTEGER,
    completed_by TEXT,
    PRIMARY KEY (session_id, position)
  ) WITHOUT ROWID;

  CREATE TABLE wf_tasks (
    session_id TEXT NOT NULL,
    id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    phase_position INTEGER NOT NULL,
    number INTEGER NOT NULL,
    name TEXT NOT NULL,
    file TEXT,
    purpose TEXT NOT NULL,
    acceptance_json TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ready','claimed','done','blocked','skipped')),
    claimed_by TEXT,
    lease_until INTEGER,
    claims INTEGER NOT NULL DEFAULT 0,
    result_json TEXT,
    completed_at INTEGER,
    completed_by TEXT,
    version INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (session_id, id)
  ) WITHOUT ROWID;
  -- One index: every hot query (the first ready task, the claims, expired leases) goes by status.
  -- Each index is one more page written per transition, so there are no others.
  CREATE INDEX wf_tasks_by_status ON wf_tasks (session_id, status, seq);

  -- Tasks per (session, phase, status), kept by triggers in the same transaction as every change:
  -- the digest every answer carries reads a few rows instead of counting the tasks.
  CREATE TABLE wf_task_counts (
    session_id TEXT NOT NULL,
    phase_position INTEGER NOT NULL,
    status TEXT NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (session_id, phase_position, status)
  ) WITHOUT ROWID;
  CREATE TRIGGER wf_tasks_count_insert AFTER INSERT ON wf_tasks BEGIN
    INSERT INTO wf_task_counts (session_id, phase_position, status, n) VALUES (new.session_id, new.phase_position, new.status, 1)
      ON CONFLICT (session_id, phase_position, status) DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER wf_tasks_count_update AFTER UPDATE OF status, phase_position ON wf_tasks
    WHEN old.status != new.status OR old.phase_position != new.phase_position BEGIN
    UPDATE wf_task_counts SET n = n - 1 WHERE session_id = old.session_id AND phase_position = old.phase_position AND status = old.status;
    INSERT INTO wf_task_counts (session_id, phase_position, status, n) VALUES (new.session_id, new.phase_position, new.status, 1)
      ON CONFLICT (session_id, phase_position, status) DO UPDATE SET n = n + 1;
  END;
  CREATE TRIGGER wf_tasks_count_delete AFTER DELETE ON wf_tasks BEGIN
    UPDATE wf_task_counts SET n = n - 1 WHERE session_id = old.session_id AND phase_position = old.phase_position AND status = old.status;
  END;

  CREATE TABLE wf_task_deps (
    session_id TEXT NOT NULL,
    task_id TEXT NOT NULL,
    depends_on TEXT NOT NULL,
    PRIMARY KEY (session_id, task_id, depends_on)
  ) WITHOUT ROWID;
  CREATE INDEX wf_task_deps_reverse ON wf_task_deps (session_id, depends_on);

  CREATE TABLE wf_events (
    seq INTEGER PRIMARY KEY,
    session_id TEXT,
    at INTEGER NOT NULL,
    action TEXT NOT NULL,
    ok INTEGER NOT NULL,
    phase INTEGER,
    task_id TEXT,
    agent TEXT NOT NULL,
    client TEXT NOT NULL,
    transport TEXT NOT NULL,
    request_id TEXT,
    input_json TEXT,
    result_json TEXT
  );
  CREATE INDEX wf_events_by_session ON wf_events (session_id, seq);

  CREATE TABLE wf_requests (
    agent TEXT NOT NULL,
    request_id TEXT NOT NULL,
    action TEXT NOT NULL,
    answer_json TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (agent, request_id)
  ) WITHOUT ROWID;
  `,
  },
];
