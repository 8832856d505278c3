import { expect, it } from "vitest";
import { describeEachDatabase } from "../../test/support/db-harness.ts";
import type { StoredBooking } from "../core/booking-merge.ts";
import type { LeadDocumentUpdate } from "../core/lead-document.ts";
import type { SyncRunResult } from "../core/run-report.ts";
import { loadBookings, loadBookingsByUid, saveBookings, saveLinks } from "./booking-ledger.ts";
import { mostUsedEventTypeId } from "./booking-stats.ts";
import {
  countPendingDocuments,
  markDocumentsSent,
  pendingDocuments,
  queueChangedDocuments,
} from "./dashboard-outbox.ts";
import { getMeta, setMeta } from "./meta.ts";
import { recentRuns, recordRun } from "./run-history.ts";
import { latestRunOf, recordRunOfKind } from "./run-records.ts";
import { loadSheetCopyState, saveSheetCopyState } from "./sheet-copy-state.ts";
import {
  deferEvents,
  dueEvents,
  eventCounts,
  markEventsApplied,
  nextEventDueAt,
  storeEvent,
} from "./webhook-events.ts";

/**
 * Every store's writes and reads, on both engines: what callers get back must not depend on the engine.
 */
const booking = (uid: string, overrides: Partial<StoredBooking> = {}): StoredBooking => ({
  uid,
  status: "accepted",
  start: "2025-03-01T10:00:00.000Z",
  end: "2025-03-01T10:30:00.000Z",
  eventTypeId: 7,
  attendee: { name: "Ada Lovelace", email: "ada@example.com", phone: "+447700123456" },
  rescheduledFromUid: null,
  rescheduledToUid: null,
  updatedAt: "2025-02-01T09:00:00.000Z",
  ...overrides,
});

