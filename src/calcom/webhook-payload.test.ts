import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtureNames, readFixture } from "../../test/support/calcom-fixtures.ts";
import { startWebhookReceiver } from "../../test/support/webhook-receiver.ts";
import { type CalcomSandbox, startCalcomSandbox } from "../sandboxes/calcom/index.ts";
import { toBookingSnapshot } from "./to-snapshot.ts";
import { type CalcomWebhookEvent, parseWebhookPayload } from "./webhook-payload.ts";
import { signWebhookBody, verifyWebhookSignature } from "./webhook-signature.ts";

/** What each published sample must read as. A new sample fails the first test until it is added here. */
const EXPECTED: Record<string, CalcomWebhookEvent> = {
  "wh-booking-cancelled-2023-activepieces.json": {
    kind: "booking",
    trigger: "BOOKING_CANCELLED",
    createdAt: "2023-02-18T12:11:37.975Z",
    booking: {
      uid: "88wXJjC8AHAbepGYM2bwp4",
      status: "cancelled",
      start: "2023-02-21T11:00:00.000Z",
      end: "2023-02-21T11:30:00.000Z",
      eventTypeId: null,
      attendee: { name: "John Doe", email: "john@example.com", phone: null, timeZone: "Europe/Berlin" },
      rescheduledFromUid: null,
      rescheduledToUid: null,
      updatedAt: null,
    },
    rescheduledFromUid: null,
    requestReschedule: false,
  },
  "wh-booking-cancelled-calcom-docs.json": {
    kind: "booking",
    trigger: "BOOKING_CANCELLED",
    createdAt: "2024-01-01T15:00:00.000Z",
    booking: {
      uid: "unique-booking-identifier",
      status: "cancelled",
      start: "2024-01-04T10:00:00.000Z",
      end: "2024-01-04T10:15:00.000Z",
      eventTypeId: 100,
      attendee: { name: "Guest User", email: "guest@example.com", phone: null, timeZone: "UTC" },
      rescheduledFromUid: null,
      rescheduledToUid: null,
      updatedAt: null,
    },
    rescheduledFromUid: null,
    requestReschedule: false,
  },
  "wh-booking-created-2023-activepieces.json": {
    kind: "booking",
    trigger: "BOOKING_CREATED",
    createdAt: "2023-02-18T11:54:18.440Z",
    booking: {
      uid: "pssX2hWwDbuKHmdGQ9BuBz",
      status: "accepted",
      start: "2023-02-20T08:00:00.000Z",
      end: "2023-02-20T08:15:00.000Z",
      eventTypeId: 217779,
      attendee: { name: "John Doe", email: "booker.g@example.com", phone: null, timeZone: "Europe/Berlin" },
      rescheduledFromUid: null,
      rescheduledToUid: null,
      updatedAt: null,
    },
    rescheduledFromUid: null,
    requestReschedule: false,
  },
  "wh-booking-rejected-calcom-docs.json": {
    kind: "booking",
    trigger: "BOOKING_REJECTED",
    createdAt: "2024-01-01T14:00:00.000Z",
    booking: {
      uid: "unique-booking-identifier",
      status: "rejected",
      start: "2024-01-01T15:00:00.000Z",
      end: "2024-01-01T15:15:00.000Z",
      eventTypeId: 100,
      attendee: { name: "Guest User", email: "guest@example.com", phone: null, timeZone: "UTC" },
      rescheduledFromUid: null,
      rescheduledToUid: null,
      updatedAt: null,
    },
    rescheduledFromUid: null,
    requestReschedule: false,
  },
  "wh-booking-requested-calcom-docs.json": {
    kind: "booking",
    trigger: "BOOKING_REQUESTED",
    createdAt: "2024-01-01T12:00:00.000Z",
    booking: {
      uid: "unique-booking-id",
      status: "pending",
      start: "2024-01-01T13:00:00.000Z",
      end: "2024-01-01T13:15:00.000Z",
      eventTypeId: 100,
      attendee: {
        name: "Guest User",
        firstName: "Guest",
        lastName: "User",
        email: "guest@example.com",
        phone: null,
        timeZone: "UTC",
      },
      rescheduledFromUid: null,
      rescheduledToUid: null,
      updatedAt: null,
    },
    rescheduledFromUid: null,
    requestReschedule: false,
  },
  "wh-booking-rescheduled-2023-activepieces.json": {
    kind: "booking",
    trigger: "BOOKING_RESCHEDULED",
    createdAt: "2023-02-18T12:11:26.909Z",
    booking: {
      uid: "88wXJjC8AHAbepGYM2bwp4",
      status: "accepted",
      start: "2023-02-21T11:00:00.000Z",
      end: "2023-02-21T11:30:00.000Z",
      eventTypeId: 217780,
      attendee: { name: "John Doe", email: "john@example.com", phone: null, timeZone: "Europe/Berlin" },
      rescheduledFromUid: "3qTJ7WiwdMR3RJmDW2KGhr",
      rescheduledToUid: null,
      updatedAt: null,
    },
    rescheduledFromUid: "3qTJ7WiwdMR3RJmDW2KGhr",
    requestReschedule: false,
  },
  "wh-meeting-ended-calcom-docs.json": {
    kind: "other",
    trigger: "MEETING_ENDED",
    bookingUid: "unique-booking-identifier",
  },
};

