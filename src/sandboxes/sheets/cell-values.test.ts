import { describe, expect, it } from "vitest";
import { cellWrite, formatValue, renderCell, userEntered } from "./cell-values.ts";

describe("cell values", () => {
  it("keeps RAW text as typed, formulas and leading zeros included", () => {
    expect(cellWrite("=IMPORTXML(A1, B1)", "RAW")).toEqual({
      kind: "set",
      cell: { value: "=IMPORTXML(A1, B1)" },
    });
    expect(cellWrite("07700 123456", "RAW")).toEqual({ kind: "set", cell: { value: "07700 123456" } });
  });

  it("skips null, clears on empty text, and refuses objects", () => {
    expect(cellWrite(null, "USER_ENTERED")).toEqual({ kind: "skip" });
    expect(cellWrite("", "RAW")).toEqual({ kind: "clear" });
    expect(cellWrite({ a: 1 }, "RAW")).toBeNull();
    expect(cellWrite([1], "USER_ENTERED")).toBeNull();
  });

  it("interprets USER_ENTERED text as the Sheets UI does", () => {
    expect(userEntered("07700 123456")).toEqual({ value: 7700123456 });
    expect(userEntered("+447700123456")).toEqual({ value: 447700123456 });
    expect(userEntered("1,234.5")).toEqual({ value: 1234.5 });
    expect(userEntered(" 42 ")).toEqual({ value: 42 });
    expect(userEntered("true")).toEqual({ value: true });
    expect(userEntered("'0770")).toEqual({ value: "0770" });
    expect(userEntered("=IMPORTXML(A1, B1)")).toEqual({ value: "#NAME?", formula: "=IMPORTXML(A1, B1)" });
    expect(userEntered('="a ""quoted"" word"')).toEqual({
      value: 'a "quoted" word',
      formula: '="a ""quoted"" word"',
    });
    expect(userEntered("17:00 27/10/2025")).toEqual({ value: "17:00 27/10/2025" });
    expect(userEntered("CALL_BOOKED")).toEqual({ value: "CALL_BOOKED" });
  });

  it("renders per valueRenderOption, with empty cells as empty text", () => {
    const formula = userEntered("=NOSUCH()");
    expect(renderCell(formula, "FORMULA")).toBe("=NOSUCH()");
    expect(renderCell(formula, "FORMATTED_VALUE")).toBe("#NAME?");
    expect(renderCell({ value: 7700123456 }, "UNFORMATTED_VALUE")).toBe(7700123456);
    expect(renderCell({ value: 7700123456 }, "FORMATTED_VALUE")).toBe("7700123456");
    expect(renderCell({ value: false }, "FORMATTED_VALUE")).toBe("FALSE");
    expect(renderCell(null, "UNFORMATTED_VALUE")).toBe("");
  });

  it("formats numbers like the Automatic number format", () => {
    expect(formatValue(0.1 + 0.2)).toBe("0.3");
    expect(formatValue(1 / 3)).toBe("0.3333333333");
    expect(formatValue(-12)).toBe("-12");
    expect(formatValue(1.5e20)).toBe("1.5E+20");
  });
});
