import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PathSyntaxError, parsePath } from "./document-paths.ts";
import type { JsonObject } from "./json.ts";
import { applyPatchOperations, PatchError, type PatchOperations } from "./patch-operations.ts";

function patched(document: JsonObject, operations: PatchOperations): JsonObject {
  const copy = structuredClone(document);
  applyPatchOperations(copy, operations);
  return copy;
}

const lead = (): JsonObject => ({
  _id: "lead-1",
  _type: "dbrLead",
  firstName: "Mark",
  bookings: [
    { _key: "b1", uid: "u1", status: "accepted" },
    { _key: "b2", uid: "u2", status: "pending" },
  ],
});

const keysOf = (document: JsonObject) => (document.bookings as JsonObject[]).map((booking) => booking._key);

describe("parsePath", () => {
  it("reads attributes, indices, ranges and _key selectors", () => {
    expect(parsePath('bookings[_key=="b1"].status')).toEqual([
      { kind: "attribute", name: "bookings" },
      { kind: "key", key: "b1" },
      { kind: "attribute", name: "status" },
    ]);
    expect(parsePath("bookings[-1]")).toEqual([
      { kind: "attribute", name: "bookings" },
      { kind: "index", index: -1 },
    ]);
    expect(parsePath("a.b[1:3]")).toEqual([
      { kind: "attribute", name: "a" },
      { kind: "attribute", name: "b" },
      { kind: "range", start: 1, end: 3 },
    ]);
    expect(parsePath("bookings[_key == 'b 2']")).toEqual([
      { kind: "attribute", name: "bookings" },
      { kind: "key", key: "b 2" },
    ]);
  });

  it("refuses JSONMatch it does not implement rather than guessing", () => {
    expect(() => parsePath("bookings[status == 'x']")).toThrow(PathSyntaxError);
    expect(() => parsePath("..status")).toThrow(PathSyntaxError);
    expect(() => parsePath("")).toThrow(PathSyntaxError);
  });
});

describe("applyPatchOperations", () => {
  it("set creates missing objects along the path and can reach into keyed array items", () => {
    const result = patched(lead(), {
      set: { "meta.source.sheet": "Leads", 'bookings[_key=="b2"].status': "accepted" },
    });
    expect(result.meta).toEqual({ source: { sheet: "Leads" } });
    expect((result.bookings as JsonObject[])[1]).toEqual({ _key: "b2", uid: "u2", status: "accepted" });
  });

  it("set through a key that matches nothing changes nothing", () => {
    expect(patched(lead(), { set: { 'bookings[_key=="nope"].status': "accepted" } })).toEqual(lead());
  });

  it("setIfMissing only fills what is absent, and runs before set", () => {
    expect(patched(lead(), { setIfMissing: { firstName: "Ann", archived: false } })).toMatchObject({
      firstName: "Mark",
      archived: false,
    });
    expect(
      patched(lead(), { setIfMissing: { contactStatus: "NEW" }, set: { contactStatus: "HOT" } }),
    ).toMatchObject({ contactStatus: "HOT" });
  });

  it("unset removes attributes and array items by key or index", () => {
    const result = patched(lead(), { unset: ["firstName", 'bookings[_key=="b1"]', "missing.path"] });
    expect(result.firstName).toBeUndefined();
    expect(keysOf(result)).toEqual(["b2"]);
    expect(keysOf(patched(lead(), { unset: ["bookings[-1]"] }))).toEqual(["b1"]);
  });

  it("inc and dec change numbers and leave anything else alone", () => {
    const result = patched(
      { _id: "x", count: 1, label: "a" },
      { inc: { count: 5, label: 1, absent: 1 }, dec: { count: 2 } },
    );
    expect(result).toEqual({ _id: "x", count: 4, label: "a" });
  });

  it("insert places items before, after or instead of the selected ones", () => {
    const item = (key: string) => ({ _key: key, uid: key });
    expect(
      keysOf(patched(lead(), { insert: { after: 'bookings[_key=="b1"]', items: [item("n")] } })),
    ).toEqual(["b1", "n", "b2"]);
    expect(keysOf(patched(lead(), { insert: { before: "bookings[0]", items: [item("n")] } }))).toEqual([
      "n",
      "b1",
      "b2",
    ]);
    expect(keysOf(patched(lead(), { insert: { after: "bookings[-1]", items: [item("n")] } }))).toEqual([
      "b1",
      "b2",
      "n",
    ]);
    expect(
      keysOf(patched(lead(), { insert: { replace: 'bookings[_key=="b1"]', items: [item("n")] } })),
    ).toEqual(["n", "b2"]);
  });

  it("appends to an empty array, and does nothing to a missing one (setIfMissing it first)", () => {
    const empty = { _id: "x", bookings: [] };
    expect(patched(empty, { insert: { after: "bookings[-1]", items: ["a"] } }).bookings).toEqual(["a"]);
    expect(patched({ _id: "x" }, { insert: { after: "bookings[-1]", items: ["a"] } })).toEqual({ _id: "x" });
    expect(
      patched(
        { _id: "x" },
        { setIfMissing: { bookings: [] }, insert: { after: "bookings[-1]", items: ["a"] } },
      ),
    ).toEqual({ _id: "x", bookings: ["a"] });
  });

  it("refuses to insert into something that is not an array", () => {
    expect(() => patched(lead(), { insert: { after: "firstName[-1]", items: ["a"] } })).toThrow(PatchError);
    expect(() => patched(lead(), { insert: { after: "bookings", items: ["a"] } })).toThrow(PatchError);
  });

  it("never shares written values with the patch", () => {
    const items = [{ _key: "n", uid: "n" }];
    const result = patched(lead(), { insert: { after: "bookings[-1]", items } });
    items[0]!.uid = "changed";
    expect((result.bookings as JsonObject[])[2]).toEqual({ _key: "n", uid: "n" });
  });

  it("appending after [-1] always lands at the end, and unsetting a key removes exactly that key", () => {
    const keyedItems = fc
      .uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 8 })
      .map((keys) => keys.map((key) => ({ _key: key, uid: `uid-${key}` })));
    fc.assert(
      fc.property(keyedItems, fc.string({ minLength: 1, maxLength: 4 }), (bookings, key) => {
        const document: JsonObject = { _id: "x", bookings };
        const appended = patched(document, { insert: { after: "bookings[-1]", items: [{ _key: "new" }] } });
        expect(appended.bookings).toEqual([...bookings, { _key: "new" }]);
        const removed = patched(document, { unset: [`bookings[_key==${JSON.stringify(key)}]`] });
        expect(removed.bookings).toEqual(bookings.filter((booking) => booking._key !== key));
      }),
    );
  });
});
