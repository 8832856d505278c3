import { describe, expect, expectTypeOf, it } from "vitest";
import { dbrLead } from "../../sanity/schemas/dbrLead.ts";
import { schemaTypes } from "../../sanity/schemas/index.ts";
import type { BookingStatus } from "../core/booking.ts";
import type { LeadBookingFields } from "../core/lead-document.ts";
import { DBR_LEAD_BOOKING_STATUSES, DBR_LEAD_TYPE, type DbrLeadFields } from "./lead-document.ts";

const field = (name: string) => dbrLead.fields.find((candidate) => candidate.name === name);
const memberFieldNames = (arrayField: string) =>
  field(arrayField)?.of?.flatMap((member) => member.fields.map((memberField) => memberField.name));

describe("the dbrLead schema and the DbrLeadDocument type", () => {
  it("name the same fields", () => {
    expectTypeOf<(typeof dbrLead.fields)[number]["name"]>().toEqualTypeOf<keyof DbrLeadFields>();
    expect(dbrLead.name).toBe(DBR_LEAD_TYPE);
    expect(dbrLead.fields.map((candidate) => candidate.name)).toEqual([
      "firstName",
      "lastName",
      "phone",
      "email",
      "contactStatus",
      "callBooked",
      "callBookedAt",
      "waitingToRebook",
      "sheetRow",
      "archived",
      "sheetFields",
      "bookings",
    ]);
  });

  it("describe bookings and sheet columns alike", () => {
    expect(memberFieldNames("bookings")).toEqual([
      "uid",
      "start",
      "end",
      "status",
      "eventTypeId",
      "rescheduledFromUid",
      "rescheduledToUid",
    ]);
    expect(field("bookings")?.of?.map((member) => member.name)).toEqual(["booking"]);
    expect(memberFieldNames("sheetFields")).toEqual(["header", "value"]);
    expect(field("sheetFields")?.of?.map((member) => member.name)).toEqual(["sheetField"]);
  });

  it("offer exactly the booking statuses calsync knows", () => {
    expectTypeOf<(typeof DBR_LEAD_BOOKING_STATUSES)[number]>().toEqualTypeOf<BookingStatus>();
    const status = field("bookings")?.of?.[0]?.fields.find((candidate) => candidate.name === "status");
    expect(status?.options?.list?.map((option) => option.value)).toEqual([...DBR_LEAD_BOOKING_STATUSES]);
  });

  it("accept what the booking sync writes", () => {
    expectTypeOf<LeadBookingFields>().toExtend<Pick<DbrLeadFields, keyof LeadBookingFields>>();
  });

  it("type the fields as the sync writes them", () => {
    expect(field("callBookedAt")?.type).toBe("datetime");
    expect(field("sheetRow")?.type).toBe("number");
    expect(field("archived")?.type).toBe("boolean");
    expect(schemaTypes).toEqual([dbrLead]);
  });
});
