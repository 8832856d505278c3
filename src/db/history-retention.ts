import type { Queryable } from "./database.ts";

/**
 * Deletes what is older than `before` from the history tables:
 * - webhook deliveries already applied (one never applied stays: it is still owed to the sheet, and the
 *   history page shows it as failing), and the log of deliveries received;
 * - run records, except the newest successful run of each kind, whose answer the dashboard still shows
 *   (Needs attention lists the last booking sync's unmatched and ambiguous bookings);
 * - the change log of the runs that went (a kept run keeps its changes, so it can still be undone), and
 *   what Cal.com reported to runs (the lead pages' booking history, the missed-webhook counts).
 */
export async function pruneHistory(db: Queryable, before: Date): Promise<void> {
  const cutoff = before.toISOString();
  await db.query("delete from webhook_events where applied_at is not null and received_at < $1", [cutoff]);
  await db.query("delete from webhook_deliveries where received_at < $1", [cutoff]);
  await db.query(
    `delete from sync_runs where started_at < $1
       and id not in (select max(id) from sync_runs where success group by kind)`,
    [cutoff],
  );
  await db.query(
    `delete from change_log where at < $1
       and not exists (select 1 from sync_runs r where r.id = change_log.run_id)`,
    [cutoff],
  );
  await db.query("delete from booking_news where found_at < $1", [cutoff]);
}
