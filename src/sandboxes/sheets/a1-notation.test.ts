import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { columnIndex, columnLetters, formatA1, parseCells, quoteSheetTitle, splitA1 } from "./a1-notation.ts";

describe("A1 notation", () => {
  it("splits quoted sheet names, with doubled quotes inside, from their cells", () => {
    expect(splitA1("'Lead List'!A2:X")).toEqual({ sheetTitle: "Lead List", cells: "A2:X" });
    expect(splitA1("'Bob''s leads'!A1")).toEqual({ sheetTitle: "Bob's leads", cells: "A1" });
    expect(splitA1("'Lead List'")).toEqual({ sheetTitle: "Lead List", cells: null });
    expect(splitA1("Sheet1!B3")).toEqual({ sheetTitle: "Sheet1", cells: "B3" });
    expect(splitA1("A2:X")).toEqual({ sheetTitle: null, cells: "A2:X" });
  });

  it("rejects broken quoting and empty halves", () => {
    for (const text of ["'Lead List!A1", "'Lead List'A1", "'Lead List'!", "!A1", "Sheet1!"]) {
      expect(splitA1(text), text).toBeNull();
    }
  });

  it("reads cells, whole columns, open-ended columns and whole rows", () => {
    expect(parseCells("B3")).toEqual({ startRow: 2, endRow: 3, startColumn: 1, endColumn: 2 });
    expect(parseCells("A1:X200")).toEqual({ startRow: 0, endRow: 200, startColumn: 0, endColumn: 24 });
    expect(parseCells("A:X")).toEqual({ startRow: 0, endRow: null, startColumn: 0, endColumn: 24 });
    expect(parseCells("A2:X")).toEqual({ startRow: 1, endRow: null, startColumn: 0, endColumn: 24 });
    expect(parseCells("2:5")).toEqual({ startRow: 1, endRow: 5, startColumn: 0, endColumn: null });
    expect(parseCells("b2:a1")).toEqual({ startRow: 0, endRow: 2, startColumn: 0, endColumn: 2 });
    expect(parseCells("$A$1")).toEqual({ startRow: 0, endRow: 1, startColumn: 0, endColumn: 1 });
  });

  it("rejects what is not a range", () => {
    for (const text of ["A", "5", "A:5", "5:A", "A0", "A1:B2:C3", "AAAA1", "A1:", "", "Sheet 1"]) {
      expect(parseCells(text), text).toBeNull();
    }
  });

  it("quotes sheet names only when they are not plain words", () => {
    expect(quoteSheetTitle("Sheet1")).toBe("Sheet1");
    expect(quoteSheetTitle("Lead List")).toBe("'Lead List'");
    expect(quoteSheetTitle("Bob's")).toBe("'Bob''s'");
    expect(quoteSheetTitle("AB12")).toBe("'AB12'");
    expect(formatA1("Lead List", { startRow: 0, endRow: 200, startColumn: 0, endColumn: 24 })).toBe(
      "'Lead List'!A1:X200",
    );
    expect(formatA1("Sheet1", { startRow: 4, endRow: 5, startColumn: 1, endColumn: 2 })).toBe("Sheet1!B5");
  });

  it("turns column letters into indices and back", () => {
    expect([
      columnIndex("A"),
      columnIndex("X"),
      columnIndex("Z"),
      columnIndex("AA"),
      columnIndex("ZZZ"),
    ]).toEqual([0, 23, 25, 26, 18_277]);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 18_277 }),
        (index) => columnIndex(columnLetters(index)) === index,
      ),
    );
  });

  it("reads back any bounded range it writes, whatever the sheet's name", () => {
    const rect = fc
      .record({
        startRow: fc.integer({ min: 0, max: 5000 }),
        rows: fc.integer({ min: 1, max: 5000 }),
        startColumn: fc.integer({ min: 0, max: 700 }),
        columns: fc.integer({ min: 1, max: 700 }),
      })
      .map(({ startRow, rows, startColumn, columns }) => ({
        startRow,
        endRow: startRow + rows,
        startColumn,
        endColumn: startColumn + columns,
      }));
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 12 }), rect, (title, bounded) => {
        const parts = splitA1(formatA1(title, bounded));
        expect(parts?.sheetTitle).toBe(title);
        expect(parseCells(parts?.cells ?? "")).toEqual(bounded);
      }),
    );
  });
});
