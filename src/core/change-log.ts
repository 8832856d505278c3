import type { CountryCode } from "libphonenumber-js";
import { normalizeEmail } from "./email.ts";
import { normalizePhone } from "./phone.ts";
import type { SheetLayout } from "./sheet-layout.ts";
import { leadName, type SheetGrid, type SheetLead } from "./sheet-leads.ts";

/**
 * The change log: every cell calsync writes, every Cal.com action it takes and every Sanity document it
 * writes, each with the run, the lead, the value before and after, and why. Pure: the records are made from
 * what a run already knows (the sheet as first read gives "before", the write's answer gives "after").
 */

/**
 * What told calsync to make the change: Cal.com read by a run (`poll`), a webhook delivery, a person's edit
 * in the sheet, a dashboard action, a sheet edit put back, an undo, the repair of a write that landed on a
 * moved row, or the sheet copy.
 */
export type ChangeSource =
  | "poll"
  | "webhook"
  | "sheet-edit"
  | "dashboard"
  | "put-back"
  | "undo"
  | "repair"
  | "sheet-copy";

/** calsync owns the status, booking and note cells; it writes the others only on a row it appends. */
export type OwnedField = "status" | "booking" | "note";
export type CellField = OwnedField | "firstName" | "lastName" | "phone" | "email" | "other";

export type Identity = { phone: string | null; email: string | null };

/** Why a change was made: what told calsync, and (when a booking is behind it) which booking. */
export type Cause = {
  source: ChangeSource;
  /** The webhook delivery id(s), the undone run's id, …: whatever names the source precisely. */
  sourceRef: string | null;
  bookingUid: string | null;
  /** One sentence a person reads. */
  reason: string;
};

export type CellChange = Cause & {
  kind: "cell";
  row: number;
  field: CellField;
  /** The column's header text in row 1. */
  column: string;
  /** What the cell held before (null: calsync cannot tell, e.g. a row it hit by accident). */
  before: string | null;
  after: string;
  leadKey: string | null;
  leadName: string;
  /** Who the row was when written: an undo writes only where the row is still this lead. */
  identity: Identity;
  /** What the change was: booked, cancelled, put back, restored… */
  action: string;
  /** The row was appended by this run: calsync never deletes rows, so an undo leaves it. */
  appended?: boolean;
};

export type CalcomAction = "cancel" | "reschedule" | "book";

export type CalcomActionChange = Omit<Cause, "bookingUid"> & {
  kind: "calcom";
  action: CalcomAction;
  bookingUid: string;
  /** A reschedule's new booking; the booking a book created is `bookingUid`. */
  newBookingUid: string | null;
  /** The call's time after the action (reschedule, book), as the sheet shows times. */
  to: string | null;
  row: number | null;
  leadKey: string | null;
  leadName: string;
};

export type DocumentChange = Cause & {
  kind: "document";
  action: "publish" | "retire" | "copy" | "archive";
  documentId: string;
  row: number | null;
  leadKey: string | null;
  leadName: string;
  /** What the document says now, in short (status, call). */
  after: string | null;
};

export type Change = CellChange | CalcomActionChange | DocumentChange;

/** A change as the log keeps it. */
export type Recorded<T extends Change = Change> = T & { id: number; runId: number; at: string };

export const identityKey = (identity: Identity): string => `${identity.phone ?? ""}|${identity.email ?? ""}`;

export const sameIdentity = (a: Identity, b: Identity): boolean => a.phone === b.phone && a.email === b.email;

/** The field a column holds, by the layout. */
export function fieldOfColumn(layout: SheetLayout, column: number): CellField {
  if (column === layout.status) return "status";
  if (column === layout.booking) return "booking";
  if (layout.note !== null && column === layout.note) return "note";
  if (column === layout.firstName) return "firstName";
  if (column === layout.lastName) return "lastName";
  if (column === layout.phone) return "phone";
  if (column === layout.email) return "email";
  return "other";
}

export function columnOfField(layout: SheetLayout, field: OwnedField): number | null {
  return field === "note" ? layout.note : layout[field];
}

/** A write and what the row held right after it (the LeadSheet port's WriteCheck, structurally). */
export type WrittenRow = {
  write: {
    row: number;
    identity: Identity;
    status?: string | undefined;
    booking?: string | undefined;
    note?: string | undefined;
  };
  landed: boolean;
  rowCells: readonly string[];
};

/** Why a landed cell was written, as the run explains it; null leaves the cell out of the log. */
export type CellExplanation = Cause & { action: string; leadKey: string | null; leadName?: string };

/**
 * Turns the answers of a run's writes into cell changes, one per cell written. "Before" is what the sheet
 * held when the run read it, or what this run last wrote to the same lead's cell; "after" is what the write's
 * answer shows landed. A write whose row turned out to hold someone else (rows moved) is logged against the
 * lead it hit, as a repair. A cell that already held the value written is no change and is left out. Keeps
 * what it has seen across calls, so call it with every write of one run.
 */
