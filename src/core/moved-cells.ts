import type { LeadLedgerEntry } from "./plan-booking-sync.ts";
import type { SheetLead } from "./sheet-leads.ts";

/**
 * Cells that moved are not edits. A sort of only some columns (the person data without the booking column,
 * or the booking column alone) or a paste one row off leaves calsync's status or booking cells beside other
 * people: each such row differs from what calsync wrote there, as an edit would, and acting on it would send
 * a reschedule or cancellation to the wrong customer.
 *
 * The rows whose cell differs from what calsync last wrote for that lead are looked at together:
 * - one row alone: a person's edit;
 * - booking times: when every time calsync wrote for those leads now stands in another row, the cells
 *   travelled (a sort or a shifted paste): calsync puts its own cells back in line;
 * - statuses (few words, repeated everywhere): when the rows hold exactly the words calsync wrote for them,
 *   only swapped, they moved and are put back;
 * - otherwise, when some of them hold what calsync wrote for another of them, calsync cannot tell a move
 *   from edits: none of these rows acts on Cal.com until a person confirms.
 */
export type MovedCells = {
  /** Lead keys whose cell in this column moved: put back from what calsync last wrote. */
  moved: Set<string>;
  /** Lead keys whose change may be a move or an edit: no Cal.com action without a person's confirmation. */
  doubtful: Set<string>;
  /** Rows calsync never wrote that a moved cell of calsync's landed on: cleared again. */
  strays: SheetLead[];
};

export type CellColumn = "status" | "booking";

const NONE = (): MovedCells => ({ moved: new Set(), doubtful: new Set(), strays: [] });

export function findMovedCells(
  leads: readonly SheetLead[],
  ledger: ReadonlyMap<string, LeadLedgerEntry>,
  column: CellColumn,
): MovedCells {
  const cellOf = (lead: SheetLead) => normalized(column === "status" ? lead.status : lead.bookingText);
  const differing: { key: string; now: string; written: string }[] = [];
  for (const lead of leads) {
    const entry = lead.key ? ledger.get(lead.key) : undefined;
    if (!lead.key || !entry) continue;
    const written = normalized((column === "status" ? entry.statusWritten : entry.bookingWritten) ?? "");
    const now = cellOf(lead);
    if (now !== written) differing.push({ key: lead.key, now, written });
  }
  if (differing.length < 2) return NONE();
  const keys = new Set(differing.map((cell) => cell.key));
  const writtenValues = counts(differing.map((cell) => cell.written));

  if (column === "booking") {
    // Where each time calsync wrote stands now, in any row of the sheet.
    const rowsWith = counts(leads.map(cellOf));
    const travelled = differing.filter(
      (cell) => cell.written !== "" && (rowsWith.get(cell.written) ?? 0) > 0,
    );
    const owned = differing.filter((cell) => cell.written !== "");
    if (owned.length >= 1 && travelled.length === owned.length) {
      const ours = new Set(owned.map((cell) => cell.written));
      const strays = leads.filter((lead) => lead.key && !ledger.has(lead.key) && ours.has(cellOf(lead)));
      return { moved: keys, doubtful: new Set(), strays };
    }
    return travelled.length > 0 ? { moved: new Set(), doubtful: keys, strays: [] } : NONE();
  }

  const nowValues = counts(differing.map((cell) => cell.now));
  const permutation =
    nowValues.size === writtenValues.size &&
    [...nowValues].every(([value, count]) => writtenValues.get(value) === count);
  if (permutation) return { moved: keys, doubtful: new Set(), strays: [] };
  const crossed = differing.some((cell) => cell.now !== "" && writtenValues.has(cell.now));
  return crossed ? { moved: new Set(), doubtful: keys, strays: [] } : NONE();
}

function normalized(text: string): string {
  return text.trim().toUpperCase();
}

function counts(values: readonly string[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const value of values) map.set(value, (map.get(value) ?? 0) + 1);
  return map;
}
