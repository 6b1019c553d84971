import type { AppContext } from '../../context.ts';
import type { WorkflowEngine } from './engine.ts';
import { type OpenEngine, openWorkflowEngine } from './open.ts';

// One engine per server process (per context): opened on the first workflow call, so a server
// whose agents never use workflows never opens the database for them (idle RSS unchanged).
const engines = new WeakMap<AppContext, WorkflowEngine>();
// The store too, for the live view's PRAGMA data_version (issue 14).
const opens = new WeakMap<AppContext, OpenEngine>();

/** The opened engine and its store, if a workflow was used in this process. */
export const openedFor = (ctx: AppContext): OpenEngine | undefined => opens.get(ctx);

/** The engine of this server's project, opened (tables created) on first use. */
export async function engineFor(ctx: AppContext): Promise<WorkflowEngine> {
  let engine = engines.get(ctx);
  if (!engine) {
    const opened = openWorkflowEngine(ctx.project, { warn: (m) => ctx.log.warn(m) });
    engine = opened.engine;
    engines.set(ctx, engine);
    opens.set(ctx, opened);
    ctx.log.debug(`workflows: opened ${opened.store.path}`);
  }
  return engine;
}
