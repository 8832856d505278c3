import type { LeadLedgerEntry } from "../core/plan-booking-sync.ts";
import type { Queryable } from "./database.ts";
import { inBatches, placeholders, valueRows } from "./sql-batch.ts";

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
  await inBatches(db, entries, 8, async (q, batch) => {
    const params: unknown[] = [];
    for (const e of batch) {
      params.push(
        e.leadKey,
        e.row,
        e.decision,
        e.statusWritten,
        e.bookingWritten,
        e.bookingUid,
        e.identity?.phone ?? null,
        e.identity?.email ?? null,
      );
    }
    await q.query(
      `insert into lead_ledger (lead_key, sheet_row, decision, status_written, booking_written, booking_uid, phone,
                                email, updated_at)
       values ${valueRows(batch.length, 8, { tail: "now()" })}
       on conflict (lead_key) do update set
         sheet_row = excluded.sheet_row, decision = excluded.decision, status_written = excluded.status_written,
         booking_written = excluded.booking_written, booking_uid = excluded.booking_uid, phone = excluded.phone,
         email = excluded.email, updated_at = now()`,
      params,
    );
  });
}

/** Whether two entries store the same row (the columns saveLeadLedger writes, updated_at aside). */
export function storesSame(a: LeadLedgerEntry, b: LeadLedgerEntry): boolean {
  return (
    a.leadKey === b.leadKey &&
    a.row === b.row &&
    a.decision === b.decision &&
    a.statusWritten === b.statusWritten &&
    a.bookingWritten === b.bookingWritten &&
    a.bookingUid === b.bookingUid &&
    (a.identity?.phone ?? null) === (b.identity?.phone ?? null) &&
    (a.identity?.email ?? null) === (b.identity?.email ?? null)
  );
}

/** Drops the entries of lead keys no row holds any more (the lead moved to a new key). */
export async function forgetLeadKeys(db: Queryable, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await db.query(`delete from lead_ledger where lead_key in (${placeholders(keys.length)})`, keys);
}
