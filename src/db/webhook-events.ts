import type { Queryable } from "./database.ts";
import { inBatches, placeholders } from "./sql-batch.ts";

/**
 * Webhook deliveries, durable from the moment they are acknowledged: a delivery is stored before Cal.com
 * gets its 2xx, and stays pending until the sheet and dashboard have it, across restarts and outages.
 */
export type StoredEvent = {
  id: number;
  trigger: string;
  bookingUid: string | null;
  body: unknown;
  attempts: number;
};

/**
 * Stores a delivery once; a repeat of the same event (same key) is recognised and not stored again. Answers
 * the stored delivery's id either way.
 */
export async function storeEvent(
  db: Queryable,
  event: {
    idempotencyKey: string;
    trigger: string;
    bookingUid: string | null;
    body: unknown;
    receivedAt?: Date | undefined;
  },
): Promise<{ duplicate: boolean; id: number | null }> {
  const at = (event.receivedAt ?? new Date()).toISOString();
  const rows = await db.query<{ id: number }>(
    `insert into webhook_events (idempotency_key, trigger, booking_uid, body, received_at, next_attempt_at)
     values ($1, $2, $3, $4, $5, $5) on conflict (idempotency_key) do nothing returning id`,
    [event.idempotencyKey, event.trigger, event.bookingUid, JSON.stringify(event.body), at],
  );
  if (rows[0]) return { duplicate: false, id: Number(rows[0].id) };
  const known = await db.query<{ id: number }>("select id from webhook_events where idempotency_key = $1", [
    event.idempotencyKey,
  ]);
  return { duplicate: true, id: known[0] ? Number(known[0].id) : null };
}

/**
 * Makes a stored delivery due again (a replay from the dashboard): the next application folds it into the
 * ledger once more, which changes nothing the ledger already has. False when no such delivery is stored.
 */
export async function requeueEvent(db: Queryable, id: number, now: Date): Promise<boolean> {
  const rows = await db.query<{ id: number }>(
    `update webhook_events set applied_at = null, attempts = 0, next_attempt_at = $1, last_error = null
      where id = $2 returning id`,
    [now.toISOString(), id],
  );
  return rows.length > 0;
}

export async function dueEvents(db: Queryable, now: Date, limit = 5_000): Promise<StoredEvent[]> {
  const rows = await db.query<{
    id: number;
    trigger: string;
    booking_uid: string | null;
    body: unknown;
    attempts: number;
  }>(
    `select id, trigger, booking_uid, body, attempts from webhook_events
      where applied_at is null and next_attempt_at <= $1 order by id limit $2`,
    [now.toISOString(), limit],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    trigger: row.trigger,
    bookingUid: row.booking_uid,
    body: row.body,
    attempts: Number(row.attempts),
  }));
}

export async function markEventsApplied(db: Queryable, ids: readonly number[]): Promise<void> {
  await inBatches(db, ids, 1, async (q, batch) => {
    await q.query(
      `update webhook_events set applied_at = now(), last_error = null where id in (${placeholders(batch.length)})`,
      batch,
    );
  });
}

/** Records a failed attempt and when to try again. */
export async function deferEvents(
  db: Queryable,
  ids: readonly number[],
  retryAt: Date,
  error: string,
): Promise<void> {
  await inBatches(
    db,
    ids,
    1,
    async (q, batch) => {
      await q.query(
        `update webhook_events set attempts = attempts + 1, next_attempt_at = $1, last_error = $2
          where id in (${placeholders(batch.length, 3)})`,
        [retryAt.toISOString(), error.slice(0, 2_000), ...batch],
      );
    },
    2,
  );
}

export async function nextEventDueAt(db: Queryable): Promise<Date | null> {
  const rows = await db.query<{ at: string | null }>(
    "select min(next_attempt_at) as at from webhook_events where applied_at is null",
  );
  const at = rows[0]?.at;
  return at ? new Date(at) : null;
}

export async function eventCounts(
  db: Queryable,
): Promise<{ received: number; pending: number; failing: number }> {
  const rows = await db.query<{ received: number; pending: number; failing: number }>(
    `select count(*) as received,
            count(*) filter (where applied_at is null) as pending,
            count(*) filter (where applied_at is null and attempts > 0) as failing
       from webhook_events`,
  );
  const row = rows[0];
  return {
    received: Number(row?.received ?? 0),
    pending: Number(row?.pending ?? 0),
    failing: Number(row?.failing ?? 0),
  };
}
