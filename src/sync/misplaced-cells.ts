import type { CountryCode } from "libphonenumber-js";
import { headerKey, resolveSheetLayout, type SheetHeaders, type SheetLayout } from "../core/sheet-layout.ts";
import { getMeta, setMeta } from "../db/meta.ts";
import type { SyncContext } from "./context.ts";
import {
  columnOfHeader,
  fingerprintOf,
  knownCell,
  rowsWithFingerprint,
  type SheetSnapshot,
} from "./sheet-snapshot.ts";

/**
 * Cells calsync wrote where they do not belong, found in the answer of the write itself: a sort moved
 * another lead's values onto the anchored row, or columns moved under the write. Each is put back to what
 * calsync had read there, as long as the cell still holds what calsync wrote (a person's later edit wins).
 */

/** One misplaced cell: its column then (by header, and by index), what calsync wrote, and what was there. */
export type MisplacedCell = {
  /** The header of the column the value landed in; `""` for a column without one. */
  header: string;
  column: number;
  wrote: string;
  /** What the cell held before, from calsync's read; null when calsync never read that cell. */
  restoreTo: string | null;
};

/** The misplaced cells of one row, and who that row is (sheet-snapshot fingerprint). */
export type Misplacement = {
  fingerprint: string;
  row: number;
  cells: MisplacedCell[];
  /** Runs that have ended with it still misplaced. */
  runs?: number;
};

/** A row to put cells back on: where the row is now, and the cells (by column now) with their old values. */
export type Repair = { fingerprint: string; row: number; cells: Map<number, string>; of: Misplacement };

/**
 * Judges one landed write: did it land on the row it meant (`fingerprint`), under the columns it was
 * planned on (`snapshot`), and which of its cells went elsewhere and what those cells held before.
 */
export function checkLanding(args: {
  fingerprint: string;
  /** The row the write was planned for, in `snapshot`. */
  plannedRow: number;
  cells: ReadonlyMap<number, string>;
  landed: { row: number; cells: string[] };
  /** Row 1 when the write landed. */
  headerNow: readonly string[];
  snapshot: SheetSnapshot;
  headers: SheetHeaders;
  region: CountryCode;
}): { onRow: boolean; onTarget: boolean; misplaced: Misplacement | null } {
  const { snapshot, landed, headerNow } = args;
  const planHeader = snapshot.grid[0] ?? [];
  const layoutNow = layoutOf(headerNow, args.headers) ?? snapshot.layout;
  const fingerprintNow = fingerprintOf(landed.cells, layoutNow, args.region);
  const onRow =
    fingerprintNow === args.fingerprint ||
    editedIdentity({
      snapshot,
      plannedRow: args.plannedRow,
      fingerprint: args.fingerprint,
      landed,
      layoutNow,
      region: args.region,
    });
  // Whose row it is in what calsync read: the planned one, or the one a sort put there.
  const sourceRow = onRow
    ? args.plannedRow
    : onlyRow(rowsWithFingerprint(snapshot, fingerprintNow, args.region));
  const misplaced: MisplacedCell[] = [];
  let onTarget = onRow;
  for (const [column, value] of args.cells) {
    const here = headerNow[column] ?? "";
    const sameColumn = headerKey(here) === headerKey(planHeader[column] ?? "");
    if (onRow && sameColumn) continue;
    onTarget = false;
    const before = sourceRow === null ? null : priorValue(snapshot, sourceRow, sameColumn ? column : here);
    if (before === value) continue;
    misplaced.push({ header: here, column, wrote: value, restoreTo: before });
  }
  return {
    onRow,
    onTarget,
    misplaced:
      misplaced.length > 0 ? { fingerprint: fingerprintNow, row: landed.row, cells: misplaced } : null,
  };
}

/**
 * What a cell of `row` held when read, for the column now headed `header` (or at index `header`).
 * A column without a header that was not in the table read is taken as new, hence blank; a header that
 * was missing or repeated, or a cell the read did not cover, is unknown.
 */
function priorValue(snapshot: SheetSnapshot, row: number, header: number | string): string | null {
  if (typeof header === "number") return knownCell(snapshot, row, header);
  const planHeader = snapshot.grid[0] ?? [];
  const column = columnOfHeader(planHeader, header);
  if (column !== null) return knownCell(snapshot, row, column);
  const existed = planHeader.some((name) => headerKey(name) === headerKey(header));
  return existed ? null : "";
}

