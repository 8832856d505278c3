import { pruneExpiredFlashes } from "../db/dashboard-flashes.ts";
import { pruneExpiredSessions } from "../db/dashboard-sessions.ts";
import { pruneHistory as pruneHistoryTables } from "../db/history-retention.ts";
import type { SyncContext } from "./context.ts";

const DAY_MS = 86_400_000;

/**
 * Retention: webhook deliveries and run records older than HISTORY_DAYS go (see db/history-retention.ts
 * for what is kept regardless), and so do expired dashboard sessions and flash messages.
 */
export async function pruneHistory(ctx: SyncContext, historyDays: number): Promise<{ before: Date }> {
  const now = ctx.clock();
  const before = new Date(now.getTime() - historyDays * DAY_MS);
  await pruneHistoryTables(ctx.db, before);
  await pruneExpiredSessions(ctx.db, now);
  await pruneExpiredFlashes(ctx.db, now);
  return { before };
}
