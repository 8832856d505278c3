import { describe, expect, it } from "vitest";
import { HEADER, LAYOUT, row } from "../../test/support/core-fixtures.ts";
import { leadDocumentId } from "./lead-identity.ts";
import {
  inBatches,
  type LiveLeadDocument,
  planSheetCopy,
  type SheetCopyState,
  sheetCopyDocuments,
} from "./sheet-copy.ts";

const grid = [
  HEADER,
  row("HOT", "Anna", "Smith", "07700 111111", "anna@example.com"),
  row("WARM", "Dev", "Patel", "", "dev@example.com"),
  row("COLD", "No", "Contact", "", ""),
];
const { documents } = sheetCopyDocuments(grid, LAYOUT, "GB");
const anna = leadDocumentId("tel:+447700111111");
const dev = leadDocumentId("mailto:dev@example.com");
const live = (...docs: LiveLeadDocument[]) => new Map(docs.map((d) => [d.id, d]));
/** Sanity holding exactly what the sheet says. */
const inStep = (doc: (typeof documents)[number]): LiveLeadDocument => ({
  id: doc.id,
  archived: false,
  contactStatus: doc.fields.contactStatus,
  sheetRow: doc.fields.sheetRow,
});
const written = (id: string, hash: string): SheetCopyState => ({ id, leadKey: null, hash, archived: false });

describe("the sheet copy's documents", () => {
  it("gives every row with a key a document with its cells, and names the rows without one", () => {
    const result = sheetCopyDocuments(grid, LAYOUT, "GB");
    expect(result.keylessRows).toEqual([4]);
    expect(result.documents.map((d) => d.id)).toEqual([anna, dev]);
    expect(result.documents[0]?.fields).toMatchObject({
      firstName: "Anna",
      phone: "+447700111111",
      contactStatus: "HOT",
      sheetRow: 2,
      archived: false,
    });
    expect(result.documents[0]?.fields.sheetFields[5]).toEqual({
      _key: "col-F",
      header: "Company",
      value: "Acme",
    });
  });

  it("hashes content, so a moved row (new sheetRow) is new content and an identical one is not", () => {
    const moved = sheetCopyDocuments([HEADER, grid[2] as string[], grid[1] as string[]], LAYOUT, "GB");
    expect(moved.documents.find((d) => d.id === anna)?.hash).not.toBe(documents[0]?.hash);
    expect(sheetCopyDocuments(grid, LAYOUT, "GB").documents[0]?.hash).toBe(documents[0]?.hash);
  });
});

describe("planning a copy", () => {
  const [annaDoc, devDoc] = documents as [(typeof documents)[0], (typeof documents)[0]];

  it("writes only what changed since the last copy, or what Sanity lacks", () => {
    const state = new Map([
      [anna, written(anna, annaDoc.hash)],
      [dev, written(dev, "stale")],
    ]);
    const plan = planSheetCopy({ documents, state, live: live(inStep(annaDoc), inStep(devDoc)) });
    expect(plan.writes.map((d) => d.id)).toEqual([dev]);
    expect(plan.unchanged).toBe(1);

    const deleted = planSheetCopy({ documents, state, live: live(inStep(devDoc)) });
    expect(deleted.writes.map((d) => d.id).sort()).toEqual([anna, dev].sort());
  });

  it("rewrites a document whose status or row another writer left behind the sheet", () => {
    const state = new Map([[anna, written(anna, annaDoc.hash)]]);
    const stale = { ...inStep(annaDoc), contactStatus: "CALL_BOOKED" };
    expect(planSheetCopy({ documents: [annaDoc], state, live: live(stale) }).writes).toEqual([annaDoc]);
    const moved = { ...inStep(annaDoc), sheetRow: 9 };
    expect(planSheetCopy({ documents: [annaDoc], state, live: live(moved) }).writes).toEqual([annaDoc]);
    expect(planSheetCopy({ documents: [annaDoc], state, live: live(inStep(annaDoc)) }).writes).toEqual([]);
  });

  it("archives documents whose row is gone, remembers deleted ones without recreating them, and leaves others' documents alone", () => {
    const gone = leadDocumentId("tel:+447700999999");
    const deletedInStudio = leadDocumentId("tel:+447700888888");
    const state = new Map([
      [gone, written(gone, "h")],
      [deletedInStudio, written(deletedInStudio, "h")],
    ]);
    const createdByBookingSync = leadDocumentId("mailto:new@example.com");
    const plan = planSheetCopy({
      documents: [annaDoc, devDoc],
      state,
      live: live(
        { id: gone, archived: false },
        { id: createdByBookingSync, archived: false },
        { id: "lead-from-another-tool", archived: false },
      ),
    });
    expect(plan.archives).toEqual([gone, createdByBookingSync].sort());
    expect(plan.gone).toEqual([deletedInStudio]);
  });

  it("brings back an archived lead whose row returned", () => {
    const state = new Map([[anna, { ...written(anna, annaDoc.hash), archived: true }]]);
    const plan = planSheetCopy({ documents: [annaDoc], state, live: live({ id: anna, archived: true }) });
    expect(plan.writes.map((d) => d.id)).toEqual([anna]);
  });

  it("splits work into batches in order", () => {
    expect(inBatches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(() => inBatches([1], 0)).toThrow(/positive integer/);
  });
});