describe("parseWebhookPayload on the published samples", () => {
  it("has an expectation for every webhook sample", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(fixtureNames("wh-"));
  });

  it.each(Object.keys(EXPECTED))("reads %s", (name) => {
    expect(parseWebhookPayload(readFixture(name))).toEqual({ ok: true, event: EXPECTED[name] });
  });

  it("finds the phone in responses.attendeePhoneNumber.value, or on the attendee", () => {
    const sample = readFixture("wh-booking-requested-calcom-docs.json") as {
      payload: Record<string, unknown>;
    };
    const responses = sample.payload.responses as Record<string, unknown>;
    const inResponses = {
      ...sample,
      payload: {
        ...sample.payload,
        responses: { ...responses, attendeePhoneNumber: { label: "phone_number", value: "+447700900123" } },
      },
    };
    const attendees = sample.payload.attendees as Record<string, unknown>[];
    const onAttendee = {
      ...sample,
      payload: { ...sample.payload, attendees: [{ ...attendees[0], phoneNumber: "+447742201349" }] },
    };
    const phoneOf = (body: unknown) => {
      const parsed = parseWebhookPayload(body);
      return parsed.ok && parsed.event.kind === "booking"
        ? parsed.event.booking.attendee.phone
        : "not a booking";
    };
    expect(phoneOf(inResponses)).toBe("+447700900123");
    expect(phoneOf(onAttendee)).toBe("+447742201349");
  });

  it("reads requestReschedule on a cancellation", () => {
    const sample = readFixture("wh-booking-cancelled-calcom-docs.json") as { payload: object };
    const parsed = parseWebhookPayload({
      ...sample,
      payload: { ...sample.payload, requestReschedule: true },
    });
    expect(parsed).toMatchObject({ ok: true, event: { requestReschedule: true } });
  });

  it("verifies a sample's signature over its compact body, and refuses an altered one", () => {
    const body = JSON.stringify(readFixture("wh-booking-created-2023-activepieces.json"));
    const signature = signWebhookBody(body, "whsec_test");
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyWebhookSignature({ rawBody: body, signature: signature, secret: "whsec_test" }).ok).toBe(
      true,
    );
    expect(
      verifyWebhookSignature({
        rawBody: body.replace("John Doe", "Jane Doe"),
        signature: signature,
        secret: "whsec_test",
      }).ok,
    ).toBe(false);
    expect(verifyWebhookSignature({ rawBody: body, signature: signature, secret: "another secret" }).ok).toBe(
      false,
    );
    expect(verifyWebhookSignature({ rawBody: body, signature: undefined, secret: "whsec_test" }).ok).toBe(
      false,
    );
  });
});

