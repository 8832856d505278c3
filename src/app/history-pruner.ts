import { pruneHistory } from "../sync/prune-history.ts";
import type { Runtime } from "./runtime.ts";

const DAY_MS = 86_400_000;

export type HistoryPruner = {
  /** Prunes unless this process did within the last day; never throws (a failure is logged and retried). */
  runIfDue(): Promise<void>;
};

/**
 * When retention runs: at start and then at most once a day per process. `calsync serve` calls it on a
 * daily schedule, the Vercel function on each request (cheap until it is due), `calsync sync` after its run.
 */
export function createHistoryPruner(runtime: Runtime, everyMs = DAY_MS): HistoryPruner {
  let lastRunAt: number | undefined;
  let running: Promise<void> | undefined;
  const run = async () => {
    try {
      const { before } = await pruneHistory(runtime.ctx, runtime.config.historyDays);
      lastRunAt = runtime.ctx.clock().getTime();
      runtime.log.info("pruned history", { before: before.toISOString() });
    } catch (error) {
      runtime.log.warn("could not prune history; will try again", { error });
    }
  };
  return {
    runIfDue() {
      const now = runtime.ctx.clock().getTime();
      if (lastRunAt !== undefined && now - lastRunAt < everyMs) return Promise.resolve();
      running ??= run().finally(() => {
        running = undefined;
      });
      return running;
    },
  };
}
