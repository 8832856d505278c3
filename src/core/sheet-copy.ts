import type { CountryCode } from "libphonenumber-js";
import { contentHash, leadDocumentId } from "./lead-identity.ts";
import { columnLetter, type SheetLayout } from "./sheet-layout.ts";
import { readSheetLeads, type SheetGrid } from "./sheet-leads.ts";

/**
 * The sheet side of a `dbrLead` document: the fields the sheet copy owns. The booking sync owns
 * `callBooked`, `callBookedAt` and `bookings`; the copy never sends them, so neither job overwrites the
 * other's fields. Names, phones and statuses are written by both, from the same sheet, in the same form.
 */
export type LeadSheetFields = {
  firstName: string;
  lastName: string;
  phone: string | null;
  email: string | null;
  contactStatus: string;
  sheetRow: number | null;
  archived: boolean;
  sheetFields: { _key: string; header: string; value: string }[];
};

export type SheetCopyDocument = { id: string; leadKey: string; hash: string; fields: LeadSheetFields };

/** What the copy last wrote for a document, as the database remembers it. */
export type SheetCopyState = { id: string; leadKey: string | null; hash: string | null; archived: boolean };

/**
 * A `dbrLead` document as Sanity holds it now (only what the plan needs). The status and row are the
 * fields the booking sync writes too: comparing them catches a document another writer left behind the sheet.
 */
export type LiveLeadDocument = {
  id: string;
  archived: boolean;
  contactStatus?: string | null | undefined;
  sheetRow?: number | null | undefined;
};

export type SheetCopyPlan = {
  /** Documents whose content changed since the last copy (or that Sanity lacks). */
  writes: SheetCopyDocument[];
  /** Documents whose row has left the sheet: marked archived, never deleted. */
  archives: string[];
  /** Documents whose row has left the sheet and that Sanity no longer has: only remembered as archived. */
  gone: string[];
  /** Leads already in Sanity as they are in the sheet. */
  unchanged: number;
};

/** The fields an archived document gets: it keeps its last known content for the dashboard's history. */
export const ARCHIVED_FIELDS = { archived: true, sheetRow: null } as const;

const OWN_DOCUMENT_ID = /^dbrLead-[0-9a-f]{24}$/;

/**
 * One document per lead row that has a key (a phone or email no other row shares; see readSheetLeads).
 * Rows without a key cannot be told apart from others across edits, so they get no document.
 */
export function sheetCopyDocuments(
  grid: SheetGrid,
  layout: SheetLayout,
  region: CountryCode,
): { documents: SheetCopyDocument[]; keylessRows: number[] } {
  const header = grid[0] ?? [];
  const documents: SheetCopyDocument[] = [];
  const keylessRows: number[] = [];
  const seen = new Set<string>();
  for (const lead of readSheetLeads(grid, layout, region)) {
    if (!lead.key || seen.has(lead.key)) {
      keylessRows.push(lead.row);
      continue;
    }
    seen.add(lead.key);
    const fields: LeadSheetFields = {
      firstName: lead.firstName,
      lastName: lead.lastName,
      phone: lead.phone,
      email: lead.email,
      contactStatus: lead.status,
      sheetRow: lead.row,
      archived: false,
      sheetFields: sheetFieldsOf(header, grid[lead.row - 1] ?? []),
    };
    documents.push({ id: leadDocumentId(lead.key), leadKey: lead.key, hash: contentHash(fields), fields });
  }
  return { documents, keylessRows };
}

/** Every column that has a header or a value, in sheet order; a column without a header is named by its letter. */
function sheetFieldsOf(header: readonly string[], cells: readonly string[]): LeadSheetFields["sheetFields"] {
  const fields: LeadSheetFields["sheetFields"] = [];
  const width = Math.max(header.length, cells.length);
  for (let index = 0; index < width; index++) {
    const title = String(header[index] ?? "").trim();
    const value = String(cells[index] ?? "");
    if (title === "" && value.trim() === "") continue;
    const letter = columnLetter(index);
    fields.push({ _key: `col-${letter}`, header: title || `Column ${letter}`, value });
  }
  return fields;
}

/**
 * Decides what the copy writes. A document is written when its content hash differs from the one last
 * written, when it was archived, when Sanity no longer has it (deleted in Studio, or a new dataset), or when
 * Sanity's status or row differ from the sheet's (e.g. a booking sync's late delivery of an older state; the
 * copy runs under the booking sync's lock, so the sheet it reads is never older than what Sanity holds).
 * A document is archived when the copy wrote it before, or Sanity holds it unarchived under calsync's id
 * scheme (the booking sync may have created it first), and no row of the sheet is its lead any more.
 * Pure: everything it looks at is an argument.
 */
export function planSheetCopy(input: {
  documents: readonly SheetCopyDocument[];
  state: ReadonlyMap<string, SheetCopyState>;
  /** Every `dbrLead` document Sanity holds now. */
  live: ReadonlyMap<string, LiveLeadDocument>;
}): SheetCopyPlan {
  const { state, live } = input;
  const plan: SheetCopyPlan = { writes: [], archives: [], gone: [], unchanged: 0 };
  const current = new Set<string>();
  for (const document of input.documents) {
    current.add(document.id);
    const known = state.get(document.id);
    const inSanity = live.get(document.id);
    const drifted =
      (inSanity?.contactStatus ?? null) !== document.fields.contactStatus ||
      (inSanity?.sheetRow ?? null) !== document.fields.sheetRow;
    if (
      !known ||
      known.archived ||
      known.hash !== document.hash ||
      !inSanity ||
      inSanity.archived ||
      drifted
    ) {
      plan.writes.push(document);
    } else {
      plan.unchanged++;
    }
  }
  const archives = new Set<string>();
  const gone = new Set<string>();
  for (const known of state.values()) {
    if (known.archived || current.has(known.id)) continue;
    // Archiving a document someone deleted would bring it back as an empty stub: just remember it is gone.
    if (!live.has(known.id)) gone.add(known.id);
    else archives.add(known.id);
  }
  for (const document of live.values()) {
    if (!document.archived && OWN_DOCUMENT_ID.test(document.id) && !current.has(document.id)) {
      archives.add(document.id);
    }
  }
  plan.archives = [...archives].sort();
  plan.gone = [...gone].sort();
  return plan;
}

/** Splits work into transactions of at most `size` leads each, in order. */
export function inBatches<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1)
    throw new Error(`batch size must be a positive integer, got ${size}`);
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}