describe("parseWebhookPayload on other bodies", () => {
  it("reads Cal.com's test button as a ping", () => {
    expect(
      parseWebhookPayload({ triggerEvent: "PING", createdAt: "2025-01-01T00:00:00Z", payload: {} }),
    ).toEqual({
      ok: true,
      event: { kind: "ping" },
    });
  });

  it("passes on triggers calsync does not act on, with the booking uid when there is one", () => {
    expect(
      parseWebhookPayload({ triggerEvent: "BOOKING_PAID", createdAt: "x", payload: { uid: "abc" } }),
    ).toEqual({
      ok: true,
      event: { kind: "other", trigger: "BOOKING_PAID", bookingUid: "abc" },
    });
    expect(parseWebhookPayload({ triggerEvent: "FORM_SUBMITTED", payload: { responses: {} } })).toEqual({
      ok: true,
      event: { kind: "other", trigger: "FORM_SUBMITTED", bookingUid: null },
    });
  });

  it.each([
    ["an array", [], "not a JSON object"],
    ["a string", "BOOKING_CREATED", "not a JSON object"],
    ["null", null, "not a JSON object"],
    ["a body without triggerEvent", { payload: { uid: "x" } }, "no triggerEvent"],
    [
      "a booking event without payload",
      { triggerEvent: "BOOKING_CREATED", createdAt: "x" },
      "no payload object",
    ],
    [
      "a booking without uid",
      { triggerEvent: "BOOKING_CREATED", createdAt: "x", payload: { startTime: "2025-01-01T00:00:00Z" } },
      "payload.uid",
    ],
    [
      "a booking with a broken time",
      {
        triggerEvent: "BOOKING_CREATED",
        createdAt: "x",
        payload: {
          uid: "a",
          startTime: "tomorrow",
          endTime: "2025-01-01T00:00:00Z",
          attendees: [{ name: "A" }],
        },
      },
      "payload.startTime not a time",
    ],
  ])("refuses %s, saying why", (_what, body, reason) => {
    const parsed = parseWebhookPayload(body);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.reason).toContain(reason);
  });

  it("never throws, whatever the body", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (json) => {
        parseWebhookPayload(json);
        parseWebhookPayload({ triggerEvent: "BOOKING_CREATED", createdAt: "x", payload: json });
        return true;
      }),
    );
  });
});

