import type { LeadLedgerEntry } from "../core/plan-booking-sync.ts";
import type { Queryable } from "./database.ts";

/** What calsync last decided and wrote for each lead: where, which status, which booking time. */
export async function loadLeadLedger(db: Queryable): Promise<Map<string, LeadLedgerEntry>> {
  const rows = await db.query<{
    lead_key: string;
    sheet_row: number | null;
    decision: string;
    status_written: string | null;
    booking_written: string | null;
    booking_uid: string | null;
    phone: string | null;
    email: string | null;
  }>(
    "select lead_key, sheet_row, decision, status_written, booking_written, booking_uid, phone, email from lead_ledger",
  );
  return new Map(
    rows.map((row) => [
      row.lead_key,
      {
        leadKey: row.lead_key,
        row: row.sheet_row,
        decision: row.decision,
        statusWritten: row.status_written,
        bookingWritten: row.booking_written,
        bookingUid: row.booking_uid,
        ...(row.phone !== null || row.email !== null
          ? { identity: { phone: row.phone, email: row.email } }
          : {}),
      },
    ]),
  );
}

export async function saveLeadLedger(db: Queryable, entries: readonly LeadLedgerEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const records = entries.map((e) => ({
    lead_key: e.leadKey,
    sheet_row: e.row,
    decision: e.decision,
    status_written: e.statusWritten,
    booking_written: e.bookingWritten,
    booking_uid: e.bookingUid,
    phone: e.identity?.phone ?? null,
    email: e.identity?.email ?? null,
  }));
  await db.query(
    `insert into lead_ledger (lead_key, sheet_row, decision, status_written, booking_written, booking_uid, phone,
                              email, updated_at)
     select r.lead_key, r.sheet_row, r.decision, r.status_written, r.booking_written, r.booking_uid, r.phone,
            r.email, now()
       from jsonb_to_recordset($1::jsonb) as r(lead_key text, sheet_row integer, decision text,
            status_written text, booking_written text, booking_uid text, phone text, email text)
     on conflict (lead_key) do update set
       sheet_row = excluded.sheet_row, decision = excluded.decision, status_written = excluded.status_written,
       booking_written = excluded.booking_written, booking_uid = excluded.booking_uid, phone = excluded.phone,
       email = excluded.email, updated_at = now()`,
    [JSON.stringify(records)],
  );
}

/** Drops the entries of lead keys no row holds any more (the lead moved to a new key). */
export async function forgetLeadKeys(db: Queryable, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  const placeholders = keys.map((_, i) => `$${i + 1}`).join(", ");
  await db.query(`delete from lead_ledger where lead_key in (${placeholders})`, keys);
}
