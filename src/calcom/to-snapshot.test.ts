import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFixture } from "../../test/support/calcom-fixtures.ts";
import { type CalcomSandbox, type PhoneLocation, startCalcomSandbox } from "../sandboxes/calcom/index.ts";
import { toBookingSnapshot } from "./to-snapshot.ts";
import { type ApiBooking, apiBookingSchema, bookingsPageSchema } from "./types.ts";

const liveBooking = (): ApiBooking => {
  const page = bookingsPageSchema.parse(readFixture("api-v2-get-bookings-list-20250528.json"));
  return page.data[0] as ApiBooking;
};

describe("toBookingSnapshot on a live answer", () => {
  it("maps the live list sample field by field", () => {
    expect(toBookingSnapshot(liveBooking())).toEqual({
      uid: "mS4ebKVyrN3wUHyXXPMFYy",
      status: "accepted",
      start: "2025-05-28T20:00:00.000Z",
      end: "2025-05-28T20:30:00.000Z",
      eventTypeId: 2520314,
      attendee: {
        name: "Host Dev",
        email: "host.e@example.com",
        phone: null,
        timeZone: "America/Los_Angeles",
      },
      rescheduledFromUid: null,
      rescheduledToUid: null,
      updatedAt: "2025-05-28T00:12:55.091Z",
    });
  });

  it("canonicalises times given without milliseconds or as +00:00", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("2020-01-01"), max: new Date("2030-01-01"), noInvalidDate: true }),
        fc.constantFrom("Z", "+00:00", ".000Z"),
        (date, suffix) => {
          const whole = new Date(Math.floor(date.getTime() / 1000) * 1000);
          const text = whole.toISOString().replace(".000Z", suffix === ".000Z" ? ".000Z" : suffix);
          const snapshot = toBookingSnapshot({ ...liveBooking(), start: text, end: text, updatedAt: text });
          return snapshot.start === whole.toISOString() && snapshot.updatedAt === whole.toISOString();
        },
      ),
    );
  });

  it("keeps each of the four statuses", () => {
    for (const status of ["accepted", "pending", "cancelled", "rejected"] as const) {
      expect(toBookingSnapshot({ ...liveBooking(), status }).status).toBe(status);
    }
  });

  it("uses Cal.com's own first/last split when the name field holds one", () => {
    const booking = {
      ...liveBooking(),
      bookingFieldsResponses: { name: { firstName: "Mary", lastName: "Jackson" }, email: "m@example.com" },
    };
    expect(toBookingSnapshot(booking).attendee).toMatchObject({
      name: "Host Dev",
      firstName: "Mary",
      lastName: "Jackson",
    });
    expect(toBookingSnapshot(liveBooking()).attendee).not.toHaveProperty("firstName");
  });

  it("does not take a video link or an integration id for a phone", () => {
    for (const location of ["https://app.cal.com/video/abc", "integrations:daily", "Office 2, Floor 3"]) {
      expect(toBookingSnapshot({ ...liveBooking(), location }).attendee.phone).toBeNull();
    }
  });

  it("copes with a booking whose attendees are hidden (seated events)", () => {
    const booking = apiBookingSchema.parse({
      ...liveBooking(),
      attendees: [],
      bookingFieldsResponses: { name: "Grace Hopper", email: "grace@example.com" },
    });
    expect(toBookingSnapshot(booking).attendee).toMatchObject({
      name: "Grace Hopper",
      email: "grace@example.com",
    });
  });
});

describe("toBookingSnapshot on sandbox bookings", () => {
  let sandbox: CalcomSandbox;
  beforeAll(async () => {
    sandbox = await startCalcomSandbox({ now: () => new Date("2025-11-05T12:00:00Z") });
  });
  afterAll(async () => sandbox?.close());

  it.each<[PhoneLocation, string | null]>([
    ["attendees", "+447700900123"],
    ["bookingFieldsResponses", "+447700900123"],
    ["both", "+447700900123"],
    ["location", "+447700900123"],
    ["none", null],
  ])("finds the phone when Cal.com keeps it in %s", (phoneIn, expected) => {
    const booking = sandbox.addBooking({ attendee: { phone: "+447700900123" }, phoneIn });
    expect(toBookingSnapshot(booking).attendee.phone).toBe(expected);
  });

  it("prefers the attendee's phone to the form answer and the location", () => {
    const booking = sandbox.addBooking({ attendee: { phone: "+447700900123" }, phoneIn: "attendees" });
    const conflicting = {
      ...booking,
      location: "+441515416933",
      bookingFieldsResponses: { ...booking.bookingFieldsResponses, attendeePhoneNumber: "+447742201349" },
    };
    expect(toBookingSnapshot(conflicting).attendee.phone).toBe("+447700900123");
  });

  it("carries both sides of a reschedule", () => {
    const old = sandbox.addBooking({ rescheduledToUid: "newUid123" });
    const moved = sandbox.addBooking({ rescheduledFromUid: old.uid });
    expect(toBookingSnapshot(old)).toMatchObject({ rescheduledToUid: "newUid123", rescheduledFromUid: null });
    expect(toBookingSnapshot(moved)).toMatchObject({ rescheduledFromUid: old.uid, rescheduledToUid: null });
  });

  it("splits the name as the booking form did", () => {
    const booking = sandbox.addBooking({ attendee: { firstName: "Katherine", lastName: "Johnson" } });
    expect(toBookingSnapshot(booking).attendee).toMatchObject({
      name: "Katherine Johnson",
      firstName: "Katherine",
      lastName: "Johnson",
    });
  });
});
