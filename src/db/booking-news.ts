import { type BookingNews, REPORTED_BY } from "../core/booking-news.ts";
import type { Queryable } from "./database.ts";
import { inBatches, placeholders, valueRows } from "./sql-batch.ts";

/**
 * What Cal.com reported about bookings, per run (migration 0008). A poll's finding counts as missed when no
 * delivery reporting it (a trigger of REPORTED_BY, for the same booking) was received before `grace_until`,
 * a little after the poll: a delivery Cal.com sent just before the poll may arrive just after it.
 */
export const REPORT_GRACE_MS = 10 * 60_000;

const NEWS_COLUMNS = 13;

export async function recordBookingNews(
  db: Queryable,
  runId: number | null,
  foundAt: Date,
  news: readonly BookingNews[],
  options: { expectWebhook: boolean },
): Promise<void> {
  const graceUntil = new Date(foundAt.getTime() + REPORT_GRACE_MS).toISOString();
  await inBatches(db, news, NEWS_COLUMNS, async (q, batch) => {
    const params: unknown[] = [];
    for (const item of batch) {
      params.push(
        runId,
        foundAt.toISOString(),
        item.bookingUid,
        item.calcomUid,
        item.kind,
        item.status,
        item.start,
        item.rescheduledFromUid,
        item.source,
        item.deliveryId,
        item.source === "poll" && options.expectWebhook,
        REPORTED_BY[item.kind].join(","),
        graceUntil,
      );
    }
    await q.query(
      `insert into booking_news (run_id, found_at, booking_uid, calcom_uid, kind, status, start_at,
                                 rescheduled_from_uid, source, delivery_id, expect_webhook, reported_by, grace_until)
       values ${valueRows(batch.length, NEWS_COLUMNS)}`,
      params,
    );
  });
}

/** A poll's finding that no delivery reported in time. */
const MISSED = `n.expect_webhook and not exists (
    select 1 from webhook_events e
     where e.booking_uid = n.calcom_uid and e.received_at <= n.grace_until
       and (',' || n.reported_by || ',') like ('%,' || e.trigger || ',%'))`;

/** Changes polls found since `since` that no webhook delivery reported. */
export async function countMissed(db: Queryable, since: Date): Promise<number> {
  const rows = await db.query<{ n: number }>(
    `select count(*) as n from booking_news n where n.found_at >= $1 and ${MISSED}`,
    [since.toISOString()],
  );
  return Number(rows[0]?.n ?? 0);
}

export type RecordedNews = BookingNews & {
  id: number;
  runId: number | null;
  foundAt: string;
  missed: boolean;
};

type NewsRow = {
  id: number;
  run_id: number | null;
  found_at: string;
  booking_uid: string;
  calcom_uid: string;
  kind: BookingNews["kind"];
  status: BookingNews["status"];
  start_at: string | null;
  rescheduled_from_uid: string | null;
  source: BookingNews["source"];
  delivery_id: number | null;
  missed: boolean | number;
};

const SELECT_NEWS = `select n.id, n.run_id, n.found_at, n.booking_uid, n.calcom_uid, n.kind, n.status, n.start_at,
  n.rescheduled_from_uid, n.source, n.delivery_id, case when ${MISSED} then 1 else 0 end as missed
  from booking_news n`;

function fromRow(row: NewsRow): RecordedNews {
  return {
    id: Number(row.id),
    runId: row.run_id === null ? null : Number(row.run_id),
    foundAt: new Date(row.found_at).toISOString(),
    bookingUid: row.booking_uid,
    calcomUid: row.calcom_uid,
    kind: row.kind,
    status: row.status,
    start: row.start_at,
    rescheduledFromUid: row.rescheduled_from_uid,
    source: row.source,
    deliveryId: row.delivery_id === null ? null : Number(row.delivery_id),
    missed: Number(row.missed) === 1,
  };
}

/** What Cal.com reported about the bookings linked to these leads, newest first. */
export async function newsOfLeads(
  db: Queryable,
  leadKeys: readonly string[],
  limit = 200,
): Promise<RecordedNews[]> {
  if (leadKeys.length === 0) return [];
  const rows = await db.query<NewsRow>(
    `${SELECT_NEWS} where n.booking_uid in (select uid from bookings where lead_key in (${placeholders(leadKeys.length, 2)}))
     order by n.id desc limit $1`,
    [limit, ...leadKeys],
  );
  return rows.map(fromRow);
}

/** What one run learned from Cal.com, in order. */
export async function newsOfRun(db: Queryable, runId: number): Promise<RecordedNews[]> {
  const rows = await db.query<NewsRow>(`${SELECT_NEWS} where n.run_id = $1 order by n.id`, [runId]);
  return rows.map(fromRow);
}