export function createCellRecorder(args: {
  /** The sheet as the run read it (its first read). */
  read: { grid: SheetGrid; leads: readonly SheetLead[] };
  layout: SheetLayout;
  region: CountryCode;
  explain: (write: WrittenRow["write"], field: OwnedField, value: string) => CellExplanation;
}): (written: readonly WrittenRow[]) => CellChange[] {
  const { layout, read } = args;
  // Built on the first write: a run with nothing to write (most re-runs) never indexes its 100,000 leads.
  let indexed: Map<string, SheetLead> | null = null;
  const leadWith = (identity: Identity): SheetLead | undefined => {
    if (!indexed) {
      indexed = new Map();
      for (const lead of read.leads) indexed.set(identityKey(lead), lead);
    }
    return indexed.get(identityKey(identity));
  };
  const header = read.grid[0] ?? [];
  const lastWritten = new Map<string, string>();

  const beforeOf = (identity: Identity, field: OwnedField, fallbackRow: number | null): string | null => {
    const known = lastWritten.get(`${identityKey(identity)}|${field}`);
    if (known !== undefined) return known;
    const column = columnOfField(layout, field);
    if (column === null) return null;
    const lead = leadWith(identity);
    const row = lead?.row ?? fallbackRow;
    if (row === null) return null;
    return String(read.grid[row - 1]?.[column] ?? "");
  };

  return (written) => {
    const changes: CellChange[] = [];
    for (const { write, landed, rowCells } of written) {
      const hit: Identity = landed
        ? write.identity
        : {
            phone: normalizePhone(rowCells[layout.phone] ?? "", args.region),
            email: normalizeEmail(rowCells[layout.email] ?? ""),
          };
      const hitLead = leadWith(hit);
      const intended = leadWith(write.identity);
      for (const field of ["status", "booking", "note"] as const) {
        const value = write[field];
        const column = columnOfField(layout, field);
        if (value === undefined || column === null) continue;
        const after = rowCells[column] ?? value;
        let before: string | null;
        let explained: CellExplanation;
        if (landed) {
          before = beforeOf(hit, field, null);
          explained = args.explain(write, field, value);
        } else {
          const blank = hit.phone === null && hit.email === null;
          before = blank ? "" : hitLead ? beforeOf(hit, field, null) : null;
          explained = {
            source: "repair",
            sourceRef: null,
            bookingUid: null,
            action: "misplaced",
            leadKey: null,
            reason: `meant for ${intended ? leadName(intended) || `row ${write.row}` : `row ${write.row}`}, but rows moved while calsync wrote and it landed on ${hitLead ? leadName(hitLead) || "another lead" : "a row calsync did not expect"}; calsync puts such cells back when it can tell what they held`,
          };
        }
        lastWritten.set(`${identityKey(hit)}|${field}`, after);
        // The cell already held it: written, but nothing changed.
        if (before === after) continue;
        changes.push({
          kind: "cell",
          row: write.row,
          field,
          column: String(header[column] ?? ""),
          before,
          after,
          identity: hit,
          leadKey: explained.leadKey,
          leadName: explained.leadName ?? (hitLead ? leadName(hitLead) : ""),
          action: explained.action,
          source: explained.source,
          sourceRef: explained.sourceRef,
          bookingUid: explained.bookingUid,
          reason: explained.reason,
        });
      }
    }
    return changes;
  };
}

/** The cells of a row calsync appended: every cell it filled, each from "" (the row did not exist). */
export function appendedRowChanges(args: {
  row: number;
  values: readonly string[];
  header: readonly string[];
  layout: SheetLayout;
  identity: Identity;
  leadKey: string;
  leadName: string;
  cause: Cause & { action: string };
}): CellChange[] {
  const changes: CellChange[] = [];
  args.values.forEach((value, column) => {
    if (value === "") return;
    changes.push({
      kind: "cell",
      row: args.row,
      field: fieldOfColumn(args.layout, column),
      column: String(args.header[column] ?? ""),
      before: "",
      after: value,
      identity: args.identity,
      leadKey: args.leadKey,
      leadName: args.leadName,
      action: args.cause.action,
      source: args.cause.source,
      sourceRef: args.cause.sourceRef,
      bookingUid: args.cause.bookingUid,
      reason: args.cause.reason,
      appended: true,
    });
  });
  return changes;
}

/** What told calsync, in words, for the start of a reason. */
export function sourceText(source: ChangeSource, sourceRef: string | null, trigger?: string): string {
  switch (source) {
    case "poll":
      return trigger ? `Cal.com, read by the ${trigger} sync` : "Cal.com, read by a sync";
    case "webhook":
      return sourceRef
        ? `Cal.com webhook delivery #${sourceRef.split(",").join(", #")}`
        : "a Cal.com webhook";
    case "sheet-edit":
      return "an edit in the sheet";
    case "dashboard":
      return "a dashboard action";
    case "put-back":
      return "a sheet edit put back";
    case "undo":
      return sourceRef ? `the undo of run ${sourceRef}` : "an undo";
    case "repair":
      return "the repair of a moved row";
    case "sheet-copy":
      return "the sheet copy";
  }
}

/** `Mark Greenall, 07700…`: who a change is about, for lists. */
export function whoText(change: { leadName: string; leadKey: string | null }): string {
  return change.leadName || change.leadKey?.replace(/^(tel|mailto):/, "") || "(no lead)";
}