describeEachDatabase("calsync's stores", (getDb) => {
  it("keeps bookings and their links to leads", async () => {
    const db = getDb();
    const later = booking("b", { start: null, end: null, eventTypeId: null, status: "cancelled" });
    await saveBookings(db, [booking("a"), later, booking("c", { eventTypeId: 9 })]);
    await saveBookings(db, [booking("c", { eventTypeId: 7, rescheduledFromUid: "a" })]);
    await saveLinks(
      db,
      new Map([
        ["a", "ada@example.com"],
        ["c", "ada@example.com"],
      ]),
    );
    await saveLinks(db, new Map([["a", "ada@example.com"]]));

    const { bookings, links } = await loadBookings(db);
    expect(bookings.map((b) => b.uid)).toEqual(["a", "c", "b"]);
    expect(bookings[0]).toEqual(booking("a"));
    expect(bookings[1]).toEqual(booking("c", { rescheduledFromUid: "a" }));
    expect(bookings[2]).toEqual(later);
    expect(links).toEqual(
      new Map([
        ["a", "ada@example.com"],
        ["c", "ada@example.com"],
      ]),
    );
    expect(await loadBookingsByUid(db, ["c", "nope"])).toEqual(
      new Map([["c", booking("c", { rescheduledFromUid: "a" })]]),
    );
    expect(await mostUsedEventTypeId(db)).toBe(7);
  });

  it("stores webhook deliveries once and tracks their attempts", async () => {
    const db = getDb();
    const body = { triggerEvent: "BOOKING_CREATED", payload: { uid: "a", n: [1, 2] } };
    const event = { idempotencyKey: "k1", trigger: "BOOKING_CREATED", bookingUid: "a", body };
    const stored = await storeEvent(db, event);
    expect(stored).toEqual({ duplicate: false, id: expect.any(Number) });
    expect(await storeEvent(db, event)).toEqual({ duplicate: true, id: stored.id });
    await storeEvent(db, { ...event, idempotencyKey: "k2", bookingUid: null });

    const now = new Date(Date.now() + 1_000);
    const due = await dueEvents(db, now);
    expect(due).toEqual([
      { id: expect.any(Number), trigger: "BOOKING_CREATED", bookingUid: "a", body, attempts: 0 },
      { id: expect.any(Number), trigger: "BOOKING_CREATED", bookingUid: null, body, attempts: 0 },
    ]);
    const [first, second] = due.map((e) => e.id) as [number, number];
    expect(second).toBeGreaterThan(first);

    const retryAt = new Date(now.getTime() + 60_000);
    await deferEvents(db, [second], retryAt, "sheet unreachable");
    await markEventsApplied(db, [first]);
    expect(await dueEvents(db, now)).toEqual([]);
    expect(await nextEventDueAt(db)).toEqual(retryAt);
    expect(await dueEvents(db, retryAt)).toMatchObject([{ id: second, attempts: 1 }]);
    expect(await eventCounts(db)).toEqual({ received: 2, pending: 1, failing: 1 });
  });

  it("keeps runs with their answers", async () => {
    const db = getDb();
    const result = { success: true, message: "ok", bookingsFound: 3 } as unknown as SyncRunResult;
    const startedAt = new Date("2025-03-01T09:30:00.123Z");
    await recordRun(db, { trigger: "cli", startedAt, result });
    await recordRunOfKind(db, {
      kind: "sheet-copy",
      trigger: "schedule",
      startedAt,
      success: false,
      result: [1],
    });
    expect(await recentRuns(db)).toEqual([
      {
        id: expect.any(Number),
        kind: "sheet-copy",
        trigger: "schedule",
        startedAt: startedAt.toISOString(),
        success: false,
        result: [1],
      },
      {
        id: expect.any(Number),
        kind: "booking-sync",
        trigger: "cli",
        startedAt: startedAt.toISOString(),
        success: true,
        result,
      },
    ]);
    expect(await latestRunOf(db, "sheet-copy")).toMatchObject({ success: false, result: [1] });
    expect(await latestRunOf(db, "sheet-copy", { successfulOnly: true })).toBeNull();
    expect(await latestRunOf(db, "booking-sync", { successfulOnly: true })).toMatchObject({
      trigger: "cli",
      result,
    });
  });

  it("queues changed lead documents until they are sent", async () => {
    const db = getDb();
    const update = (id: string, firstName: string) =>
      ({
        id,
        leadKey: `${id}@example.com`,
        fields: { firstName, sheetRow: 2, bookings: [] },
      }) as unknown as LeadDocumentUpdate;
    expect(await queueChangedDocuments(db, [update("d1", "Ada"), update("d2", "Bob")])).toBe(2);
    const pending = await pendingDocuments(db);
    expect(pending.map((d) => [d.id, d.fields])).toEqual([
      ["d1", { firstName: "Ada", sheetRow: 2, bookings: [] }],
      ["d2", { firstName: "Bob", sheetRow: 2, bookings: [] }],
    ]);
    await markDocumentsSent(db, pending);
    expect(await countPendingDocuments(db)).toBe(0);
    expect(await queueChangedDocuments(db, [update("d1", "Ada"), update("d2", "Robert")])).toBe(1);
    expect(await countPendingDocuments(db)).toBe(1);
  });

  it("keeps small named values and the sheet copy's memory", async () => {
    const db = getDb();
    expect(await getMeta(db, "cursor")).toBeNull();
    await setMeta(db, "cursor", "2025-03-01T09:30:00.000Z");
    await setMeta(db, "cursor", "2025-03-02T09:30:00.000Z");
    expect(await getMeta(db, "cursor")).toBe("2025-03-02T09:30:00.000Z");

    await saveSheetCopyState(db, [{ id: "d1", leadKey: "ada@example.com", hash: "h1", archived: false }]);
    await saveSheetCopyState(db, [{ id: "d1", leadKey: null, hash: "h2", archived: true }]);
    expect(await loadSheetCopyState(db)).toEqual(
      new Map([["d1", { id: "d1", leadKey: "ada@example.com", hash: "h2", archived: true }]]),
    );
  });
});
