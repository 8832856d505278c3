import type { CountryCode } from "libphonenumber-js";
import type { CellWrite } from "../core/plan-booking-sync.ts";
import type { OwnedCellsWrite } from "./context.ts";
import type { Repair } from "./misplaced-cells.ts";
import {
  fingerprintOf,
  identityFingerprint,
  rowsWithFingerprint,
  type SheetSnapshot,
} from "./sheet-snapshot.ts";

/**
 * What one attempt writes on one row, gathered from every source: the plan's cells, sheet-edit put-backs
 * and notes, and cells put back after a misplaced write. One row, one write.
 */
export type RowIntent = {
  row: number;
  /** Who the row is as read (what an anchor created on it must find there). */
  before: string;
  /** Who the row is once this write has landed (repairs may restore its identity cells). */
  after: string;
  cells: Map<number, string>;
  /** The planned writes carried (their leads settle when it lands). */
  planned: CellWrite[];
  /** Indices of the sheet-edit writes carried. */
  extras: number[];
  repairs: Repair[];
};

/** A sheet-edit write (a put-back or a note), kept until it lands, found again by who its row is. */
export type ExtraWrite = { fingerprint: string; firstRow: number; write: OwnedCellsWrite };

export function extraWritesOf(writes: readonly OwnedCellsWrite[]): ExtraWrite[] {
  return writes.map((write) => ({
    fingerprint: identityFingerprint(write.identity),
    firstRow: write.row,
    write,
  }));
}

export function gatherIntents(args: {
  /** The sheet as read. */
  snapshot: SheetSnapshot;
  /** The same grid with the repairs applied: what the plan was made on. */
  planned: { grid: readonly (readonly string[])[]; writes: readonly CellWrite[] };
  extras: ReadonlyMap<number, ExtraWrite>;
  repairs: readonly Repair[];
  region: CountryCode;
  /** The first attempt writes the extras on the rows they were made for. */
  firstAttempt: boolean;
}): RowIntent[] {
  const { snapshot, region } = args;
  const { layout } = snapshot;
  const plannedGrid = args.planned.grid;
  const planView: SheetSnapshot = { ...snapshot, grid: plannedGrid };
  const byRow = new Map<number, RowIntent>();
  const intentAt = (row: number) => {
    let intent = byRow.get(row);
    if (!intent) {
      intent = {
        row,
        before: fingerprintOf(snapshot.grid[row - 1] ?? [], layout, region),
        after: fingerprintOf(plannedGrid[row - 1] ?? [], layout, region),
        cells: new Map(),
        planned: [],
        extras: [],
        repairs: [],
      };
      byRow.set(row, intent);
    }
    return intent;
  };
  // Lowest precedence first: a repair puts back what was there, an edit's put-back or note overrides it,
  // and the plan (made on the sheet as it reads once the repairs land) has the last word.
  for (const repair of args.repairs) {
    const intent = intentAt(repair.row);
    for (const [column, value] of repair.cells) intent.cells.set(column, value);
    intent.repairs.push(repair);
  }
  for (const [index, extra] of args.extras) {
    const found = rowsWithFingerprint(planView, extra.fingerprint, region);
    const row = args.firstAttempt ? extra.firstRow : found.length === 1 ? (found[0] as number) : null;
    if (row === null) continue;
    const intent = intentAt(row);
    const { status, booking, note } = extra.write;
    if (status !== undefined) intent.cells.set(layout.status, status);
    if (booking !== undefined) intent.cells.set(layout.booking, booking);
    if (note !== undefined && layout.note !== null) intent.cells.set(layout.note, note);
    intent.extras.push(index);
  }
  for (const write of args.planned.writes) {
    const intent = intentAt(write.row);
    if (write.status !== undefined) intent.cells.set(layout.status, write.status);
    if (write.booking !== undefined) intent.cells.set(layout.booking, write.booking);
    intent.planned.push(write);
  }
  return [...byRow.values()];
}
