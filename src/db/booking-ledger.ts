import type { StoredBooking } from "../core/booking-merge.ts";
import type { Queryable } from "./database.ts";
import { inBatches, placeholders, selectInBatches, valueRows } from "./sql-batch.ts";

/**
 * Every booking calsync has heard of, keyed by uid, in its furthest-known state (see mergeBooking), with
 * the lead it was linked to. The ledger, not Cal.com's list, is what the planner reads.
 */
type BookingRow = {
  uid: string;
  status: StoredBooking["status"];
  start_at: string | null;
  end_at: string | null;
  event_type_id: number | null;
  attendee: StoredBooking["attendee"];
  rescheduled_from_uid: string | null;
  rescheduled_to_uid: string | null;
  calcom_updated_at: string | null;
  reschedule_requested: boolean;
  seat: StoredBooking["seat"] | null;
  lead_key: string | null;
};

const COLUMNS = `uid, status, start_at, end_at, event_type_id, attendee, rescheduled_from_uid, rescheduled_to_uid,
            calcom_updated_at, reschedule_requested, seat, lead_key`;

export async function loadBookings(
  db: Queryable,
): Promise<{ bookings: StoredBooking[]; links: Map<string, string> }> {
  const rows = await db.query<BookingRow>(
    `select ${COLUMNS} from bookings order by start_at nulls last, uid`,
  );
  const links = new Map<string, string>();
  const bookings = rows.map((row) => {
    if (row.lead_key) links.set(row.uid, row.lead_key);
    return fromRow(row);
  });
  return { bookings, links };
}

export async function loadBookingsByUid(
  db: Queryable,
  uids: readonly string[],
): Promise<Map<string, StoredBooking>> {
  const rows = await selectInBatches(uids, (batch) =>
    db.query<BookingRow>(
      `select ${COLUMNS} from bookings where uid in (${placeholders(batch.length)})`,
      batch,
    ),
  );
  return new Map(rows.map((row) => [row.uid, fromRow(row)]));
}

/**
 * Upserts however many bookings there are (a page of 250 or a backlog of 10,000), in multi-row statements;
 * several statements run in one transaction.
 */
export async function saveBookings(db: Queryable, bookings: readonly StoredBooking[]): Promise<void> {
  await inBatches(db, bookings, BOOKING_COLUMNS, async (q, batch) => {
    const params: unknown[] = [];
    for (const b of batch) {
      params.push(
        b.uid,
        b.status,
        b.start,
        b.end,
        b.eventTypeId,
        JSON.stringify(b.attendee),
        b.rescheduledFromUid,
        b.rescheduledToUid,
        b.updatedAt,
        b.rescheduleRequested === true,
        b.seat ? JSON.stringify(b.seat) : null,
      );
    }
    await q.query(
      `insert into bookings (uid, status, start_at, end_at, event_type_id, attendee, rescheduled_from_uid,
                             rescheduled_to_uid, calcom_updated_at, reschedule_requested, seat, changed_at)
       values ${valueRows(batch.length, BOOKING_COLUMNS, { tail: "now()" })}
       on conflict (uid) do update set
         status = excluded.status, start_at = excluded.start_at, end_at = excluded.end_at,
         event_type_id = excluded.event_type_id, attendee = excluded.attendee,
         rescheduled_from_uid = excluded.rescheduled_from_uid, rescheduled_to_uid = excluded.rescheduled_to_uid,
         calcom_updated_at = excluded.calcom_updated_at, reschedule_requested = excluded.reschedule_requested,
         seat = excluded.seat, changed_at = now()`,
      params,
    );
  });
}

const BOOKING_COLUMNS = 11;

/** Records which lead each booking belongs to, so it stays with that lead when rows move. */
export async function saveLinks(db: Queryable, links: ReadonlyMap<string, string>): Promise<void> {
  await inBatches(db, [...links], 2, async (q, batch) => {
    await q.query(
      `with r (uid, lead_key) as (values ${valueRows(batch.length, 2)})
       update bookings as b set lead_key = r.lead_key
         from r
        where b.uid = r.uid and b.lead_key is distinct from r.lead_key`,
      batch.flat(),
    );
  });
}

function fromRow(row: BookingRow): StoredBooking {
  return {
    uid: row.uid,
    status: row.status,
    start: row.start_at,
    end: row.end_at,
    eventTypeId: row.event_type_id === null ? null : Number(row.event_type_id),
    attendee: row.attendee,
    rescheduledFromUid: row.rescheduled_from_uid,
    rescheduledToUid: row.rescheduled_to_uid,
    updatedAt: row.calcom_updated_at,
    ...(row.reschedule_requested ? { rescheduleRequested: true } : {}),
    ...(row.seat ? { seat: row.seat } : {}),
  };
}

/** The seat entries of seated bookings (uid `<bookingUid>/<seatUid>`), by Cal.com booking uid. */
export async function loadSeatsOf(
  db: Queryable,
  bookingUids: readonly string[],
): Promise<Map<string, StoredBooking[]>> {
  const seats = new Map<string, StoredBooking[]>();
  for (const bookingUid of new Set(bookingUids)) {
    const rows = await db.query<BookingRow>(
      `select ${COLUMNS} from bookings where uid like $1 order by uid`,
      [`${bookingUid}/%`],
    );
    // LIKE's `_` matches any character: keep only the entries that really are this booking's seats.
    seats.set(
      bookingUid,
      rows.map(fromRow).filter((booking) => booking.seat?.bookingUid === bookingUid),
    );
  }
  return seats;
}
