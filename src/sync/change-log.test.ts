import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/support/db-harness.ts";
import { COL, inDays, type System, startSystem } from "../../test/support/system.ts";
import { formatBookingTime } from "../core/booking-time.ts";
import { type RunDetails, runDetails } from "../core/run-details.ts";
import { loadRun, runChanges } from "../db/change-log.ts";
import { runBookingSync } from "./run-booking-sync.ts";
import { undoRun } from "./undo-run.ts";

const LEADS = [
  ["HOT", "Anna", "Smith", "07700 111111", "anna@example.com", "Acme", "met at expo"],
  ["HOT", "Mark", "Greenall", "07700123456", "mark.greenall@example.com", "Greenstar", ""],
  ["WARM", "Dev", "Patel", "", "dev@example.com", "", ""],
];
const mark = { name: "Mark Greenall", email: "mark.greenall@example.com", phone: "+447700123456" };
const anna = { name: "Anna Smith", email: "anna@example.com" };
const london = (date: Date | string) => formatBookingTime(date, "Europe/London");

/**
 * Issue 15's change log and undo, against the sandboxes: what a run wrote, as its history lists it; what an
 * undo puts back in the sheet and what it leaves; and that Cal.com is never called by an undo.
 */
describeEachDatabase("the change log and undo", (getDb) => {
  let system: System;
  const sync = (options: { confirmReverse?: boolean } = {}) =>
    runBookingSync(system.runtime.ctx, { trigger: "cli", ...options });
  const undo = (runId: number | null, dryRun = false) =>
    undoRun(system.runtime.ctx, {
      runId: String(runId),
      trigger: "cli",
      dryRun,
      calcomApiUrl: system.runtime.config.calcom.apiUrl,
    });
  const history = async (runId: number | null): Promise<RunDetails> => {
    const run = await loadRun(getDb(), runId as number);
    if (!run) throw new Error(`no run ${runId}`);
    return runDetails(run, await runChanges(getDb(), run.id), system.runtime.config.calcom.apiUrl);
  };
  const type = (a1: string, text: string) =>
    system.sheets.typeCell(system.spreadsheetId, "Lead List", a1, text);
  const calcomWrites = () => system.calcom.requests().filter((request) => request.method !== "GET");

  beforeEach(async () => {
    system = await startSystem({ db: getDb(), rows: LEADS });
  });
  afterEach(async () => {
    await system.close();
  });

  it("lists every cell a run wrote with its row, column, value before and after, and why", async () => {
    const start = inDays(2, 17);
    const booking = await system.calcom.book({ start, attendee: mark });
    const result = await sync();
    expect(result.runId).toEqual(expect.any(Number));

    const run = await history(result.runId);
    expect(run).toMatchObject({ id: result.runId, trigger: "cli", success: true });
    expect(run.counts).toMatchObject({
      changes: 2,
      calcomActions: 0,
      documents: 1,
      warnings: 0,
      conflicts: 0,
    });
    expect(run.changes).toEqual([
      expect.objectContaining({
        row: 3,
        column: "Contact_Status",
        before: "HOT",
        after: "CALL_BOOKED",
        lead: "Mark Greenall",
        bookingUid: booking.uid,
        source: "poll",
        reason: `Cal.com, read by the cli sync: call booked for ${london(start)} (booking ${booking.uid})`,
      }),
      expect.objectContaining({ row: 3, column: "call_booked", before: "", after: london(start) }),
    ]);

    // A second run with nothing new changes nothing, and says so.
    const again = await history((await sync()).runId);
    expect(again.changes).toEqual([]);
  });

  it("records the cells of an appended lead, and an undo leaves that row, saying why", async () => {
    const start = inDays(3);
    await system.calcom.book({ start, attendee: { name: "Nina New", email: "nina@example.com" } });
    const result = await sync();
    const run = await history(result.runId);
    expect(run.changes.map((change) => [change.row, change.column, change.before, change.after])).toEqual([
      [5, "Contact_Status", "", "CALL_BOOKED"],
      [5, "First_Name", "", "Nina"],
      [5, "Last_Name", "", "New"],
      [5, "Email", "", "nina@example.com"],
      [5, "call_booked", "", london(start)],
    ]);
    const undone = await undo(result.runId);
    expect(undone.restored).toEqual([]);
    expect(undone.skipped).toHaveLength(5);
    expect(undone.skipped[0]?.reason).toMatch(/row 5 was added by this run; calsync never deletes rows/);
    expect(system.grid()[4]?.[1]).toBe("Nina");
  });

  it("undoes exactly the cells that still hold the run's values, skips one a person changed since, and the next sync leaves them", async () => {
    const markAt = inDays(2);
    const annaAt = inDays(3, 12);
    await system.calcom.book({ start: markAt, attendee: mark });
    await system.calcom.book({ start: annaAt, attendee: anna });
    const run = await sync();
    expect([system.cell("A2"), system.cell("H2"), system.cell("A3"), system.cell("H3")]).toEqual([
      "CALL_BOOKED",
      london(annaAt),
      "CALL_BOOKED",
      london(markAt),
    ]);
    // A person works on Anna's row after the run.
    type("A2", "CALLED BACK");

    const preview = await undo(run.runId, true);
    expect(preview).toMatchObject({ success: true, runId: null, dryRun: true });
    expect(system.cell("A3")).toBe("CALL_BOOKED");

    system.calcom.resetRequests();
    system.sheets.resetStats();
    const undone = await undo(run.runId);
    expect(undone).toMatchObject({ success: true, undoes: run.runId, dryRun: false, notUndone: [] });
    expect(undone.runId).toEqual(expect.any(Number));
    expect(undone.runId).not.toBe(run.runId);
    expect(undone.restored).toEqual([
      { row: 2, column: "call_booked", value: "" },
      { row: 3, column: "call_booked", value: "" },
      { row: 3, column: "Contact_Status", value: "HOT" },
    ]);
    expect(undone.skipped).toEqual([
      {
        row: 2,
        column: "Contact_Status",
        reason: 'changed since: it holds "CALLED BACK" now, not "CALL_BOOKED"',
      },
    ]);
    expect(preview.restored).toEqual(undone.restored);
    expect([system.cell("A2"), system.cell("H2"), system.cell("A3"), system.cell("H3")]).toEqual([
      "CALLED BACK",
      "",
      "HOT",
      "",
    ]);
    // Nothing else in the sheet moved, and Cal.com was not called at all.
    const others = (cells: string[]) => Array.from({ length: 6 }, (_, i) => cells[i + 1] ?? "");
    expect(system.grid().map(others)).toEqual([
      ["First_Name", "Last_Name", "Phone", "Email", "Company", "Notes"],
      ...LEADS.map(others),
    ]);
    expect(system.calcom.requests()).toEqual([]);
    expect(system.sheets.stats()).toMatchObject({ reads: 1, writes: 1 });
    expect(system.calcom.bookings().map((booking) => booking.status)).toEqual(["accepted", "accepted"]);

    // The next sync does not write the same cells again: Cal.com has no news.
    system.sheets.resetStats();
    const next = await sync();
    expect(next).toMatchObject({ success: true, updatesApplied: 0, reverseActions: [] });
    expect(system.sheets.stats().writes).toBe(0);
    expect(system.cell("A3")).toBe("HOT");

    // Unless Cal.com has news for that lead.
    const booked = system.calcom.bookings().find((booking) => booking.attendees[0]?.email === mark.email);
    const moved = inDays(5, 15);
    await system.calcom.reschedule(booked?.uid as string, moved);
    await sync();
    expect(system.cell("H3")).toBe(london(moved));
    expect(system.cell("A3")).toBe("CALL_BOOKED");
    expect(system.cell("H2")).toBe("");
  });

  it("records an undo as a run of its own, which an undo puts back in turn", async () => {
    const start = inDays(2);
    await system.calcom.book({ start, attendee: mark });
    const run = await sync();
    const undone = await undo(run.runId);
    const record = await history(undone.runId);
    expect(record).toMatchObject({ kind: "undo", undoes: run.runId, success: true });
    expect(record.changes).toEqual([
      expect.objectContaining({
        row: 3,
        column: "Contact_Status",
        before: "CALL_BOOKED",
        after: "HOT",
        source: "undo",
        reason: `the undo of run ${run.runId}: put back what the cell held before that run`,
      }),
      expect.objectContaining({ row: 3, column: "call_booked", before: london(start), after: "" }),
    ]);

    // Undoing the original again finds the undo wrote the cells since.
    const twice = await undo(run.runId);
    expect(twice.restored).toEqual([]);
    expect(twice.skipped.map((cell) => cell.reason)).toEqual([
      `changed since: run ${undone.runId} wrote "" here`,
      `changed since: run ${undone.runId} wrote "HOT" here`,
    ]);

    const redone = await undo(undone.runId);
    expect(redone.restored).toHaveLength(2);
    expect(system.cell("A3")).toBe("CALL_BOOKED");
    expect(system.cell("H3")).toBe(london(start));
  });

  it("skips the cells of a lead whose row moved or went since the run", async () => {
    await system.calcom.book({ start: inDays(2), attendee: mark });
    await system.calcom.book({ start: inDays(3), attendee: anna });
    const run = await sync();
    // A person sorts by first name descending (Mark, Dev, Anna), then deletes Dev's row (Anna moves up).
    system.sheets.sortRows(system.spreadsheetId, "Lead List", { column: 1, descending: true });
    system.sheets.deleteRows(system.spreadsheetId, "Lead List", 3, 1);
    const undone = await undo(run.runId);
    expect(undone.restored).toEqual([]);
    expect(undone.skipped).toEqual([
      { row: 2, column: "call_booked", reason: "lead moved: Anna Smith is on row 3 now" },
      { row: 2, column: "Contact_Status", reason: "lead moved: Anna Smith is on row 3 now" },
      { row: 3, column: "call_booked", reason: "lead moved: Mark Greenall is on row 2 now" },
      { row: 3, column: "Contact_Status", reason: "lead moved: Mark Greenall is on row 2 now" },
    ]);

    // Mark's row is deleted: Anna is back on the row the run wrote her on, and only her cells go back.
    system.sheets.deleteRows(system.spreadsheetId, "Lead List", 2, 1);
    const gone = await undo(run.runId);
    expect(gone.skipped).toEqual([
      { row: 3, column: "call_booked", reason: "row gone: Mark Greenall is no longer in the sheet" },
      { row: 3, column: "Contact_Status", reason: "row gone: Mark Greenall is no longer in the sheet" },
    ]);
    expect(gone.restored).toEqual([
      { row: 2, column: "call_booked", value: "" },
      { row: 2, column: "Contact_Status", value: "HOT" },
    ]);
    expect(system.cell(`${COL.first}2`)).toBe("Anna");
    expect(system.cell(`${COL.status}2`)).toBe("HOT");
  });

  it("logs each lead's cells on the row they landed on after a sort mid-write, and undoes them there", async () => {
    const markAt = inDays(2);
    const annaAt = inDays(3);
    await system.calcom.book({ start: markAt, attendee: mark });
    await system.calcom.book({ start: annaAt, attendee: anna });
    const stop = system.sheets.onRequest((request) => {
      if (request.kind === "write") {
        system.sheets.sortRows(system.spreadsheetId, "Lead List", { column: 1, descending: true });
        stop();
      }
    });
    const result = await sync();
    // Sorted: Mark on row 2, Dev on row 3, Anna on row 4; the anchored writes followed them.
    expect(system.grid().map((cells) => [cells[1], cells[0]])).toEqual([
      ["First_Name", "Contact_Status"],
      ["Mark", "CALL_BOOKED"],
      ["Dev", "WARM"],
      ["Anna", "CALL_BOOKED"],
    ]);
    const run = await history(result.runId);
    expect(
      run.changes.map((change) => [change.row, change.lead, change.column, change.before, change.after]),
    ).toEqual([
      [2, "Mark Greenall", "Contact_Status", "HOT", "CALL_BOOKED"],
      [2, "Mark Greenall", "call_booked", "", london(markAt)],
      [4, "Anna Smith", "Contact_Status", "HOT", "CALL_BOOKED"],
      [4, "Anna Smith", "call_booked", "", london(annaAt)],
    ]);
    expect(run.changes.filter((change) => change.lead === "Dev Patel")).toEqual([]);

    const undone = await undo(result.runId);
    expect(undone.restored).toEqual([
      { row: 2, column: "call_booked", value: "" },
      { row: 2, column: "Contact_Status", value: "HOT" },
      { row: 4, column: "call_booked", value: "" },
      { row: 4, column: "Contact_Status", value: "HOT" },
    ]);
    expect(undone.skipped).toEqual([]);
    expect(system.grid().map((cells) => [cells[1], cells[0], cells[7] ?? ""])).toEqual([
      ["First_Name", "Contact_Status", "call_booked"],
      ["Mark", "HOT", ""],
      ["Dev", "WARM", ""],
      ["Anna", "HOT", ""],
    ]);
  });

  it("lists a Cal.com cancel of the run as not undone, with a link, and never calls Cal.com", async () => {
    const start = inDays(2);
    const booking = await system.calcom.book({ start, attendee: mark });
    await sync();
    type("A3", "CALL_CANCELLED");
    const cancelled = await sync();
    expect(system.calcom.booking(booking.uid)?.status).toBe("cancelled");

    const run = await history(cancelled.runId);
    expect(run.calcomActions).toEqual([
      expect.objectContaining({
        action: "cancel",
        bookingUid: booking.uid,
        row: 3,
        lead: "Mark Greenall",
        source: "sheet-edit",
        reason: '"CALL_CANCELLED" was typed in the status cell: calsync cancelled the call in Cal.com',
        url: `${new URL(system.calcom.url).origin}/booking/${booking.uid}`,
      }),
    ]);
    expect(run.changes).toEqual([
      expect.objectContaining({
        row: 3,
        column: "call_booked",
        before: london(start),
        after: "",
        source: "sheet-edit",
      }),
    ]);

    system.calcom.resetRequests();
    const undone = await undo(cancelled.runId);
    expect(undone.notUndone).toEqual([
      {
        action: "cancel",
        bookingUid: booking.uid,
        newBookingUid: null,
        row: 3,
        name: "Mark Greenall",
        reason: "not undone: cancel or rebook in Cal.com",
        url: `${new URL(system.calcom.url).origin}/booking/${booking.uid}`,
      },
    ]);
    expect(undone.restored).toEqual([{ row: 3, column: "call_booked", value: london(start) }]);
    expect(system.calcom.requests()).toEqual([]);
    expect(system.calcom.booking(booking.uid)?.status).toBe("cancelled");

    // The restored time is not taken for an edit: nothing goes to Cal.com on the next run.
    await sync();
    expect(calcomWrites()).toEqual([]);
    expect(system.cell("H3")).toBe(london(start));
  });

  it("refuses an unknown run id, writing nothing", async () => {
    const unknown = await undo(999);
    expect(unknown).toMatchObject({ success: false, runId: null, error: { code: "NOT_FOUND" } });
    expect(unknown.message).toContain("There is no run 999");
    expect(system.sheets.stats().requests).toEqual([]);
  });
});
