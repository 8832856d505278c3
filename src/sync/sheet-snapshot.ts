import type { CountryCode } from "libphonenumber-js";
import { normalizeEmail } from "../core/email.ts";
import { normalizePhone } from "../core/phone.ts";
import { headerKey, type SheetLayout } from "../core/sheet-layout.ts";

/** The lead sheet as one read saw it, and which of its cells that read actually saw. */
export type SheetSnapshot = {
  sheetTitle: string;
  grid: readonly (readonly string[])[];
  layout: SheetLayout;
  /** Rows (1-based) every cell of which was read: all of them after a whole read. */
  fullRows: ReadonlySet<number> | "all";
};

/** The columns a read by columns covers (the sync's own), in a stable order. */
export function columnsOf(layout: SheetLayout): number[] {
  const columns = [
    layout.status,
    layout.booking,
    layout.phone,
    layout.email,
    layout.firstName,
    layout.lastName,
  ];
  if (layout.note !== null) columns.push(layout.note);
  return columns;
}

/** What a cell held when it was read, or null when the read did not cover it. */
export function knownCell(snapshot: SheetSnapshot, row: number, column: number): string | null {
  const known =
    snapshot.fullRows === "all" || snapshot.fullRows.has(row) || columnsOf(snapshot.layout).includes(column);
  return known ? (snapshot.grid[row - 1]?.[column] ?? "") : null;
}

/**
 * Who a row is, without its owned cells: its normalized phone and email, or, for a row with neither, its
 * names. Used to recognise a row after it moved, and to check that a write landed on the row it meant.
 */
export function fingerprintOf(
  cells: readonly (string | undefined)[],
  layout: SheetLayout,
  region: CountryCode,
): string {
  const phone = normalizePhone(cells[layout.phone] ?? "", region);
  const email = normalizeEmail(cells[layout.email] ?? "");
  if (phone || email) return identityFingerprint({ phone, email });
  return `names:${(cells[layout.firstName] ?? "").trim()}|${(cells[layout.lastName] ?? "").trim()}`;
}

/** The fingerprint of a lead known by its identity cells, as the plan carries them. */
export function identityFingerprint(identity: { phone: string | null; email: string | null }): string {
  return `id:${identity.phone ?? ""}|${identity.email ?? ""}`;
}

/** Rows (1-based, from row 2) with that fingerprint. */
export function rowsWithFingerprint(
  snapshot: SheetSnapshot,
  fingerprint: string,
  region: CountryCode,
): number[] {
  const rows: number[] = [];
  for (let index = 1; index < snapshot.grid.length; index++) {
    const cells = snapshot.grid[index] ?? [];
    if (cells.every((value) => (value ?? "").trim() === "")) continue;
    if (fingerprintOf(cells, snapshot.layout, region) === fingerprint) rows.push(index + 1);
  }
  return rows;
}

/** Where a header sits in row 1, compared as layouts compare headers; null when absent or repeated. */
export function columnOfHeader(header: readonly string[], name: string): number | null {
  const key = headerKey(name);
  const found = header.flatMap((cell, index) => (headerKey(cell) === key ? [index] : []));
  return found.length === 1 ? (found[0] as number) : null;
}

/** Two header rows name the same columns in the same places. */
export function sameHeader(a: readonly string[], b: readonly string[]): boolean {
  const width = Math.max(a.length, b.length);
  for (let i = 0; i < width; i++) if (headerKey(a[i] ?? "") !== headerKey(b[i] ?? "")) return false;
  return true;
}

/** The snapshot with the whole rows a batch showed (rows it anchored on their lead): what they held then. */
export function withRowsSeen(
  snapshot: SheetSnapshot,
  rows: ReadonlyMap<number, readonly string[]>,
): SheetSnapshot {
  if (snapshot.fullRows === "all" || rows.size === 0) return snapshot;
  const grid = [...snapshot.grid];
  const fullRows = new Set(snapshot.fullRows);
  for (const [row, cells] of rows) {
    grid[row - 1] = [...cells];
    fullRows.add(row);
  }
  return { ...snapshot, grid, fullRows };
}
