import { describe, expect, it } from "vitest";
import { HEADER, LAYOUT, row } from "../../test/support/core-fixtures.ts";
import { attendeeFor, findLead, parseCallStart } from "./book-call.ts";
import { leadDocumentId } from "./lead-identity.ts";
import { readSheetLeads } from "./sheet-leads.ts";

const leads = readSheetLeads(
  [
    HEADER,
    row("HOT", "Anna", "Smith", "07700 111111", "anna@example.com"),
    row("WARM", "Dev", "Patel", "07700 222222", ""),
    row("COLD", "Sam", "Lee", "07700 555555", "sam@example.com"),
    row("COLD", "Alex", "Lee", "07700 555555", "sam@example.com"),
  ],
  LAYOUT,
  "GB",
);

describe("booking a call for a lead", () => {
  it("finds the lead by key, document id or row, and refuses rows that cannot be told apart", () => {
    expect(findLead(leads, { leadKey: "tel:+447700111111" })).toMatchObject({ ok: true, value: { row: 2 } });
    expect(findLead(leads, { leadId: leadDocumentId("tel:+447700222222") })).toMatchObject({
      value: { row: 3 },
    });
    expect(findLead(leads, { row: 2 })).toMatchObject({ value: { firstName: "Anna" } });
    expect(findLead(leads, { row: 5 })).toEqual({
      ok: false,
      error: expect.stringMatching(/Row 5 has no phone or email of its own/),
    });
    expect(findLead(leads, { row: 9 })).toMatchObject({ ok: false });
    expect(findLead(leads, {})).toMatchObject({
      ok: false,
      error: expect.stringMatching(/leadKey, row or leadId/),
    });
  });

  it("books with the lead's name, email and phone, and needs an email", () => {
    expect(attendeeFor(leads[0] as (typeof leads)[0], "Europe/London")).toEqual({
      ok: true,
      value: {
        name: "Anna Smith",
        email: "anna@example.com",
        timeZone: "Europe/London",
        phoneNumber: "+447700111111",
      },
    });
    expect(attendeeFor(leads[1] as (typeof leads)[0], "Europe/London")).toMatchObject({
      ok: false,
      error: expect.stringMatching(/Dev Patel has no email/),
    });
  });

  it("reads an ISO instant as it is, and a wall time in the team's time zone", () => {
    expect(parseCallStart("2025-10-28T10:00:00Z", "Europe/London")).toEqual({
      ok: true,
      value: new Date("2025-10-28T10:00:00Z"),
    });
    // 28 October 2025 is after the clocks went back: London is on GMT.
    expect(parseCallStart("2025-10-28T10:00", "Europe/London")).toEqual({
      ok: true,
      value: new Date("2025-10-28T10:00:00Z"),
    });
    expect(parseCallStart("2025-07-01T10:00", "Europe/London")).toEqual({
      ok: true,
      value: new Date("2025-07-01T09:00:00Z"),
    });
    expect(parseCallStart("2025-10-26T01:30", "Europe/London")).toMatchObject({ ok: false });
    expect(parseCallStart("tomorrow", "Europe/London")).toMatchObject({ ok: false });
  });
});
