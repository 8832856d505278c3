import { appendedRowChanges, type CellChange } from "../core/change-log.ts";
import { normalizeEmail } from "../core/email.ts";
import { newLeadRow } from "../core/new-lead-row.ts";
import { normalizePhone } from "../core/phone.ts";
import type { SyncRunResult } from "../core/run-report.ts";
import { leadName } from "../core/sheet-leads.ts";
import { loadBookingsByUid, saveLinks } from "../db/booking-ledger.ts";
import { withRunLock } from "../db/run-lock.ts";
import { type ActionFailure, failureOf, refuse } from "./action-outcome.ts";
import { addLeadRows } from "./add-lead-rows.ts";
import type { SyncContext } from "./context.ts";
import { readLeads } from "./read-leads.ts";
import { runBookingSync } from "./run-booking-sync.ts";

export type AttentionSuccess = { ok: true; row: number; name: string; sync: SyncRunResult };

/**
 * "Add as new lead" for a booking that matched no row: appends the booker to the sheet (name, phone,
 * email), then runs the booking sync, which finds the new row like any other and writes the booking to it.
 */
export async function addBookerAsLead(
  ctx: SyncContext,
  uid: string,
): Promise<AttentionSuccess | ActionFailure> {
  try {
    const booking = (await loadBookingsByUid(ctx.db, [uid])).get(uid);
    if (!booking) return refuse(404, `No booking ${uid} is known; run a sync first.`);
    // Under the run lock, so no sync appends or writes rows between our read and our append.
    const appended = await withRunLock(
      ctx.db,
      { name: "booking-sync", timeoutMs: ctx.lockTimeoutMs },
      async (): Promise<
        { row: number; name: string; leadKey: string | null; changes: CellChange[] } | ActionFailure
      > => {
        const sheet = await readLeads(ctx);
        const row = newLeadRow(sheet.layout, booking.attendee, ctx.rules.region);
        if (!row)
          return refuse(422, `${booking.attendee.name || "The booker"} gave no phone or email to add.`);
        const existing = sheet.leads.find((lead) => lead.key === row.leadKey);
        if (existing)
          return { row: existing.row, name: leadName(existing), leadKey: existing.key, changes: [] };
        const { layout } = sheet;
        const identity = { phone: row.values[layout.phone] || null, email: row.values[layout.email] || null };
        const [at] = await addLeadRows(ctx, { ...sheet, fullRows: "all" }, [{ identity, cells: row.values }]);
        ctx.log.info("added a booker to the sheet from the dashboard", { uid, row: at });
        const name = booking.attendee.name;
        const changes = appendedRowChanges({
          row: at as number,
          values: row.values,
          header: sheet.grid[0] ?? [],
          layout: sheet.layout,
          identity: {
            phone: normalizePhone(row.values[sheet.layout.phone] ?? "", ctx.rules.region),
            email: normalizeEmail(row.values[sheet.layout.email] ?? ""),
          },
          leadKey: row.leadKey,
          leadName: name,
          cause: {
            source: "dashboard",
            sourceRef: null,
            bookingUid: uid,
            action: "added",
            reason: `the dashboard's Add as new lead: the booker of ${uid} matched no row`,
          },
        });
        return { row: at as number, name, leadKey: row.leadKey, changes };
      },
    );
    if ("ok" in appended) return appended;
    const sync = await runBookingSync(ctx, {
      trigger: "dashboard",
      origin: {
        what: "the booker was added as a new lead",
        bookingUids: [uid],
        leadKeys: appended.leadKey ? [appended.leadKey] : [],
        changes: appended.changes,
      },
    });
    return { ok: true, row: appended.row, name: appended.name, sync };
  } catch (thrown) {
    return failureOf(thrown);
  }
}

/**
 * "Link to row N" for a booking that matched several rows: records that the booking belongs to the lead
 * of row N (the link follows the lead if rows move later), then runs the booking sync to write it there.
 */
export async function linkBookingToRow(
  ctx: SyncContext,
  uid: string,
  row: number,
): Promise<AttentionSuccess | ActionFailure> {
  try {
    const booking = (await loadBookingsByUid(ctx.db, [uid])).get(uid);
    if (!booking) return refuse(404, `No booking ${uid} is known; run a sync first.`);
    const { leads } = await readLeads(ctx);
    const lead = leads.find((candidate) => candidate.row === row);
    if (!lead) return refuse(404, `Row ${row} holds no lead now; the sheet may have changed.`);
    if (!lead.key) {
      return refuse(
        422,
        `Row ${row} shares its phone and email with another row, so a booking cannot be tied to it. Give it a phone or email of its own first.`,
      );
    }
    await saveLinks(ctx.db, new Map([[uid, lead.key]]));
    ctx.log.info("linked a booking to a row from the dashboard", { uid, row });
    const sync = await runBookingSync(ctx, {
      trigger: "dashboard",
      origin: {
        what: `the booking was linked to row ${row}`,
        bookingUids: [uid],
        leadKeys: [lead.key],
        changes: [],
      },
    });
    return { ok: true, row, name: leadName(lead), sync };
  } catch (thrown) {
    return failureOf(thrown);
  }
}
