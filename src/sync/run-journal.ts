import type { BookingNews } from "../core/booking-news.ts";
import type { Change } from "../core/change-log.ts";
import { recordBookingNews } from "../db/booking-news.ts";
import { beginRun, finishRun, recordChanges } from "../db/change-log.ts";
import type { SyncContext } from "./context.ts";

/**
 * One run's record: its row in sync_runs and everything it changed, written as it lands. The row is
 * written at the first change (or at the end, for a run that changed nothing), so a run that stops
 * part-way still names every change it made; an idle run that is not finished is never written at all.
 */
export type RunJournal = {
  /** The run's id, writing its record first if it has none yet. */
  runId(): Promise<number>;
  record(changes: readonly Change[]): Promise<void>;
  /** What Cal.com reported to this run; a poll's findings may count as missed webhooks. */
  news(news: readonly BookingNews[], options: { expectWebhook: boolean }): Promise<void>;
  /** Completes the record with the run's answer (which gains `runId`), and answers the id. */
  finish<T extends { success: boolean }>(result: T): Promise<T & { runId: number }>;
};

export function createRunJournal(
  ctx: Pick<SyncContext, "db" | "clock">,
  run: { kind: string; trigger: string; startedAt: Date },
): RunJournal {
  let id: Promise<number> | undefined;
  const runId = () => {
    id ??= beginRun(ctx.db, run).catch((error: unknown) => {
      id = undefined;
      throw error;
    });
    return id;
  };
  return {
    runId,
    async record(changes) {
      if (changes.length === 0) return;
      await recordChanges(ctx.db, await runId(), ctx.clock(), changes);
    },
    async news(news, options) {
      if (news.length === 0) return;
      await recordBookingNews(ctx.db, await runId(), ctx.clock(), news, options);
    },
    async finish(result) {
      const at = await runId();
      const answer = { ...result, runId: at };
      await finishRun(ctx.db, at, { success: result.success, result: answer, finishedAt: ctx.clock() });
      return answer;
    },
  };
}
