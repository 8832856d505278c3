import { expect, it } from "vitest";
import { describeEachDatabase } from "../../test/support/db-harness.ts";
import type { StoredBooking } from "../core/booking-merge.ts";
import type { BookingNews } from "../core/booking-news.ts";
import type { CalcomActionChange, CellChange, DocumentChange } from "../core/change-log.ts";
import type { LeadDocumentUpdate } from "../core/lead-document.ts";
import type { SyncRunResult } from "../core/run-report.ts";
import { loadBookings, loadBookingsByUid, saveBookings, saveLinks } from "./booking-ledger.ts";
import { countMissed, recordBookingNews } from "./booking-news.ts";
import { mostUsedEventTypeId } from "./booking-stats.ts";
import {
  beginRun,
  changesOfRuns,
  finishRun,
  laterCellChanges,
  latestRuns,
  leadChanges,
  loadRun,
  recordChanges,
  runChanges,
} from "./change-log.ts";
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
import { deliveryActivity, listDeliveries, recordDelivery } from "./webhook-deliveries.ts";
import {
  deferEvents,
  dueEvents,
  eventCounts,
  markEventsApplied,
  nextEventDueAt,
  requeueEvent,
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

  it("keeps a run's changes of every kind, in order, and finds a lead's and later ones", async () => {
    const db = getDb();
    const startedAt = new Date("2025-03-01T09:30:00.000Z");
    const id = await beginRun(db, { kind: "booking-sync", trigger: "cli", startedAt });
    expect(await loadRun(db, id)).toEqual({
      id,
      kind: "booking-sync",
      trigger: "cli",
      startedAt: startedAt.toISOString(),
      finishedAt: null,
      success: false,
      result: {},
    });
    const cell: CellChange = {
      kind: "cell",
      row: 3,
      field: "status",
      column: "Contact_Status",
      before: "HOT",
      after: "CALL_BOOKED",
      leadKey: "tel:+447700123456",
      leadName: "Mark Greenall",
      identity: { phone: "+447700123456", email: null },
      action: "booked",
      source: "poll",
      sourceRef: null,
      bookingUid: "b1",
      reason: "Cal.com: call booked",
    };
    const appended: CellChange = {
      ...cell,
      row: 9,
      before: "",
      leadKey: "mailto:new@example.com",
      appended: true,
    };
    const action: CalcomActionChange = {
      kind: "calcom",
      action: "reschedule",
      bookingUid: "b1",
      newBookingUid: "b2",
      to: "10:00 05/03/2025",
      row: 3,
      leadKey: "tel:+447700123456",
      leadName: "Mark Greenall",
      source: "sheet-edit",
      sourceRef: null,
      reason: "typed",
    };
    const doc: DocumentChange = {
      kind: "document",
      action: "publish",
      documentId: "dbrLead-1",
      row: 3,
      leadKey: "tel:+447700123456",
      leadName: "Mark Greenall",
      after: "CALL_BOOKED",
      source: "webhook",
      sourceRef: "4,5",
      bookingUid: "b1",
      reason: "Cal.com webhook",
    };
    const at = new Date("2025-03-01T09:30:01.000Z");
    await recordChanges(db, id, at, [cell, appended, action, doc]);
    await finishRun(db, id, { success: true, result: { runId: id, ok: 1 }, finishedAt: at });

    const recorded = await runChanges(db, id);
    const stamp = { id: expect.any(Number), runId: id, at: at.toISOString() };
    expect(recorded).toEqual([
      { ...cell, ...stamp },
      { ...appended, ...stamp },
      { ...action, ...stamp },
      { ...doc, ...stamp },
    ]);
    expect(await loadRun(db, id)).toMatchObject({
      success: true,
      finishedAt: at.toISOString(),
      result: { ok: 1 },
    });
    expect((await latestRuns(db, 5)).map((run) => run.id)).toEqual([id]);
    expect((await changesOfRuns(db, [id])).get(id)).toHaveLength(4);

    const later = await beginRun(db, { kind: "undo", trigger: "cli", startedAt: at });
    await recordChanges(db, later, at, [{ ...cell, before: "CALL_BOOKED", after: "HOT", source: "undo" }]);
    const lastId = Math.max(...recorded.map((change) => change.id));
    expect(
      (await laterCellChanges(db, lastId, ["tel:+447700123456"])).map((c) => [c.runId, c.after]),
    ).toEqual([[later, "HOT"]]);
    expect((await leadChanges(db, ["tel:+447700123456"])).map((c) => [c.runId, c.kind])).toEqual([
      [later, "cell"],
      [id, "calcom"],
      [id, "cell"],
    ]);
  });

  it("keeps deliveries with what became of them, and counts a poll's finding no delivery reported as missed", async () => {
    const db = getDb();
    const t0 = new Date("2025-03-01T09:00:00.000Z");
    const body = { triggerEvent: "BOOKING_CREATED" };
    const stored = await storeEvent(db, {
      idempotencyKey: "k1",
      trigger: "BOOKING_CREATED",
      bookingUid: "a",
      body,
      receivedAt: t0,
    });
    await recordDelivery(db, {
      receivedAt: t0,
      trigger: "BOOKING_CREATED",
      bookingUid: "a",
      signature: "valid",
      outcome: "stored",
      eventId: stored.id,
      detail: null,
    });
    await recordDelivery(db, {
      receivedAt: new Date(t0.getTime() + 1_000),
      trigger: null,
      bookingUid: null,
      signature: "invalid",
      outcome: "rejected",
      eventId: null,
      detail: "bad",
    });
    await db.query("update webhook_events set applied_at = $1 where id = $2", [
      new Date(t0.getTime() + 250).toISOString(),
      stored.id,
    ]);
    const lines = await listDeliveries(db);
    expect(lines.map((line) => [line.signature, line.outcome, line.latencyMs, line.replayable])).toEqual([
      ["invalid", "rejected", null, false],
      ["valid", "stored", 250, true],
    ]);
    expect(await deliveryActivity(db, t0)).toEqual({ received: 1, lastReceivedAt: t0.toISOString() });

    const found = new Date(t0.getTime() + 60_000);
    const news = (uid: string, kind: BookingNews["kind"]): BookingNews => ({
      bookingUid: uid,
      calcomUid: uid,
      kind,
      status: "accepted",
      start: "2025-03-05T10:00:00.000Z",
      rescheduledFromUid: null,
      source: "poll",
      deliveryId: null,
    });
    // "a" was reported by its delivery; "b" by none; "a" cancelled by none (its delivery was a BOOKING_CREATED).
    await recordBookingNews(
      db,
      null,
      found,
      [news("a", "created"), news("b", "created"), news("a", "cancelled")],
      {
        expectWebhook: true,
      },
    );
    await recordBookingNews(db, null, found, [news("c", "created")], { expectWebhook: false });
    expect(await countMissed(db, t0)).toBe(2);
    expect(await countMissed(db, new Date(found.getTime() + 1))).toBe(0);
    // A delivery that arrives soon after the poll still counts as reporting it.
    await storeEvent(db, {
      idempotencyKey: "k2",
      trigger: "BOOKING_CREATED",
      bookingUid: "b",
      body,
      receivedAt: new Date(found.getTime() + 5_000),
    });
    expect(await countMissed(db, t0)).toBe(1);
    expect(await requeueEvent(db, stored.id as number, found)).toBe(true);
    expect(await requeueEvent(db, 999_999, found)).toBe(false);
    expect((await dueEvents(db, found)).map((event) => event.id)).toContain(stored.id);
  });
});
