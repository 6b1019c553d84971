import { locateProject, type ProjectLocation } from './project/locate.ts';
import { type Liveness, judgeStateFile } from './state/liveness.ts';
import { removeStateIfOwned, statePathOf } from './state/state-file.ts';

/** A project and what its state file says about its server. */
export interface Discovery {
  project: ProjectLocation;
  statePath: string;
  liveness: Liveness;
}

/**
 * Finds the project's server the way any agent can: the state file, then the pid and `/health`,
 * judged by the one function `serve` uses too (`judgeStateFile`, issue 11). A missing, empty,
 * truncated or wrong-shaped file is "no server", never an error; a planted one is "untrusted".
 */
export async function discoverServer(projectFlag: string | undefined): Promise<Discovery> {
  const project = locateProject({ flag: projectFlag });
  const statePath = statePathOf(project.praxisDir);
  return { project, statePath, liveness: await judgeStateFile(statePath) };
}

/** Removes a stale state file (only if it still names the dead instance; an untrusted file is never touched). */
export async function removeStale(discovery: Discovery): Promise<boolean> {
  if (discovery.liveness.kind !== 'stale') return false;
  const id = discovery.liveness.state.instance_id;
  return id ? removeStateIfOwned(discovery.statePath, id) : false;
}
