import {
  type CellChange,
  columnOfField,
  type Identity,
  identityKey,
  type OwnedField,
  type Recorded,
  sameIdentity,
} from "./change-log.ts";
import type { SheetLayout } from "./sheet-layout.ts";
import type { SheetGrid, SheetLead } from "./sheet-leads.ts";

/** A cell an undo puts back: on `row`, still `identity`'s, from `current` (what the run wrote) to `value`. */
export type UndoRestore = {
  row: number;
  field: OwnedField;
  column: string;
  value: string;
  current: string;
  identity: Identity;
  leadKey: string | null;
  leadName: string;
};

export type UndoSkip = { row: number; column: string; reason: string; leadName: string };

export type UndoDecision = { restore: UndoRestore[]; skipped: UndoSkip[] };

const OWNED = new Set<string>(["status", "booking", "note"]);

/**
 * Which cells an undo of a run restores, decided on the recorded changes and the sheet as read now. A cell
 * goes back to what it held before the run only when all of these hold: calsync owns it (status, booking,
 * note); the row is still the lead it was written for (same phone and email); the cell still holds what the
 * run wrote; and no later run wrote it. Every other cell is skipped with its reason. Several writes of one
 * cell in the run count as one change, from the first "before" to the last "after".
 */
export function planUndo(input: {
  /** The run's cell changes, in the order they were made. */
  changes: readonly Recorded<CellChange>[];
  /** Cell changes of later runs to the same leads (any order). */
  later: readonly Recorded<CellChange>[];
  grid: SheetGrid;
  layout: SheetLayout;
  leads: readonly SheetLead[];
}): UndoDecision {
  const decision: UndoDecision = { restore: [], skipped: [] };
  const groups = new Map<string, Recorded<CellChange>[]>();
  for (const change of input.changes) {
    const key = change.appended
      ? `appended|${change.row}|${change.column}`
      : `${identityKey(change.identity)}|${change.field}`;
    const group = groups.get(key);
    if (group) group.push(change);
    else groups.set(key, [change]);
  }
  // A later run counts when it left the cell changed: a misplaced write it put straight back does not.
  const laterRuns = new Map<string, Map<number, Recorded<CellChange>[]>>();
  for (const change of [...input.later].sort((a, b) => a.id - b.id)) {
    const key = `${identityKey(change.identity)}|${change.field}`;
    const runs = laterRuns.get(key) ?? new Map<number, Recorded<CellChange>[]>();
    laterRuns.set(key, runs);
    runs.set(change.runId, [...(runs.get(change.runId) ?? []), change]);
  }
  const laterWrite = (key: string): Recorded<CellChange> | undefined => {
    let newest: Recorded<CellChange> | undefined;
    for (const changes of laterRuns.get(key)?.values() ?? []) {
      const last = changes[changes.length - 1] as Recorded<CellChange>;
      if (changes[0]?.before === last.after) continue;
      if (!newest || last.id > newest.id) newest = last;
    }
    return newest;
  };
  const leadAt = new Map(input.leads.map((lead) => [lead.row, lead]));
  // The first lead of each identity, made when first asked: an undo of a large run finds each moved lead
  // with one look-up, not a search of every lead per cell.
  let firstByIdentity: Map<string, SheetLead> | null = null;
  const leadWith = (identity: Identity): SheetLead | undefined => {
    if (!firstByIdentity) {
      firstByIdentity = new Map();
      for (const lead of input.leads) {
        const key = identityKey(lead);
        if (!firstByIdentity.has(key)) firstByIdentity.set(key, lead);
      }
    }
    const found = firstByIdentity.get(identityKey(identity));
    // A key stands for one identity (phones and emails are null or non-empty): this only guards that.
    if (!found || sameIdentity(found, identity)) return found;
    return input.leads.find((candidate) => sameIdentity(candidate, identity));
  };

  for (const group of groups.values()) {
    const first = group[0] as Recorded<CellChange>;
    const last = group[group.length - 1] as Recorded<CellChange>;
    const skip = (reason: string) =>
      decision.skipped.push({ row: last.row, column: last.column, reason, leadName: last.leadName });
    if (last.appended) {
      skip(
        `row ${last.row} was added by this run; calsync never deletes rows: delete the row in the sheet if it should go`,
      );
      continue;
    }
    if (!OWNED.has(last.field)) {
      skip("not a cell calsync owns");
      continue;
    }
    const field = last.field as OwnedField;
    if (first.before === last.after) {
      skip("nothing to undo: the run left this cell as it found it");
      continue;
    }
    if (first.before === null) {
      skip("calsync cannot tell what this cell held before the run (it landed on a row that had moved)");
      continue;
    }
    if (last.identity.phone === null && last.identity.email === null) {
      skip("the row had no phone or email to check it against");
      continue;
    }
    const newer = laterWrite(`${identityKey(last.identity)}|${field}`);
    if (newer) {
      skip(`changed since: run ${newer.runId} wrote "${newer.after}" here`);
      continue;
    }
    const column = columnOfField(input.layout, field);
    if (column === null) {
      skip("the sheet no longer has this column");
      continue;
    }
    const lead = leadAt.get(last.row);
    if (!lead || !sameIdentity(lead, last.identity)) {
      const moved = leadWith(last.identity);
      if (moved) skip(`lead moved: ${last.leadName || "the lead"} is on row ${moved.row} now`);
      else if (
        lead &&
        ((lead.phone !== null && lead.phone === last.identity.phone) ||
          (lead.email !== null && lead.email === last.identity.email))
      )
        skip("the row's phone or email changed since, so calsync cannot be sure it is the same lead");
      else skip(`row gone: ${last.leadName || "the lead"} is no longer in the sheet`);
      continue;
    }
    const current = String(input.grid[last.row - 1]?.[column] ?? "");
    if (current !== last.after) {
      skip(`changed since: it holds "${current}" now, not "${last.after}"`);
      continue;
    }
    decision.restore.push({
      row: last.row,
      field,
      column: last.column,
      value: first.before,
      current,
      identity: last.identity,
      leadKey: last.leadKey,
      leadName: last.leadName,
    });
  }
  decision.restore.sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));
  decision.skipped.sort((a, b) => a.row - b.row || a.column.localeCompare(b.column));
  return decision;
}
