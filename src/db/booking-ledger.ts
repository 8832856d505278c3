import type { StoredBooking } from "../core/booking-merge.ts";
import type { Queryable } from "./database.ts";

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
  if (uids.length === 0) return new Map();
  const rows = await db.query<BookingRow>(`select ${COLUMNS} from bookings where uid = any($1::text[])`, [
    uids,
  ]);
  return new Map(rows.map((row) => [row.uid, fromRow(row)]));
}

/** Upserts in one statement however many bookings there are (a page of 250 or a backlog of 10,000). */
export async function saveBookings(db: Queryable, bookings: readonly StoredBooking[]): Promise<void> {
  if (bookings.length === 0) return;
  const records = bookings.map((b) => ({
    uid: b.uid,
    status: b.status,
    start_at: b.start,
    end_at: b.end,
    event_type_id: b.eventTypeId,
    attendee: b.attendee,
    rescheduled_from_uid: b.rescheduledFromUid,
    rescheduled_to_uid: b.rescheduledToUid,
    calcom_updated_at: b.updatedAt,
    reschedule_requested: b.rescheduleRequested === true,
    seat: b.seat ?? null,
  }));
  await db.query(
    `insert into bookings (uid, status, start_at, end_at, event_type_id, attendee, rescheduled_from_uid,
                           rescheduled_to_uid, calcom_updated_at, reschedule_requested, seat, changed_at)
     select r.uid, r.status, r.start_at, r.end_at, r.event_type_id, r.attendee, r.rescheduled_from_uid,
            r.rescheduled_to_uid, r.calcom_updated_at, r.reschedule_requested, r.seat, now()
       from jsonb_to_recordset($1::jsonb) as r(uid text, status text, start_at text, end_at text,
            event_type_id bigint, attendee jsonb, rescheduled_from_uid text, rescheduled_to_uid text,
            calcom_updated_at text, reschedule_requested boolean, seat jsonb)
     on conflict (uid) do update set
       status = excluded.status, start_at = excluded.start_at, end_at = excluded.end_at,
       event_type_id = excluded.event_type_id, attendee = excluded.attendee,
       rescheduled_from_uid = excluded.rescheduled_from_uid, rescheduled_to_uid = excluded.rescheduled_to_uid,
       calcom_updated_at = excluded.calcom_updated_at, reschedule_requested = excluded.reschedule_requested,
       seat = excluded.seat, changed_at = now()`,
    [JSON.stringify(records)],
  );
}

/** Records which lead each booking belongs to, so it stays with that lead when rows move. */
export async function saveLinks(db: Queryable, links: ReadonlyMap<string, string>): Promise<void> {
  if (links.size === 0) return;
  const records = [...links].map(([uid, leadKey]) => ({ uid, lead_key: leadKey }));
  await db.query(
    `update bookings b set lead_key = r.lead_key
       from jsonb_to_recordset($1::jsonb) as r(uid text, lead_key text)
      where b.uid = r.uid and b.lead_key is distinct from r.lead_key`,
    [JSON.stringify(records)],
  );
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
