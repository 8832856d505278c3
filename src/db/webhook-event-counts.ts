import type { Queryable } from "./database.ts";

/**
 * The history page's webhook counts, each read from an index rather than the whole table: deliveries
 * received since `since` (index on received_at, migration 0006), and those still pending or failing (the
 * partial index on pending deliveries, migration 0003).
 */
export async function webhookEventCounts(
  db: Queryable,
  since: Date,
): Promise<{ received: number; pending: number; failing: number }> {
  const rows = await db.query<{ received: unknown; pending: unknown; failing: unknown }>(
    `select (select count(*) from webhook_events where received_at >= $1) as received,
            (select count(*) from webhook_events where applied_at is null) as pending,
            (select count(*) from webhook_events where applied_at is null and attempts > 0) as failing`,
    [since.toISOString()],
  );
  const row = rows[0];
  return {
    received: Number(row?.received ?? 0),
    pending: Number(row?.pending ?? 0),
    failing: Number(row?.failing ?? 0),
  };
}
