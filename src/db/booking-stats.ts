import type { Queryable } from "./database.ts";

/**
 * The Cal.com event type most bookings calsync has seen are of: what the dashboard books when
 * CALCOM_EVENT_TYPE_IDS names none (the demo, or an account with one event type). Null before any booking.
 */
export async function mostUsedEventTypeId(db: Queryable): Promise<number | null> {
  const rows = await db.query<{ event_type_id: number | string }>(
    `select event_type_id from bookings where event_type_id is not null
      group by event_type_id order by count(*) desc, event_type_id limit 1`,
  );
  const id = rows[0]?.event_type_id;
  return id === undefined ? null : Number(id);
}
