import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/support/db-harness.ts";
import { COL, inDays, type System, startSystem } from "../../test/support/system.ts";
import { startWebhookSystem, type WebhookSystem } from "../../test/support/webhook-server.ts";
import { formatBookingTime } from "../core/booking-time.ts";
import { runBookingSync } from "./run-booking-sync.ts";

/** Whose booking it is: the person behind each booking gets their own row, and only theirs. */
const LEADS = [
  ["HOT", "Kate", "Long", "07700 900111", "kate@example.com", "Acme", ""],
  ["WARM", "Owen", "Hill", "07700 900222", "owen@example.com", "Hill & Co", ""],
];
const london = (date: Date | string) => formatBookingTime(date, "Europe/London");

describeEachDatabase("whose booking it is", (getDb) => {
  let system: System;
  const sync = () => runBookingSync(system.runtime.ctx, { trigger: "cli" });
  const leadDocuments = () => system.sanity.documents().filter((d) => d._type === "dbrLead");

  beforeEach(async () => {
    system = await startSystem({ db: getDb(), rows: LEADS });
  });
  afterEach(async () => {
    await system.close();
  });

  it("appends one row for one person whose bookings share only an email, and links later bookings to it", async () => {
    const first = inDays(2);
    await system.calcom.book({
      start: first,
      attendee: { name: "Nia Cole", email: "nia@example.com", phone: "+447700900333" },
    });
    await system.calcom.book({
      start: inDays(3),
      attendee: { name: "Nia Cole", email: "NIA@example.com" },
      phoneIn: "none",
    });
    const result = await sync();

    expect(result).toMatchObject({ success: true, added: 1, ambiguous: [] });
    expect(system.grid()).toHaveLength(4);
    expect(system.grid()[3]).toEqual(
      expect.arrayContaining(["CALL_BOOKED", "Nia", "Cole", "+447700900333", "nia@example.com"]),
    );
    expect(system.cell(`${COL.booking}4`)).toBe(london(first));

    // A third booking by email only finds the row; nothing is appended again, nothing is ambiguous.
    await system.calcom.book({
      start: inDays(1),
      attendee: { name: "Nia Cole", email: "nia@example.com" },
      phoneIn: "none",
    });
    const later = await sync();
    expect(later).toMatchObject({ success: true, added: 0, ambiguous: [], unmatched: [] });
    expect(system.grid()).toHaveLength(4);
    expect(system.cell(`${COL.booking}4`)).toBe(london(inDays(1)));
    expect(leadDocuments()).toHaveLength(1);
  });

  const type = (a1: string, text: string) =>
    system.sheets.typeCell(system.spreadsheetId, "Lead List", a1, text);
  const liveDocuments = () => leadDocuments().filter((d) => d.archived !== true);

  it("keeps a lead's call on its row when a person corrects its phone, and a later cancellation reaches it", async () => {
    const start = inDays(2);
    const booking = await system.calcom.book({
      start,
      attendee: { name: "Kate Long", email: "kate@example.com", phone: "+447700900111" },
    });
    await sync();
    expect(system.cell(`${COL.booking}2`)).toBe(london(start));

    type(`${COL.phone}2`, "07700 900999");
    const after = await sync();
    expect(after).toMatchObject({ success: true, added: 0, updatesApplied: 0, ambiguous: [] });
    expect(system.grid()).toHaveLength(3);
    expect(system.cell(`${COL.status}2`)).toBe("CALL_BOOKED");
    expect(system.cell(`${COL.booking}2`)).toBe(london(start));

    await system.calcom.cancel(booking.uid);
    const cancelled = await sync();
    expect(cancelled.updates).toEqual([expect.objectContaining({ row: 2, action: "cancelled" })]);
    expect(system.cell(`${COL.status}2`)).toBe("CALL_CANCELLED");
    expect(system.cell(`${COL.booking}2`)).toBe("");
    // One live document for Kate, and it shows the cancellation: the one of her old phone was archived.
    expect(liveDocuments().filter((d) => d.firstName === "Kate")).toEqual([
      expect.objectContaining({ phone: "+447700900999", callBooked: null, contactStatus: "CALL_CANCELLED" }),
    ]);
  });

  it("keeps a lead's bookings when a duplicate row makes its phone shared, and a typed cancel still acts", async () => {
    const booking = await system.calcom.book({
      start: inDays(2),
      attendee: { name: "Kate Long", email: "kate@example.com", phone: "+447700900111" },
    });
    await sync();
    // Someone adds a second row with Kate's phone (a colleague's entry for the same company line).
    system.sheets.insertRows(system.spreadsheetId, "Lead List", 4, [
      ["WARM", "Kim", "Long", "07700 900111", "kim@example.com", "Acme", "", ""],
    ]);
    await sync();
    expect(system.grid()).toHaveLength(4);
    expect(system.cell(`${COL.status}2`)).toBe("CALL_BOOKED");

    type(`${COL.status}2`, "CALL_CANCELLED");
    const result = await sync();
    expect(result.reverseActions).toEqual([
      expect.objectContaining({ row: 2, uid: booking.uid, action: "cancel" }),
    ]);
    expect(system.calcom.booking(booking.uid)?.status).toBe("cancelled");
    expect(system.cell(`${COL.status}4`)).toBe("WARM");
  });

  it("reports a lead whose edit makes it match two rows, and writes neither", async () => {
    const start = inDays(2);
    await system.calcom.book({
      start,
      attendee: { name: "Kate Long", email: "kate@example.com", phone: "+447700900111" },
    });
    await sync();
    // Kate's row loses her phone and email to a typo; Owen's row is given her phone by mistake.
    type(`${COL.phone}2`, "07700 900555");
    type(`${COL.email}2`, "kate@exmple.com");
    type(`${COL.phone}3`, "07700 900111");
    const result = await sync();

    expect(result.success).toBe(true);
    expect(result.added).toBe(0);
    expect(system.grid()).toHaveLength(3);
    expect(system.cell(`${COL.status}3`)).toBe("WARM");
    expect(system.cell(`${COL.booking}3`)).toBe("");
    expect(result.ambiguous).toEqual([expect.objectContaining({ candidateRows: [2, 3] })]);
  });

  it("lowercases ASCII only: an address that differs in Unicode is someone else", async () => {
    // K (U+212A KELVIN SIGN) lowercases to a plain k in JavaScript, which would match Kate's row.
    await system.calcom.book({
      start: inDays(2),
      attendee: { name: "Someone Else", email: "\u212Aate@example.com" },
      phoneIn: "none",
    });
    const result = await sync();

    expect(result.success).toBe(true);
    expect(system.cell(`${COL.status}2`)).toBe("HOT");
    expect(system.cell(`${COL.booking}2`)).toBe("");
    expect(system.grid()[3]?.[4]).toBe("\u212Aate@example.com");
  });
});

