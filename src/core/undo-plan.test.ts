import { describe, expect, it } from "vitest";
import { LAYOUT, RULES, row } from "../../test/support/core-fixtures.ts";
import type { CellChange, Recorded } from "./change-log.ts";
import { readSheetLeads } from "./sheet-leads.ts";
import { planUndo } from "./undo-plan.ts";

const MARK = { phone: "+447700123456", email: "mark@example.com" };
let nextId = 1;
const change = (overrides: Partial<Recorded<CellChange>> = {}): Recorded<CellChange> => ({
  id: nextId++,
  runId: 5,
  at: "2025-10-27T09:00:00.000Z",
  kind: "cell",
  row: 2,
  field: "status",
  column: "Contact_Status",
  before: "HOT",
  after: "CALL_BOOKED",
  leadKey: "tel:+447700123456",
  leadName: "Mark Greenall",
  identity: MARK,
  action: "booked",
  source: "poll",
  sourceRef: null,
  bookingUid: "b1",
  reason: "",
  ...overrides,
});
const sheet = (...rows: string[][]) => {
  const grid = [
    ["Contact_Status", "First_Name", "Last_Name", "Phone", "Email", "Company", "call_booked"],
    ...rows,
  ];
  return { grid, layout: LAYOUT, leads: readSheetLeads(grid, LAYOUT, RULES.region) };
};

describe("which cells an undo restores", () => {
  it("restores a cell that still holds what the run wrote, on the same lead, to what it held before", () => {
    const decision = planUndo({
      changes: [
        change(),
        change({ field: "booking", column: "call_booked", before: "", after: "10:00 28/10/2025" }),
      ],
      later: [],
      ...sheet(row("CALL_BOOKED", "Mark", "G", "07700123456", "mark@example.com", "10:00 28/10/2025")),
    });
    expect(decision.restore.map((r) => [r.row, r.column, r.value])).toEqual([
      [2, "call_booked", ""],
      [2, "Contact_Status", "HOT"],
    ]);
    expect(decision.skipped).toEqual([]);
  });

  it("counts several writes of one cell as one change, and leaves a cell the run put back itself", () => {
    const decision = planUndo({
      changes: [change({ after: "CALL_CANCELLED" }), change({ before: "CALL_CANCELLED", after: "HOT" })],
      later: [],
      ...sheet(row("HOT", "Mark", "G", "07700123456", "mark@example.com")),
    });
    expect(decision.restore).toEqual([]);
    expect(decision.skipped.map((s) => s.reason)).toEqual([
      "nothing to undo: the run left this cell as it found it",
    ]);
  });

  it("skips a cell a later run changed, but not one a later run only hit and put back", () => {
    const current = sheet(row("CALL_BOOKED", "Mark", "G", "07700123456", "mark@example.com"));
    const putBack = [
      change({ runId: 6, before: "CALL_BOOKED", after: "CALL_CANCELLED", source: "repair" }),
      change({ runId: 6, before: "CALL_CANCELLED", after: "CALL_BOOKED", source: "repair" }),
    ];
    expect(planUndo({ changes: [change()], later: putBack, ...current }).restore).toHaveLength(1);
    const changed = [
      change({ runId: 7, before: "CALL_BOOKED", after: "CALL_BOOKED" }),
      change({ runId: 8, before: "X", after: "CALL_BOOKED" }),
    ];
    expect(
      planUndo({ changes: [change()], later: changed, ...current }).skipped.map((s) => s.reason),
    ).toEqual(['changed since: run 8 wrote "CALL_BOOKED" here']);
  });

  it("says why it skips: changed since, a row whose phone or email changed, an unknown before, a missing column", () => {
    const note = change({ field: "note", column: "calsync_note", before: "", after: "calsync: put back" });
    const unknown = change({
      field: "booking",
      column: "call_booked",
      before: null,
      after: "10:00 28/10/2025",
    });
    const reasons = (rows: string[][], changes: Recorded<CellChange>[]) =>
      planUndo({ changes, later: [], ...sheet(...rows) }).skipped.map((s) => s.reason);
    expect(reasons([row("CALLED", "Mark", "G", "07700123456", "mark@example.com")], [change()])).toEqual([
      'changed since: it holds "CALLED" now, not "CALL_BOOKED"',
    ]);
    expect(reasons([row("CALL_BOOKED", "Mark", "G", "07700123456", "new@example.com")], [change()])).toEqual([
      "the row's phone or email changed since, so calsync cannot be sure it is the same lead",
    ]);
    expect(
      reasons([row("CALL_BOOKED", "Mark", "G", "07700123456", "mark@example.com")], [unknown, note]),
    ).toEqual([
      "calsync cannot tell what this cell held before the run (it landed on a row that had moved)",
      "the sheet no longer has this column",
    ]);
  });
});
