import { type Store, openProjectStore } from '../../store/index.ts';
import { startWalCheckpointer } from '../../store/wal-checkpointer.ts';
import type { DefinitionProvider, EngineOptions } from './core.ts';
import { WorkflowEngine } from './engine.ts';
import { BUSY_TRY_MS } from './mutate.ts';
import { createDefinitionProvider } from './provider.ts';
import { MIGRATIONS, MIGRATIONS_OWNER } from './schema.ts';
import { installApprovalGuard, waivable } from '../live/approval-guard.ts';
import { migrateApprovals } from '../live/approvals.ts';

/** An engine over the project database, with the store that holds it open. */
export interface OpenEngine {
  engine: WorkflowEngine;
  store: Store;
  close(): void;
}

/** Opens the project's database (creating the engine's tables), and the engine over it. */
export function openWorkflowEngine(
  project: { root: string; praxisDir: string },
  options: Partial<EngineOptions> & { defs?: DefinitionProvider; warn?: (m: string) => void } = {},
): OpenEngine {
  const store = openProjectStore(project.praxisDir, { warn: options.warn });
  store.migrate(MIGRATIONS_OWNER, MIGRATIONS);
  migrateApprovals(store); // issue 14
  // Short synchronous waits for another process's write lock; mutate.ts waits between tries asynchronously.
  store.db.exec(`PRAGMA busy_timeout = ${BUSY_TRY_MS}`);
  const retention = Number(process.env.PRAXIS_MCP_WORKFLOW_RETENTION_DAYS);
  const defs = waivable(options.defs ?? createDefinitionProvider(project.root));
  // Checkpoints run on another thread, not on the event loop every agent waits on (issue 13, p99).
  const checkpointer = startWalCheckpointer(store.db, store.path);
  const engine = new WorkflowEngine(
    {
      db: store.db,
      tx: (fn) => {
        const result = store.immediate(() => fn());
        checkpointer.afterCommit();
        return result;
      },
    },
    defs,
    { retentionDays: Number.isFinite(retention) && retention > 0 ? retention : undefined, ...options, root: project.root },
  );
  installApprovalGuard(engine, defs); // approval: required gates wait for a person (issue 14)
  return {
    engine,
    store,
    close: () => {
      checkpointer.close();
      store.close();
    },
  };
}