describe("parseWebhookPayload on what the sandbox sends", () => {
  const SECRET = "calsync-test-secret";
  let sandbox: CalcomSandbox;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    sandbox = await startCalcomSandbox({
      now: () => new Date("2025-11-05T12:00:00Z"),
      seed: 42,
      eventTypes: [
        { id: 3721996, slug: "introduction-call", title: "Introduction Call", lengthInMinutes: 15 },
        {
          id: 42,
          slug: "approval-call",
          title: "Approval Call",
          lengthInMinutes: 30,
          requiresConfirmation: true,
        },
      ],
    });
    sandbox.addWebhook({
      subscriberUrl: receiver.url,
      secret: SECRET,
      triggers: [
        "BOOKING_CREATED",
        "BOOKING_RESCHEDULED",
        "BOOKING_CANCELLED",
        "BOOKING_REQUESTED",
        "BOOKING_REJECTED",
      ],
    });
  });
  afterAll(async () => {
    await sandbox?.close();
    await receiver?.close();
  });

  /** Every delivery so far: signature checked on the exact body, then parsed. */
  const deliveries = () =>
    receiver.received.map(({ headers, body }) => {
      expect(
        verifyWebhookSignature({ rawBody: body, signature: headers["x-cal-signature-256"], secret: SECRET })
          .ok,
        body,
      ).toBe(true);
      const parsed = parseWebhookPayload(JSON.parse(body));
      if (!parsed.ok || parsed.event.kind !== "booking") throw new Error(`unexpected: ${body}`);
      return { event: parsed.event, body: JSON.parse(body) as { payload: Record<string, unknown> } };
    });

  it("reads a created → rescheduled → cancelled chain as the bookings the API shows", async () => {
    receiver.received.length = 0;
    const booked = await sandbox.book({
      start: "2025-11-10T10:00:00Z",
      attendee: { phone: "+447700900123" },
    });
    const moved = await sandbox.reschedule(booked.uid, "2025-11-11T10:00:00Z");
    const cancelled = await sandbox.cancel(moved.uid, "Changed my mind");

    const [created, rescheduled, cancellation] = deliveries().map((delivery) => delivery.event);
    expect(created?.trigger).toBe("BOOKING_CREATED");
    expect(created?.booking).toEqual({ ...toBookingSnapshot(booked), updatedAt: null });
    expect(rescheduled).toMatchObject({ trigger: "BOOKING_RESCHEDULED", rescheduledFromUid: booked.uid });
    expect(rescheduled?.booking).toEqual({ ...toBookingSnapshot(moved), updatedAt: null });
    expect(cancellation).toMatchObject({ trigger: "BOOKING_CANCELLED", requestReschedule: false });
    expect(cancellation?.booking).toMatchObject({ uid: cancelled.uid, status: "cancelled" });
  });

  it("reads requested, confirmed and rejected bookings", async () => {
    receiver.received.length = 0;
    const first = await sandbox.book({ start: "2025-11-12T09:00:00Z", eventTypeId: 42 });
    const second = await sandbox.book({ start: "2025-11-12T10:00:00Z", eventTypeId: 42 });
    await sandbox.confirm(first.uid);
    await sandbox.reject(second.uid, "Fully booked");
    expect(deliveries().map(({ event }) => [event.trigger, event.booking.uid, event.booking.status])).toEqual(
      [
        ["BOOKING_REQUESTED", first.uid, "pending"],
        ["BOOKING_REQUESTED", second.uid, "pending"],
        ["BOOKING_CREATED", first.uid, "accepted"],
        ["BOOKING_REJECTED", second.uid, "rejected"],
      ],
    );
  });

  it("finds the phone however the payload varies, and varies it as live payloads do", async () => {
    receiver.received.length = 0;
    for (let day = 0; day < 30; day++) {
      await sandbox.book({
        start: new Date(Date.UTC(2025, 11, 1 + day, 9)),
        attendee: { phone: "+447700900123" },
      });
    }
    const received = deliveries();
    expect(received.map(({ event }) => event.booking.attendee.phone)).toEqual(
      Array(30).fill("+447700900123"),
    );

    const payloads = received.map(({ body }) => body.payload);
    const timeForms = new Set(payloads.map((payload) => String(payload.startTime).replace(/^.{19}/, "")));
    expect(timeForms).toEqual(new Set(["Z", ".000Z", "+00:00"]));
    const placements = new Set(
      payloads.map((payload) => {
        const onAttendee = (payload.attendees as { phoneNumber?: string | null }[])[0]?.phoneNumber != null;
        const inResponses =
          (payload.responses as Record<string, { value?: unknown }>).attendeePhoneNumber?.value != null;
        return `${onAttendee}/${inResponses}`;
      }),
    );
    expect(placements).toEqual(new Set(["true/false", "false/true", "true/true"]));
  });

  it("keeps the number of a phone-call event's location apart: a created booking's payload no longer says whose it is", async () => {
    receiver.received.length = 0;
    await sandbox.book({
      start: "2026-01-21T09:00:00Z",
      attendee: { phone: "+447700900123" },
      phoneIn: "location",
    });
    const [delivery] = deliveries();
    expect(delivery?.body.payload.location).toBe("+447700900123");
    // handleNewBooking overwrites the location answer with the number before the webhook: "phone" (the
    // booker's) and "userPhone" (the organizer's) look alike here, so the core decides across bookings.
    expect(delivery?.event.booking.attendee.phone).toBeNull();
    expect(delivery?.event.booking.attendee.locationPhone).toBe("+447700900123");
  });

  it("reads a booking without a phone as having none", async () => {
    receiver.received.length = 0;
    await sandbox.book({ start: "2026-01-20T09:00:00Z", phoneIn: "none" });
    expect(deliveries()[0]?.event.booking.attendee.phone).toBeNull();
  });
});
