import type { LeadLedgerEntry } from "../core/plan-booking-sync.ts";
import type { Queryable } from "./database.ts";
import { inBatches, valueRows } from "./sql-batch.ts";

/** What calsync last decided and wrote for each lead: where, which status, which booking time. */
export async function loadLeadLedger(db: Queryable): Promise<Map<string, LeadLedgerEntry>> {
  const rows = await db.query<{
    lead_key: string;
    sheet_row: number | null;
    decision: string;
    status_written: string | null;
    booking_written: string | null;
    booking_uid: string | null;
  }>("select lead_key, sheet_row, decision, status_written, booking_written, booking_uid from lead_ledger");
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
      },
    ]),
  );
}

export async function saveLeadLedger(db: Queryable, entries: readonly LeadLedgerEntry[]): Promise<void> {
  await inBatches(db, entries, 6, async (q, batch) => {
    const params: unknown[] = [];
    for (const e of batch) {
      params.push(e.leadKey, e.row, e.decision, e.statusWritten, e.bookingWritten, e.bookingUid);
    }
    await q.query(
      `insert into lead_ledger (lead_key, sheet_row, decision, status_written, booking_written, booking_uid, updated_at)
       values ${valueRows(batch.length, 6, { tail: "now()" })}
       on conflict (lead_key) do update set
         sheet_row = excluded.sheet_row, decision = excluded.decision, status_written = excluded.status_written,
         booking_written = excluded.booking_written, booking_uid = excluded.booking_uid, updated_at = now()`,
      params,
    );
  });
}
