// The live workflow state of one server process (issue 14), created with the engine on first use.
import type { AppContext } from '../../context.ts';
import { engineFor, openedFor } from '../engine/host.ts';
import { type WorkflowLive, createWorkflowLive } from './live.ts';
import { lives } from './registry.ts';

/** The live state of this server's workflows; opens the engine if nothing did yet. */
export async function liveFor(ctx: AppContext): Promise<WorkflowLive> {
  let live = lives.get(ctx);
  if (!live) {
    await engineFor(ctx);
    live = lives.get(ctx); // another caller may have won while the engine opened
    if (!live) {
      live = createWorkflowLive(openedFor(ctx)!, ctx);
      lives.set(ctx, live);
    }
  }
  return live;
}
