import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stableStringify } from "./lead-identity.ts";

/** The first implementation: stored content hashes were made with it, so the output must not change. */
function firstStableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(firstStableStringify).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${firstStableStringify(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

describe("stableStringify", () => {
  it("writes exactly what the first implementation wrote, for any JSON and undefined fields", () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        fc.jsonValue(),
        fc.constant(undefined),
        fc.array(tie("node"), { maxLength: 4 }),
        fc.dictionary(fc.string(), tie("node"), { maxKeys: 5 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) => {
        expect(stableStringify(v)).toBe(firstStableStringify(v));
      }),
      { numRuns: 2_000 },
    );
  });

  it("sorts keys and leaves undefined fields out", () => {
    expect(stableStringify({ b: 1, a: [undefined, { d: undefined, c: "x" }] })).toBe(
      '{"a":[null,{"c":"x"}],"b":1}',
    );
  });
});
