import type { App, AppOptions } from './app.ts';
import { startApp } from './app.ts';
import { createInflight } from './inflight.ts';
import { judgeState, readHealth } from './state/liveness.ts';
import { claimProject } from './state/ownership.ts';
import type { ServerState } from './state/schema.ts';
import { startBridge } from './transports/bridge.ts';
import { VIA_HEADER } from './transports/http.ts';
import type { RpcTarget } from './transports/rpc-over-http.ts';

/** A bridge session: forwards its IDE's stdio to the owner, and becomes the owner if it goes away. */
export interface Bridged {
  readonly closed: Promise<string>;
  close(reason: string): Promise<void>;
  /** The app this process started after taking over, if it did. */
  readonly ownApp: () => App | undefined;
}

const targetOf = (state: ServerState): RpcTarget => ({ url: state.url!, token: state.auth?.token ?? null });

/**
 * Runs a second server for a project as a bridge to `owner`. A watch (every `watchMs`) and every
 * refused forward lead to the same recovery: claim the project; the winner starts serving HTTP and
 * answers its own IDE in-process, the others re-target to the winner.
 */
export function runBridged(owner: ServerState, appOptions: AppOptions & { instanceId: string }, watchMs = 1000): Bridged {
  const { log, project } = appOptions;
  let current = owner;
  let target = targetOf(owner);
  let ownApp: App | undefined;
  let recovering: Promise<void> | undefined;
  const inflight = createInflight();

  const recover = (): Promise<void> =>
    (recovering ??= (async () => {
      try {
        const claim = await claimProject(project.praxisDir, { instanceId: appOptions.instanceId, log });
        if (claim.kind === 'owner') {
          try {
            ownApp = await startApp({ ...appOptions, transport: 'dual', stdio: false, release: claim.release });
          } catch (error) {
            await claim.release();
            throw error;
          }
          target = { url: ownApp.url!, token: ownApp.token, fetch: ownApp.fetch!, headers: { [VIA_HEADER]: 'stdio' } };
          log.info(`the owner (pid ${current.pid}) is gone: this process now owns ${project.root} at ${ownApp.url}`);
        } else if (claim.owner.url) {
          current = claim.owner;
          target = targetOf(claim.owner);
          log.info(`re-targeted to the new owner (pid ${current.pid}) at ${current.url}`);
        }
      } catch (error) {
        log.error(`cannot recover from the owner's exit: ${(error as Error).message}`);
      } finally {
        recovering = undefined;
      }
    })());

  let resolveClosed!: (reason: string) => void;
  const closed = new Promise<string>((resolve) => (resolveClosed = resolve));
  let closing: Promise<void> | undefined;
  const watch = setInterval(async () => {
    if (ownApp || recovering) return;
    if ((await judgeState(current)).kind !== 'live') void recover();
  }, watchMs);
  watch.unref?.();

  const close = (reason: string): Promise<void> =>
    (closing ??= (async () => {
      clearInterval(watch);
      await inflight.drained(appOptions.drainMs ?? 5000);
      await bridge.close().catch(() => {});
      if (ownApp) await ownApp.close(reason);
      resolveClosed(reason);
    })());

  const bridge = startBridge({
    target: () => target,
    recover,
    // An owner that took a forwarded request and went silent is asked /health (2 s at most): an
    // in-process target (this process took over) always answers.
    ownerResponds: async () => ownApp !== undefined || (await readHealth(current, 2000)).result === 'match',
    describeOwner: () => (ownApp ? `this process at ${ownApp.url}` : `pid ${current.pid} at ${current.url}`),
    onEnd: (reason) => void close(reason),
    log,
    stdin: appOptions.stdin,
    stdout: appOptions.stdout,
    inflight,
  });
  log.info(`another praxis-mcp (pid ${owner.pid}) owns ${project.root}: bridging this stdio to ${owner.url}`);
  return { closed, close, ownApp: () => ownApp };
}
