import { describe, expect, it } from "vitest";
import {
  classifyBookings,
  type DashboardBooking,
  type DashboardLead,
  hotLeads,
  nextCall,
  upcomingCalls,
} from "./dashboard-lists.ts";

const NOW = new Date("2025-10-27T09:00:00Z");
const at = (hours: number) => new Date(NOW.getTime() + hours * 3_600_000).toISOString();
const booking = (
  uid: string,
  startHours: number,
  extra: Partial<DashboardBooking> = {},
): DashboardBooking => ({
  uid,
  start: at(startHours),
  end: at(startHours + 0.25),
  status: "accepted",
  ...extra,
});
const lead = (
  id: string,
  status: string,
  bookings: DashboardBooking[],
  extra: Partial<DashboardLead> = {},
): DashboardLead => ({
  id,
  firstName: id,
  lastName: "",
  contactStatus: status,
  bookings,
  ...extra,
});

describe("the dashboard's lists", () => {
  const leads = [
    lead("anna", "CALL_BOOKED", [booking("a1", 30), booking("a0", -48, { status: "cancelled" })]),
    lead("mark", "HOT", [booking("m1", 2), booking("m2", 24 * 8)]),
    lead("moved", "CALL_BOOKED", [booking("old", 5, { rescheduledToUid: "new" }), booking("new", 50)]),
    lead("now", "CALL_BOOKED", [booking("in-progress", -0.1)]),
    lead("gone", "HOT", [booking("g1", 3)], { archived: true }),
    lead("pending", "hot", [booking("p1", 4, { status: "pending" })]),
  ];

  it("lists the calls of the next 7 days, earliest first, without replaced, cancelled or archived ones", () => {
    expect(upcomingCalls(leads, NOW).map((call) => call.booking.uid)).toEqual([
      "in-progress",
      "m1",
      "p1",
      "a1",
      "new",
    ]);
  });

  it("lists hot leads whatever the case of their status, with their next call however far", () => {
    const hot = hotLeads(leads, ["HOT"]);
    expect(hot.map((l) => l.id)).toEqual(["mark", "pending"]);
    expect(nextCall(hot[0] as DashboardLead, NOW)?.uid).toBe("m1");
    expect(nextCall(lead("x", "HOT", [booking("past", -5)]), NOW)).toBeNull();
  });

  it("tells a lead's bookings apart: upcoming, awaiting confirmation, past, cancelled, rescheduled", () => {
    const kinds = classifyBookings(
      lead("x", "", [
        booking("up", 2),
        booking("wait", 3, { status: "pending" }),
        booking("done", -30),
        booking("off", 5, { status: "cancelled" }),
        booking("moved", 6, { rescheduledToUid: "up" }),
      ]),
      NOW,
    ).map(({ booking: b, kind }) => `${b.uid}:${kind}`);
    expect(kinds).toEqual([
      "moved:rescheduled",
      "off:cancelled",
      "wait:awaiting confirmation",
      "up:upcoming",
      "done:past",
    ]);
  });
});
