import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/support/db-harness.ts";
import { inDays, SHEET_TITLE, type System, startSystem } from "../../test/support/system.ts";
import { formatBookingTime } from "../core/booking-time.ts";
import { leadDocumentId } from "../core/lead-identity.ts";
import { runChanges } from "../db/change-log.ts";
import { acquireRunLock } from "../db/run-lock.ts";
import { copySheetToSanity } from "./copy-sheet-to-sanity.ts";
import { runBookingSync } from "./run-booking-sync.ts";

const LEADS = [
  ["HOT", "Anna", "Smith", "07700 111111", "anna@example.com", "Acme", "met at expo", ""],
  ["HOT", "Mark", "Greenall", "07700123456", "mark.greenall@example.com", "Greenstar", "", ""],
  ["WARM", "Dev", "Patel", "", "dev@example.com", "", "", ""],
  ["COLD", "No", "Contact", "", "", "Nowhere Ltd", "", ""],
];
const annaId = leadDocumentId("tel:+447700111111");
const markId = leadDocumentId("tel:+447700123456");
const devId = leadDocumentId("mailto:dev@example.com");

describeEachDatabase("the sheet → Sanity copy", (getDb) => {
  let system: System;
  const copy = (options: { leadsPerTransaction?: number } = {}) =>
    copySheetToSanity(system.runtime.ctx, { trigger: "cli", ...options });
  const leadDocs = () => system.sanity.documents().filter((d) => d._type === "dbrLead");

  beforeEach(async () => {
    system = await startSystem({ db: getDb(), rows: LEADS });
  });
  afterEach(async () => {
    await system.close();
  });

  it("copies every lead with a phone or email into its dbrLead document, in one transaction", async () => {
    const result = await copy();
    expect(result).toMatchObject({ success: true, leads: 3, written: 3, archived: 0, transactions: 1 });
    expect(result.warnings).toEqual([expect.stringMatching(/1 row\(s\) have no phone or email.*rows 5\b/)]);
    expect(system.sanity.stats().mutateRequests).toBe(1);
    expect(
      leadDocs()
        .map((d) => d._id)
        .sort(),
    ).toEqual([annaId, markId, devId].sort());
    expect(system.sanity.document(annaId)).toMatchObject({
      _type: "dbrLead",
      firstName: "Anna",
      lastName: "Smith",
      phone: "+447700111111",
      email: "anna@example.com",
      contactStatus: "HOT",
      sheetRow: 2,
      archived: false,
      sheetFields: [
        { _key: "col-A", header: "Contact_Status", value: "HOT" },
        { _key: "col-B", header: "First_Name", value: "Anna" },
        { _key: "col-C", header: "Last_Name", value: "Smith" },
        { _key: "col-D", header: "Phone", value: "07700 111111" },
        { _key: "col-E", header: "Email", value: "anna@example.com" },
        { _key: "col-F", header: "Company", value: "Acme" },
        { _key: "col-G", header: "Notes", value: "met at expo" },
        { _key: "col-H", header: "call_booked", value: "" },
      ],
    });
  });

  it("writes nothing on a second copy of an unchanged sheet, and only the edited row after an edit", async () => {
    await copy();
    system.sanity.resetStats();
    const second = await copy();
    expect(second).toMatchObject({ success: true, written: 0, archived: 0, unchanged: 3, transactions: 0 });
    // A copy that changed nothing is only noted: it has no run in the history.
    expect(second.runId).toBeNull();
    expect(system.sanity.stats().mutateRequests).toBe(0);

    system.sheets.typeCell(system.spreadsheetId, SHEET_TITLE, "F3", "Greenstar Energy");
    const third = await copy();
    expect(third).toMatchObject({ written: 1, unchanged: 2 });
    expect(system.sanity.stats()).toMatchObject({ mutateRequests: 1, mutations: 2 });
    expect(system.sanity.document(markId)?.sheetFields).toContainEqual({
      _key: "col-F",
      header: "Company",
      value: "Greenstar Energy",
    });
  });

  it("marks a lead whose row was deleted as archived, keeps its document, and brings it back with its row", async () => {
    await copy();
    system.sheets.deleteRows(system.spreadsheetId, SHEET_TITLE, 2, 1);
    const result = await copy();
    expect(result).toMatchObject({ success: true, archived: 1 });
    // Each document the copy wrote is in its run's change log.
    const logged = await runChanges(getDb(), result.runId as number);
    expect(
      logged.map((change) => (change.kind === "document" ? [change.action, change.documentId] : [])),
    ).toEqual([
      ["copy", markId],
      ["copy", devId],
      ["archive", annaId],
    ]);
    expect(system.sanity.document(annaId)).toMatchObject({
      archived: true,
      sheetRow: null,
      firstName: "Anna",
    });
    // Mark moved up a row when Anna's row went.
    expect(system.sanity.document(markId)).toMatchObject({ archived: false, sheetRow: 2 });

    system.sanity.resetStats();
    expect(await copy()).toMatchObject({ written: 0, archived: 0 });
    expect(system.sanity.stats().mutateRequests).toBe(0);

    system.sheets.insertRows(system.spreadsheetId, SHEET_TITLE, 5, [LEADS[0] as string[]]);
    await copy();
    expect(system.sanity.document(annaId)).toMatchObject({ archived: false, sheetRow: 5 });
  });

  it("archives a document the booking sync created for a lead whose row is gone before the first copy", async () => {
    await system.calcom.book({ start: inDays(2), attendee: { name: "Dev Patel", email: "dev@example.com" } });
    await runBookingSync(system.runtime.ctx, { trigger: "cli" });
    expect(system.sanity.document(devId)).toMatchObject({ sheetRow: 4 });
    system.sheets.deleteRows(system.spreadsheetId, SHEET_TITLE, 4, 1);
    expect(await copy()).toMatchObject({ archived: 1 });
    expect(system.sanity.document(devId)).toMatchObject({ archived: true, bookings: [expect.anything()] });
  });

  it("never overwrites the booking fields the booking sync wrote, whichever job runs first", async () => {
    const start = inDays(2, 17);
    await copy();
    const booking = await system.calcom.book({
      start,
      attendee: { name: "Mark Greenall", email: "mark.greenall@example.com", phone: "+447700123456" },
    });
    await runBookingSync(system.runtime.ctx, { trigger: "cli" });
    const afterBooking = system.sanity.document(markId);
    expect(afterBooking).toMatchObject({
      contactStatus: "CALL_BOOKED",
      callBooked: formatBookingTime(start, "Europe/London"),
      callBookedAt: start.toISOString(),
      bookings: [expect.objectContaining({ uid: booking.uid })],
      // The copy's own field is still there after the booking sync's write.
      sheetFields: expect.arrayContaining([{ _key: "col-F", header: "Company", value: "Greenstar" }]),
    });

    system.sheets.typeCell(system.spreadsheetId, SHEET_TITLE, "G3", "called back, keen");
    await copy();
    expect(system.sanity.document(markId)).toMatchObject({
      contactStatus: "CALL_BOOKED",
      callBooked: afterBooking?.callBooked,
      callBookedAt: afterBooking?.callBookedAt,
      bookings: afterBooking?.bookings,
      sheetFields: expect.arrayContaining([{ _key: "col-G", header: "Notes", value: "called back, keen" }]),
    });
  });

  it("puts back a status or row another writer left behind the sheet, even when the row did not change", async () => {
    await copy();
    const doc = system.sanity.document(annaId);
    system.sanity.seed([
      { ...(doc as { _id: string; _type: string }), contactStatus: "CALL_BOOKED", sheetRow: 7 },
    ]);
    expect(await copy()).toMatchObject({ written: 1, unchanged: 2 });
    expect(system.sanity.document(annaId)).toMatchObject({ contactStatus: "HOT", sheetRow: 2 });
  });

  it("waits for a running booking sync before reading the sheet, so it never copies a status older than Sanity's", async () => {
    const lock = await acquireRunLock(getDb(), { name: "booking-sync", timeoutMs: 1_000 });
    system.sheets.resetStats();
    const copying = copy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(system.sheets.stats().reads).toBe(0);
    await lock.release();
    expect(await copying).toMatchObject({ success: true, written: 3 });
    expect(system.sheets.stats().reads).toBe(1);
  });

  it("sends a large sheet in batched transactions without ever being refused by Sanity's rate limit", async () => {
    const rows = Array.from({ length: 120 }, (_, i) => [
      "COLD",
      `Lead${i}`,
      "Batch",
      `07700 9${String(i).padStart(5, "0")}`,
      `lead${i}@example.com`,
    ]);
    system.sheets.insertRows(system.spreadsheetId, SHEET_TITLE, 6, rows);
    const result = await copy({ leadsPerTransaction: 4 });
    expect(result).toMatchObject({ success: true, leads: 123, written: 123, transactions: 31 });
    const stats = system.sanity.stats();
    expect(stats.mutateRequests).toBe(31);
    expect(stats.requests.filter((r) => r.status === 429)).toEqual([]);
    expect(stats.mutations).toBe(246);
    expect(leadDocs()).toHaveLength(123);
  });

  it("fails without writing when the sheet lacks a column calsync needs, saying which", async () => {
    system.sheets.typeCell(system.spreadsheetId, SHEET_TITLE, "D1", "Telephone");
    const result = await copy();
    expect(result).toMatchObject({ success: false, error: { code: "SHEET_LAYOUT" } });
    expect(result.message).toMatch(/"Phone" \(SHEET_PHONE_HEADER\)/);
    expect(system.sanity.stats().mutateRequests).toBe(0);
  });
});