const HOST_LINE = "+447700900000";
const ORGANIZER_CALL = {
  id: 4100001,
  slug: "call-with-sales",
  title: "Call with sales",
  lengthInMinutes: 15,
  location: "organizer-phone" as const,
  hostPhone: HOST_LINE,
};
const WORKSHOP = {
  id: 4100002,
  slug: "workshop",
  title: "Workshop",
  lengthInMinutes: 60,
  seatsPerTimeSlot: 5,
};
const PEOPLE = [
  ["HOT", "Kate", "Long", "07700 900111", "kate@example.com", "Acme", ""],
  ["WARM", "Owen", "Hill", "07700 900222", "owen@example.com", "Hill & Co", ""],
  ["OFFICE", "Front", "Desk", "07700 900000", "desk@example.com", "Us", ""],
];

describeEachDatabase("whose booking it is, when the event type says more than the booking", (getDb) => {
  let system: System | WebhookSystem | undefined;
  afterEach(async () => {
    await system?.close();
    system = undefined;
  });
  const sync = (on: System) => runBookingSync(on.runtime.ctx, { trigger: "cli" });
  const docOf = (on: System, firstName: string) =>
    on.sanity.documents().find((d) => d._type === "dbrLead" && d.firstName === firstName);

  it("never takes the organizer's phone (an 'Organizer phone number' location) for the booker's", async () => {
    const polled = await startSystem({ db: getDb(), rows: PEOPLE, calcom: { eventTypes: [ORGANIZER_CALL] } });
    system = polled;
    const kateCall = inDays(2);
    await polled.calcom.book({
      start: kateCall,
      eventTypeId: ORGANIZER_CALL.id,
      attendee: { name: "Kate Long", email: "kate@example.com" },
      phoneIn: "none",
    });
    await polled.calcom.book({
      start: inDays(3),
      eventTypeId: ORGANIZER_CALL.id,
      attendee: { name: "Nia Cole", email: "nia@example.com" },
      phoneIn: "none",
    });
    expect(polled.calcom.bookings().map((b) => b.location)).toEqual([HOST_LINE, HOST_LINE]);

    const result = await sync(polled);
    expect(result).toMatchObject({ success: true, added: 1, ambiguous: [] });
    // Kate is found by her email; the office row holding the host's number is nobody's booking.
    expect(polled.cell(`${COL.booking}2`)).toBe(london(kateCall));
    expect(polled.cell(`${COL.status}4`)).toBe("OFFICE");
    expect(polled.cell(`${COL.booking}4`)).toBe("");
    // Nia is appended with no phone rather than the host's.
    expect(polled.grid()[4]).toEqual(expect.arrayContaining(["Nia", "Cole", "nia@example.com"]));
    expect(polled.grid()[4]?.[3] ?? "").toBe("");
  });

  it("treats a location number no answer explains as the organizer's once bookers with other emails share it", async () => {
    const webhooks = await startWebhookSystem({
      db: getDb(),
      rows: PEOPLE,
      calcom: { eventTypes: [ORGANIZER_CALL] },
    });
    system = webhooks;
    for (const [i, who] of [
      ["1", { name: "Kate Long", email: "kate@example.com" }],
      ["2", { name: "Owen Hill", email: "owen@example.com" }],
    ] as const) {
      await webhooks.calcom.book({
        start: inDays(Number(i) + 1),
        eventTypeId: ORGANIZER_CALL.id,
        attendee: who,
        phoneIn: "none",
      });
    }
    await webhooks.worker.idle();
    // BOOKING_CREATED no longer says whose number the location is; two emails share it: the host's.
    expect(webhooks.cell(`${COL.booking}2`)).toBe(london(inDays(2)));
    expect(webhooks.cell(`${COL.booking}3`)).toBe(london(inDays(3)));
    expect(webhooks.cell(`${COL.booking}4`)).toBe("");
  });

  it("gives each seat holder of a seated event their own row and booking entry, and a seat cancel only theirs", async () => {
    const webhooks = await startWebhookSystem({
      db: getDb(),
      rows: PEOPLE,
      calcom: { eventTypes: [WORKSHOP] },
    });
    system = webhooks;
    const start = inDays(4);
    const kates = await webhooks.calcom.book({
      start,
      eventTypeId: WORKSHOP.id,
      attendee: { name: "Kate Long", email: "kate@example.com", phone: "+447700900111" },
    });
    const owens = await webhooks.calcom.book({
      start,
      eventTypeId: WORKSHOP.id,
      attendee: { name: "Owen Hill", email: "owen@example.com", phone: "+447700900222" },
    });
    expect(owens.uid).toBe(kates.uid);
    await webhooks.worker.idle();
    expect(webhooks.cell(`${COL.booking}2`)).toBe(london(start));
    expect(webhooks.cell(`${COL.booking}3`)).toBe(london(start));
    const kateSeat = kates.attendees.find((a) => a.email === "kate@example.com")?.seatUid ?? "";
    expect(docOf(webhooks, "Kate")?.bookings).toEqual([
      expect.objectContaining({ uid: `${kates.uid}/${kateSeat}`, status: "accepted" }),
    ]);
    expect(docOf(webhooks, "Owen")?.bookings).toHaveLength(1);

    await webhooks.calcom.cancel(kates.uid, "Cannot make it", kateSeat);
    await webhooks.worker.idle();
    expect(webhooks.cell(`${COL.status}2`)).toBe("CALL_CANCELLED");
    expect(webhooks.cell(`${COL.booking}2`)).toBe("");
    expect(webhooks.cell(`${COL.status}3`)).toBe("CALL_BOOKED");
    expect(webhooks.cell(`${COL.booking}3`)).toBe(london(start));

    // A poll sees the booking still on: Owen's row is not moved backwards, Kate's stays cancelled.
    await sync(webhooks);
    expect(webhooks.cell(`${COL.status}3`)).toBe("CALL_BOOKED");
    expect(webhooks.cell(`${COL.status}2`)).toBe("CALL_CANCELLED");
  });

  it("notices a seat cancelled when only a poll tells, leaving the other seats booked", async () => {
    const polled = await startSystem({ db: getDb(), rows: PEOPLE, calcom: { eventTypes: [WORKSHOP] } });
    system = polled;
    const start = inDays(4);
    const kates = await polled.calcom.book({
      start,
      eventTypeId: WORKSHOP.id,
      attendee: { name: "Kate Long", email: "kate@example.com" },
    });
    await polled.calcom.book({
      start,
      eventTypeId: WORKSHOP.id,
      attendee: { name: "Owen Hill", email: "owen@example.com" },
    });
    await sync(polled);
    const kateSeat =
      polled.calcom.booking(kates.uid)?.attendees.find((a) => a.email === "kate@example.com")?.seatUid ?? "";
    await polled.calcom.cancel(kates.uid, "Cannot make it", kateSeat);

    await sync(polled);
    expect(polled.cell(`${COL.status}2`)).toBe("CALL_CANCELLED");
    expect(polled.cell(`${COL.status}3`)).toBe("CALL_BOOKED");
    expect(polled.cell(`${COL.booking}3`)).toBe(london(start));
  });
});