/** Where each misplacement's cells are now in `snapshot`, and what to write to put them back. */
export function locateRepairs(
  pending: readonly Misplacement[],
  snapshot: SheetSnapshot,
  region: CountryCode,
): { repairs: Repair[]; waiting: Misplacement[] } {
  const repairs: Repair[] = [];
  const waiting: Misplacement[] = [];
  const header = snapshot.grid[0] ?? [];
  for (const misplacement of pending) {
    const row = onlyRow(rowsWithFingerprint(snapshot, misplacement.fingerprint, region));
    if (row === null) {
      waiting.push(misplacement);
      continue;
    }
    const cells = new Map<number, string>();
    const left: MisplacedCell[] = [];
    const repaired: MisplacedCell[] = [];
    for (const cell of misplacement.cells) {
      const column =
        cell.header === ""
          ? (header[cell.column] ?? "") === ""
            ? cell.column
            : null
          : columnOfHeader(header, cell.header);
      const current = column === null ? null : knownCell(snapshot, row, column);
      if (column === null || current === null) left.push(cell);
      // Someone changed the cell since: theirs to keep.
      else if (current !== cell.wrote) continue;
      else if (cell.restoreTo === null) left.push(cell);
      else {
        cells.set(column, cell.restoreTo);
        repaired.push({ ...cell, column, header: header[column] ?? "" });
      }
    }
    if (cells.size > 0)
      repairs.push({
        fingerprint: misplacement.fingerprint,
        row,
        cells,
        of: { ...misplacement, row, cells: repaired },
      });
    if (left.length > 0) waiting.push({ ...misplacement, row, cells: left });
  }
  return { repairs, waiting };
}

/** The grid as it will read once the repairs land: what planning on a fresh read must see. */
export function withRepairs(grid: readonly (readonly string[])[], repairs: readonly Repair[]): string[][] {
  const next = grid.map((cells) => [...cells]);
  for (const repair of repairs) {
    const cells = next[repair.row - 1];
    if (!cells) continue;
    for (const [column, value] of repair.cells) cells[column] = value;
  }
  return next;
}

/**
 * The planned lead, its phone or email edited by a person since the read: the row keeps the other of the
 * two and its names, and no row calsync read has the identity it shows now (so no sort brought it here).
 */
function editedIdentity(args: {
  snapshot: SheetSnapshot;
  plannedRow: number;
  fingerprint: string;
  landed: { cells: string[] };
  layoutNow: SheetLayout;
  region: CountryCode;
}): boolean {
  const { snapshot, landed, layoutNow } = args;
  const now = parseIdentity(fingerprintOf(landed.cells, layoutNow, args.region));
  const meant = parseIdentity(args.fingerprint);
  if (!now || !meant) return false;
  const keepsOne =
    (now.phone !== "" && now.phone === meant.phone) || (now.email !== "" && now.email === meant.email);
  const planned = snapshot.grid[args.plannedRow - 1] ?? [];
  const { layout } = snapshot;
  const sameNames =
    (landed.cells[layoutNow.firstName] ?? "").trim() === (planned[layout.firstName] ?? "").trim() &&
    (landed.cells[layoutNow.lastName] ?? "").trim() === (planned[layout.lastName] ?? "").trim();
  const fingerprint = fingerprintOf(landed.cells, layoutNow, args.region);
  return keepsOne && sameNames && rowsWithFingerprint(snapshot, fingerprint, args.region).length === 0;
}

function parseIdentity(fingerprint: string): { phone: string; email: string } | null {
  const match = /^id:([^|]*)\|(.*)$/.exec(fingerprint);
  return match ? { phone: match[1] ?? "", email: match[2] ?? "" } : null;
}

function onlyRow(rows: readonly number[]): number | null {
  return rows.length === 1 ? (rows[0] as number) : null;
}

function layoutOf(header: readonly string[], headers: SheetHeaders): SheetLayout | null {
  const layout = resolveSheetLayout(header, headers);
  return layout.ok ? layout.value : null;
}

const PENDING_KEY = "sheet.misplaced";

/** Misplaced cells a run could not put back, for the next run to put back before it reads anything into them. */
export async function loadPendingMisplacements(ctx: SyncContext): Promise<Misplacement[]> {
  const text = await getMeta(ctx.db, PENDING_KEY);
  if (!text) return [];
  try {
    return JSON.parse(text) as Misplacement[];
  } catch {
    return [];
  }
}

export async function savePendingMisplacements(
  ctx: SyncContext,
  pending: readonly Misplacement[],
): Promise<void> {
  if (pending.length === 0 && (await getMeta(ctx.db, PENDING_KEY)) === null) return;
  await setMeta(ctx.db, PENDING_KEY, JSON.stringify(pending));
}

/** How a misplacement reads in a warning or error: `row 5, column "Company" shows "10:00 04/12/2026"`. */
export function describeMisplacement(misplacement: Misplacement): string {
  return misplacement.cells
    .map((cell) => {
      const column = cell.header ? `"${cell.header}"` : `number ${cell.column + 1}`;
      const was = cell.restoreTo === null ? "calsync never read what it held" : `it held "${cell.restoreTo}"`;
      return `row ${misplacement.row}, column ${column} shows "${cell.wrote}" (${was})`;
    })
    .join("; ");
}
