import { type Store, openProjectStore } from '../../store/index.ts';
import type { DefinitionProvider, EngineOptions } from './core.ts';
import { WorkflowEngine } from './engine.ts';
import { createDefinitionProvider } from './provider.ts';
import { MIGRATIONS, MIGRATIONS_OWNER } from './schema.ts';

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
  const retention = Number(process.env.PRAXIS_MCP_WORKFLOW_RETENTION_DAYS);
  const engine = new WorkflowEngine(
    { db: store.db, tx: (fn) => store.immediate(() => fn()) },
    options.defs ?? createDefinitionProvider(project.root),
    { retentionDays: Number.isFinite(retention) && retention > 0 ? retention : undefined, ...options, root: project.root },
  );
  return { engine, store, close: () => store.close() };
}
