import { afterEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/support/db-harness.ts";
import { inDays, type System, startSystem } from "../../test/support/system.ts";
import { formatBookingTime } from "../core/booking-time.ts";
import { runBookingSync } from "./run-booking-sync.ts";

/** What a sheet edit means: only a person's edit of that row reaches Cal.com, and only once. */
const LEADS = [
  ["HOT", "Anna", "Smith", "07700 111111", "anna@example.com", "Acme", ""],
  ["HOT", "Mark", "Greenall", "07700123456", "mark.greenall@example.com", "Greenstar", ""],
  ["WARM", "Cara", "Jones", "07700 333333", "cara@example.com", "Jones Ltd", ""],
  ["CUSTOMER", "Dev", "Patel", "07700 444444", "dev@example.com", "Patel plc", ""],
];
const person = (i: number) => {
  const lead = LEADS[i] as string[];
  return { name: `${lead[1]} ${lead[2]}`, phone: lead[3] as string, email: lead[4] as string };
};
const london = (date: Date) => formatBookingTime(date, "Europe/London");
const SEATED = { id: 4200001, slug: "workshop", title: "Workshop", lengthInMinutes: 60, seatsPerTimeSlot: 4 };
const INTRO = { id: 3721996, slug: "introduction-call", title: "Introduction Call", lengthInMinutes: 15 };

describeEachDatabase("what a sheet edit means", (getDb) => {
  let system: System | undefined;
  afterEach(async () => {
    await system?.close();
    system = undefined;
  });
  const start = async (options: Parameters<typeof startSystem>[0]["calcom"] = {}) => {
    system = await startSystem({ db: getDb(), rows: LEADS, calcom: options });
    return system;
  };
  const sync = (on: System, options: { confirmReverse?: boolean } = {}) =>
    runBookingSync(on.runtime.ctx, { trigger: "cli", ...options });
  const type = (on: System, a1: string, text: string) =>
    on.sheets.typeCell(on.spreadsheetId, "Lead List", a1, text);
  const calcomWrites = (on: System) => on.calcom.requests().filter((r) => r.method !== "GET");

  it("puts back booking times that moved with a sort of the booking column alone, sending nothing", async () => {
    const on = await start();
    const times = [inDays(2), inDays(3), inDays(4)];
    for (const [i, at] of times.entries()) await on.calcom.book({ start: at, attendee: person(i) });
    await sync(on);
    on.calcom.resetRequests();
    // A person sorts only column H (call_booked), descending: the times now stand beside other people.
    on.sheets.sortRows(on.spreadsheetId, "Lead List", {
      column: 7,
      descending: true,
      columns: { from: 7, to: 8 },
    });
    expect(on.cell("H2")).not.toBe(london(times[0] as Date));

    const result = await sync(on);
    expect(calcomWrites(on)).toEqual([]);
    expect(result.reverseActions).toEqual([]);
    expect(result.warnings.join(" ")).toMatch(/moved/);
    expect([on.cell("H2"), on.cell("H3"), on.cell("H4"), on.cell("H5")]).toEqual([...times.map(london), ""]);
  });

  it("puts each lead's time back beside them after a sort of every column but the booking time", async () => {
    const on = await start();
    const times = [inDays(2), inDays(3), inDays(4)];
    for (const [i, at] of times.entries()) await on.calcom.book({ start: at, attendee: person(i) });
    await sync(on);
    on.calcom.resetRequests();
    // A:G sorted by first name, descending (Mark, Dev, Cara, Anna); call_booked (H) stays where it was.
    on.sheets.sortRows(on.spreadsheetId, "Lead List", {
      column: 1,
      descending: true,
      columns: { from: 0, to: 7 },
    });

    const result = await sync(on);
    expect(calcomWrites(on)).toEqual([]);
    expect(result.reverseActions).toEqual([]);
    const timeOf = (first: string) => on.grid().find((cells) => cells[1] === first)?.[7] ?? "";
    expect(timeOf("Anna")).toBe(london(times[0] as Date));
    expect(timeOf("Mark")).toBe(london(times[1] as Date));
    expect(timeOf("Cara")).toBe(london(times[2] as Date));
    expect(timeOf("Dev")).toBe("");
  });

  it("puts times pasted one row off back in line, sending nothing", async () => {
    const on = await start();
    const times = [inDays(2), inDays(3)];
    for (const [i, at] of times.entries()) await on.calcom.book({ start: at, attendee: person(i) });
    await sync(on);
    on.calcom.resetRequests();
    // Rows 2 and 3's times pasted one row down: row 3 shows row 2's time, row 4 shows row 3's.
    type(on, "H4", london(times[1] as Date));
    type(on, "H3", london(times[0] as Date));
    type(on, "H2", "");

    const result = await sync(on);
    expect(calcomWrites(on)).toEqual([]);
    expect(result.warnings.join(" ")).toMatch(/moved/);
    expect([on.cell("H2"), on.cell("H3"), on.cell("H4")]).toEqual([...times.map(london), ""]);
  });

  it("holds rows it cannot tell from cells that moved, under Needs attention, until a person confirms", async () => {
    const on = await start();
    const times = [inDays(2), inDays(3)];
    for (const [i, at] of times.entries()) await on.calcom.book({ start: at, attendee: person(i) });
    await sync(on);
    on.calcom.resetRequests();
    // Mark's time copied onto Anna's row, and a new time typed on Mark's: a move, or two edits?
    const typed = inDays(6, 16);
    type(on, "H2", london(times[1] as Date));
    type(on, "H3", london(typed));

    const held = await sync(on);
    expect(calcomWrites(on)).toEqual([]);
    expect(held.reverseActionsHeld).toBeGreaterThan(0);
    expect(held.warnings.join(" ")).toMatch(/cannot tell a move from edits/);
    expect((await sync(on)).reverseActionsHeld).toBeGreaterThan(0);
    expect(calcomWrites(on)).toEqual([]);

    // A person checked: confirmed, the edits act.
    const confirmed = await sync(on, { confirmReverse: true });
    expect(confirmed.reverseActions.length).toBeGreaterThan(0);
    expect(calcomWrites(on).length).toBeGreaterThan(0);
  });

  it("reports a cancel word typed over a protected status instead of ignoring it", async () => {
    const on = await start();
    await on.calcom.book({ start: inDays(2), attendee: person(3) });
    await sync(on);
    on.calcom.resetRequests();
    type(on, "A5", "CANCELLED");

    const result = await sync(on);
    expect(calcomWrites(on)).toEqual([]);
    expect(result.warnings.join(" ")).toMatch(/Row 5 \(Dev Patel\).*protected status CUSTOMER/);
  });

  it("records a sheet-driven reschedule as it happens: a run that then fails never moves the call again", async () => {
    const on = await start();
    const annas = await on.calcom.book({ start: inDays(2), attendee: person(0) });
    const marks = await on.calcom.book({ start: inDays(3), attendee: person(1) });
    await sync(on);
    const to = inDays(5, 14);
    type(on, "H2", london(to));
    type(on, "A3", "CALL_CANCELLED");
    // Cal.com moves Anna's call, then fails on Mark's cancellation: the run stops part-way.
    on.calcom.failNext({ status: 500, path: `/bookings/${marks.uid}/cancel`, count: 1_000 });
    const failed = await sync(on);
    expect(failed.success).toBe(false);
    expect(failed.reverseActions).toEqual([
      expect.objectContaining({ uid: annas.uid, action: "reschedule" }),
    ]);
    expect(on.calcom.bookings().filter((b) => b.rescheduledFromUid === annas.uid)).toHaveLength(1);

    on.calcom.resetRequests();
    const next = await sync(on);
    expect(next.success).toBe(false);
    // Anna's call is not moved again, nor put back to the old time; only Mark's cancel is tried again.
    expect(calcomWrites(on).map((r) => r.path)).toEqual([
      ...new Array(calcomWrites(on).length).fill(`/v2/bookings/${marks.uid}/cancel`),
    ]);
    expect(next.editsPutBack).toEqual([]);
    expect(on.cell("H2")).toBe(london(to));
    expect(on.calcom.bookings().filter((b) => b.rescheduledFromUid === annas.uid)).toHaveLength(1);
  });

  it("keeps a reschedule that awaits the host's confirmation as pending, not as a failed edit", async () => {
    const on = await start({ eventTypes: [{ ...INTRO, requiresConfirmation: true }] });
    const booking = await on.calcom.book({ start: inDays(2), attendee: person(1) });
    await on.calcom.confirm(booking.uid);
    await sync(on);
    const to = inDays(5, 14);
    type(on, "H3", london(to));

    const result = await sync(on);
    expect(result.reverseActions).toEqual([
      expect.objectContaining({ uid: booking.uid, action: "reschedule", pending: true }),
    ]);
    expect(result.editsPutBack).toEqual([]);
    expect(on.cell("H3")).toBe(london(to));
    const second = await sync(on);
    expect(second.editsPutBack).toEqual([]);
    expect(on.cell("H3")).toBe(london(to));
  });

  it("cancels and reschedules one seat from a seat holder's row, never the whole event", async () => {
    const on = await start({ eventTypes: [SEATED] });
    const at = inDays(3);
    const first = await on.calcom.book({ start: at, eventTypeId: SEATED.id, attendee: person(0) });
    await on.calcom.book({ start: at, eventTypeId: SEATED.id, attendee: person(1) });
    await on.calcom.book({ start: at, eventTypeId: SEATED.id, attendee: person(2) });
    await sync(on);
    const seatOf = (email: string) =>
      on.calcom.booking(first.uid)?.attendees.find((a) => a.email === email)?.seatUid;
    const annaSeat = seatOf(person(0).email);
    const markSeat = seatOf(person(1).email);

    on.calcom.resetRequests();
    type(on, "A2", "CALL_CANCELLED");
    await sync(on);
    const cancel = calcomWrites(on).find((r) => r.path.endsWith("/cancel"));
    expect(cancel?.path).toBe(`/v2/bookings/${first.uid}/cancel`);
    expect(cancel?.body).toMatchObject({ seatUid: annaSeat });
    expect(on.calcom.booking(first.uid)?.status).toBe("accepted");
    expect(on.calcom.booking(first.uid)?.attendees.map((a) => a.email)).toEqual([
      person(1).email,
      person(2).email,
    ]);
    expect(on.cell("A2")).toBe("CALL_CANCELLED");
    expect(on.cell("A3")).toBe("CALL_BOOKED");

    on.calcom.resetRequests();
    const to = inDays(6, 15);
    type(on, "H3", london(to));
    await sync(on);
    const reschedule = calcomWrites(on).find((r) => r.path.endsWith("/reschedule"));
    expect(reschedule?.body).toMatchObject({ seatUid: markSeat });
    expect(on.cell("H3")).toBe(london(to));
    // Cara's seat is untouched, at the old time.
    expect(on.cell("H4")).toBe(london(at));
    expect(on.calcom.booking(first.uid)?.attendees.map((a) => a.email)).toEqual([person(2).email]);
  });
});
