import { describe, expect, it } from "vitest";
import { normalizeEmail } from "./email.ts";

describe("normalizeEmail", () => {
  it("trims and lowercases", () => {
    expect(normalizeEmail("  Mark.Greenall@Example.COM ")).toBe("mark.greenall@example.com");
  });

  it("rewrites nothing else: dots and plus tags are different addresses", () => {
    expect(normalizeEmail("mark.greenall+leads@gmail.com")).toBe("mark.greenall+leads@gmail.com");
    expect(normalizeEmail("markgreenall@gmail.com")).not.toBe(normalizeEmail("mark.greenall@gmail.com"));
  });

  it("lowercases ASCII letters only: an address that differs in Unicode is a different person", () => {
    const kelvin = "\u212Aate@example.com"; // KELVIN SIGN, which toLowerCase() turns into a plain k
    expect(normalizeEmail(kelvin)).toBe(kelvin);
    expect(normalizeEmail(kelvin)).not.toBe(normalizeEmail("kate@example.com"));
    expect(normalizeEmail("KATE@Example.com")).toBe("kate@example.com");
    expect(normalizeEmail("\u00C9mile@example.com")).toBe("\u00C9mile@example.com");
  });

  it("gives no email for empty cells or text without an @", () => {
    expect(normalizeEmail("")).toBeNull();
    expect(normalizeEmail("   ")).toBeNull();
    expect(normalizeEmail("n/a")).toBeNull();
    expect(normalizeEmail(null)).toBeNull();
  });
});
