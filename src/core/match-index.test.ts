import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildMatchIndex, type IndexedLead } from "./match-index.ts";

const lead = (row: number, phone: string | null, email: string | null): IndexedLead => ({
  row,
  phone,
  email,
});

describe("buildMatchIndex", () => {
  const index = buildMatchIndex([
    lead(2, "+447742201349", "mark@example.com"),
    lead(3, "+447700123456", "anna@example.com"),
    lead(4, "+447700111111", "twin@example.com"),
    lead(5, "+447700111111", "twin2@example.com"),
    lead(6, null, "shared@example.com"),
    lead(7, "+447700222222", "shared@example.com"),
  ]);

  it("matches by phone first", () => {
    expect(index.match({ phone: "+447742201349", email: "anna@example.com" })).toEqual({
      kind: "matched",
      row: 2,
      via: "phone",
    });
  });

  it("falls back to email when the phone is unknown or missing", () => {
    expect(index.match({ phone: "+447999999999", email: "anna@example.com" })).toEqual({
      kind: "matched",
      row: 3,
      via: "email",
    });
    expect(index.match({ phone: null, email: "mark@example.com" })).toEqual({
      kind: "matched",
      row: 2,
      via: "email",
    });
  });

  it("reports a phone two rows share as ambiguous and matches neither", () => {
    expect(index.match({ phone: "+447700111111", email: null })).toEqual({
      kind: "ambiguous",
      via: "phone",
      candidateRows: [4, 5],
    });
  });

  it("uses the email when the phone is ambiguous but the email names one row", () => {
    expect(index.match({ phone: "+447700111111", email: "twin2@example.com" })).toEqual({
      kind: "matched",
      row: 5,
      via: "email",
    });
  });

  it("reports an email two rows share as ambiguous", () => {
    expect(index.match({ phone: null, email: "shared@example.com" })).toEqual({
      kind: "ambiguous",
      via: "email",
      candidateRows: [6, 7],
    });
  });

  it("finds nobody for an unknown booker or one with neither phone nor email", () => {
    expect(index.match({ phone: "+447000000000", email: "new@example.com" })).toEqual({ kind: "unmatched" });
    expect(index.match({ phone: null, email: null })).toEqual({ kind: "unmatched" });
  });

  it("lists the duplicated keys with their rows", () => {
    expect(index.duplicates()).toEqual([
      { key: "+447700111111", rows: [4, 5] },
      { key: "shared@example.com", rows: [6, 7] },
    ]);
  });

  it("never matches a row whose phone and email both differ from the booker's, and never an ambiguous key", () => {
    const phone = fc.option(fc.constantFrom("+447700000001", "+447700000002", "+447700000003"), {
      nil: null,
    });
    const email = fc.option(fc.constantFrom("a@x.io", "b@x.io", "c@x.io"), { nil: null });
    const rows = fc.array(fc.record({ phone, email }), { maxLength: 8 });
    fc.assert(
      fc.property(rows, fc.record({ phone, email }), (cells, booker) => {
        const leads = cells.map((cell, i) => lead(i + 2, cell.phone, cell.email));
        const result = buildMatchIndex(leads).match(booker);
        if (result.kind !== "matched") return;
        const row = leads.find((l) => l.row === result.row);
        if (!row) throw new Error("matched a row that does not exist");
        const key = result.via === "phone" ? "phone" : "email";
        expect(row[key]).not.toBeNull();
        expect(row[key]).toBe(booker[key]);
        expect(leads.filter((l) => l[key] === booker[key])).toHaveLength(1);
      }),
      { numRuns: 1_000 },
    );
  });
});
