import { describe, expect, it } from "vitest";
import { booking } from "../../test/support/core-fixtures.ts";
import { replacedBookingStub } from "./booking-merge.ts";
import { bookingNewsKind } from "./booking-news.ts";

describe("what Cal.com reported about a booking", () => {
  it("names a booking new to calsync, and one that ended, as the webhooks Cal.com sends for them", () => {
    const accepted = booking();
    expect(bookingNewsKind(undefined, accepted)).toBe("created");
    expect(bookingNewsKind(undefined, booking({ status: "pending" }))).toBe("requested");
    expect(bookingNewsKind(undefined, booking({ rescheduledFromUid: "old" }))).toBe("rescheduled");
    expect(bookingNewsKind(accepted, { ...accepted, status: "cancelled" })).toBe("cancelled");
    expect(bookingNewsKind(accepted, { ...accepted, status: "rejected" })).toBe("rejected");
  });

  it("is silent on what is no news: the same booking, the old side of a reschedule, a stub", () => {
    const accepted = booking();
    expect(bookingNewsKind(accepted, { ...accepted, updatedAt: "2025-10-27T00:00:00.000Z" })).toBeNull();
    expect(
      bookingNewsKind(accepted, { ...accepted, status: "cancelled", rescheduledToUid: "new" }),
    ).toBeNull();
    expect(bookingNewsKind(undefined, replacedBookingStub("old", "new"))).toBeNull();
    expect(bookingNewsKind(replacedBookingStub("old", "new"), { ...accepted, uid: "old" })).toBeNull();
  });
});
