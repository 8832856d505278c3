/**
 * Developer metadata: where each entry sits now, matching lookups against it, and creating entries
 * within Google's limits.
 * https://developers.google.com/workspace/sheets/api/guides/metadata
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets.developerMetadata
 */
import { randomInt } from "node:crypto";
import type { sheets_v4 } from "@googleapis/sheets";
import type { GridRect } from "./a1-notation.ts";
import type { SheetsApiError } from "./api-errors.ts";
import type { RangeTarget } from "./ranges.ts";
import type { DeveloperMetadataInput, MetadataLocationInput, MetadataLookup } from "./request-schemas.ts";
import {
  type MetadataAnchor,
  type MetadataRecord,
  type Sheet,
  type Spreadsheet,
  sheetById,
  slotIndex,
} from "./spreadsheet-model.ts";

/**
 * Google caps the characters of metadata (keys plus values) held by the spreadsheet and by each sheet,
 * counting a sheet's row and column metadata towards the sheet.
 */
export const METADATA_CHARACTER_LIMIT = 30_000;

/** Where an entry sits now: rows are found through their slots, so the answer follows inserts and deletes. */
export type Placement =
  | { kind: "spreadsheet" }
  | { kind: "sheet"; sheet: Sheet }
  | { kind: "rows" | "columns"; sheet: Sheet; startIndex: number; endIndex: number };

export function placement(spreadsheet: Spreadsheet, anchor: MetadataAnchor): Placement | null {
  if (anchor.kind === "spreadsheet") return { kind: "spreadsheet" };
  const sheet = sheetById(spreadsheet, anchor.sheetId);
  if (!sheet) return null;
  if (anchor.kind === "sheet") return { kind: "sheet", sheet };
  if (anchor.kind === "columns")
    return { kind: "columns", sheet, startIndex: anchor.startIndex, endIndex: anchor.endIndex };
  const index = slotIndex(sheet);
  let startIndex = -1;
  let endIndex = -1;
  for (const id of anchor.rowIds) {
    const row = index.get(id);
    if (row === undefined) continue;
    if (startIndex === -1 || row < startIndex) startIndex = row;
    endIndex = Math.max(endIndex, row + 1);
  }
  return startIndex === -1 ? null : { kind: "rows", sheet, startIndex, endIndex };
}

export function locationJson(where: Placement): sheets_v4.Schema$DeveloperMetadataLocation {
  switch (where.kind) {
    case "spreadsheet":
      return { locationType: "SPREADSHEET", spreadsheet: true };
    case "sheet":
      return { locationType: "SHEET", sheetId: where.sheet.sheetId };
    case "rows":
    case "columns": {
      const dimensionRange = {
        sheetId: where.sheet.sheetId,
        dimension: where.kind === "rows" ? "ROWS" : "COLUMNS",
        startIndex: where.startIndex,
        endIndex: where.endIndex,
      };
      return { locationType: where.kind === "rows" ? "ROW" : "COLUMN", dimensionRange };
    }
  }
}

export function metadataJson(
  spreadsheet: Spreadsheet,
  record: MetadataRecord,
): sheets_v4.Schema$DeveloperMetadata {
  const where = placement(spreadsheet, record.anchor);
  return {
    metadataId: record.metadataId,
    metadataKey: record.metadataKey,
    ...(record.metadataValue !== undefined ? { metadataValue: record.metadataValue } : {}),
    ...(where ? { location: locationJson(where) } : {}),
    visibility: record.visibility,
  };
}

/** The cells an entry covers, for reading and writing values through a data filter. */
export function metadataTarget(spreadsheet: Spreadsheet, record: MetadataRecord): RangeTarget | null {
  const where = placement(spreadsheet, record.anchor);
  if (!where || where.kind === "spreadsheet") return null;
  const whole: GridRect = { startRow: 0, endRow: null, startColumn: 0, endColumn: null };
  if (where.kind === "sheet") return { sheet: where.sheet, rect: whole };
  const span = { start: where.startIndex, end: where.endIndex };
  return where.kind === "rows"
    ? { sheet: where.sheet, rect: { ...whole, startRow: span.start, endRow: span.end } }
    : { sheet: where.sheet, rect: { ...whole, startColumn: span.start, endColumn: span.end } };
}

export function matchesLookup(
  spreadsheet: Spreadsheet,
  record: MetadataRecord,
  lookup: MetadataLookup,
): boolean {
  if (lookup.metadataId !== undefined && lookup.metadataId !== record.metadataId) return false;
  if (lookup.metadataKey !== undefined && lookup.metadataKey !== record.metadataKey) return false;
  if (lookup.metadataValue !== undefined && lookup.metadataValue !== record.metadataValue) return false;
  if (lookup.visibility !== undefined && lookup.visibility !== record.visibility) return false;
  const where = placement(spreadsheet, record.anchor);
  if (!where) return false;
  if (lookup.locationType !== undefined && locationJson(where).locationType !== lookup.locationType)
    return false;
  if (lookup.metadataLocation === undefined) return true;
  const wanted = anchorOf(spreadsheet, lookup.metadataLocation);
  const wantedWhere = typeof wanted === "string" ? null : placement(spreadsheet, wanted);
  if (!wantedWhere) return false;
  // "If left unspecified, this field assumes a default value of INTERSECTING."
  return lookup.locationMatchingStrategy === "EXACT_LOCATION"
    ? sameLocation(where, wantedWhere)
    : intersects(where, wantedWhere);
}

function sameLocation(a: Placement, b: Placement): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "spreadsheet" || b.kind === "spreadsheet") return true;
  if (a.sheet !== b.sheet) return false;
  if (a.kind === "sheet" || b.kind === "sheet") return true;
  return a.startIndex === b.startIndex && a.endIndex === b.endIndex;
}

/**
 * A sheet intersects everything on it; a spreadsheet intersects everything; rows and columns of one sheet
 * always cross ("if row three were specified ... metadata associated on column B" matches too).
 */
function intersects(found: Placement, wanted: Placement): boolean {
  if (wanted.kind === "spreadsheet") return true;
  if (found.kind === "spreadsheet" || found.sheet !== wanted.sheet) return false;
  if (wanted.kind === "sheet" || found.kind === "sheet") return true;
  if (found.kind !== wanted.kind) return true;
  return found.startIndex < wanted.endIndex && wanted.startIndex < found.endIndex;
}

/** The anchor a location names, or the reason it names none. */
export function anchorOf(spreadsheet: Spreadsheet, location: MetadataLocationInput): MetadataAnchor | string {
  const given = [
    location.spreadsheet === true,
    location.sheetId !== undefined,
    location.dimensionRange !== undefined,
  ];
  if (given.filter(Boolean).length !== 1)
    return "Exactly one of spreadsheet, sheetId or dimensionRange must be set";
  if (location.spreadsheet) return { kind: "spreadsheet" };
  const sheetId = location.sheetId ?? location.dimensionRange?.sheetId ?? -1;
  const sheet = sheetById(spreadsheet, sheetId);
  if (!sheet) return `No grid with id: ${sheetId}`;
  const range = location.dimensionRange;
  if (!range) return { kind: "sheet", sheetId };
  const size = range.dimension === "ROWS" ? sheet.rows.length : sheet.columnCount;
  const startIndex = range.startIndex ?? 0;
  const endIndex = range.endIndex ?? size;
  if (startIndex < 0 || endIndex > size || startIndex >= endIndex) {
    return `Invalid dimensionRange: [${startIndex}, ${endIndex}) is outside the ${size} ${range.dimension.toLowerCase()} of the grid`;
  }
  return range.dimension === "ROWS"
    ? { kind: "rows", sheetId, rowIds: sheet.rows.slice(startIndex, endIndex).map((slot) => slot.id) }
    : { kind: "columns", sheetId, startIndex, endIndex };
}

/**
 * Creates an entry, or fails with `fail(reason)` (the caller words it as `Invalid requests[i]...`).
 * An id may be chosen by the caller; otherwise a random positive one is assigned, as Google does.
 */
export function createMetadata(
  spreadsheet: Spreadsheet,
  input: DeveloperMetadataInput,
  fail: (reason: string) => SheetsApiError,
): MetadataRecord {
  if (!input.metadataKey) throw fail("Developer metadata must have a metadataKey");
  if (!input.visibility) throw fail("Developer metadata must have a visibility");
  if (!input.location) throw fail("Developer metadata must have a location");
  const anchor = anchorOf(spreadsheet, input.location);
  if (typeof anchor === "string") throw fail(anchor);
  const tally = tallyOf(spreadsheet);
  if (input.metadataId !== undefined && (input.metadataId <= 0 || tally.ids.has(input.metadataId))) {
    throw fail(`Developer metadata ID ${input.metadataId} is invalid or already in use`);
  }
  let metadataId = input.metadataId ?? randomInt(1, 2 ** 31 - 1);
  while (tally.ids.has(metadataId)) metadataId = randomInt(1, 2 ** 31 - 1);
  const record: MetadataRecord = {
    metadataId,
    metadataKey: input.metadataKey,
    visibility: input.visibility,
    anchor,
    ...(input.metadataValue !== undefined ? { metadataValue: input.metadataValue } : {}),
  };
  const used = tally.used.get(scopeOf(record.anchor)) ?? 0;
  if (used + sizeOf(record) > METADATA_CHARACTER_LIMIT) throw fail(limitMessage(record, used));
  spreadsheet.metadata.push(record);
  tally.length++;
  tally.ids.add(metadataId);
  tally.used.set(scopeOf(record.anchor), used + sizeOf(record));
  return record;
}

/**
 * The ids in use and the characters used per sheet (null: the spreadsheet), kept with the metadata array
 * while entries are only added to it, so a batch creating thousands of entries is not quadratic. Removals
 * make a new array, and updates in place call forgetTally.
 */
type Tally = { length: number; ids: Set<number>; used: Map<number | null, number> };
const tallies = new WeakMap<MetadataRecord[], Tally>();

function tallyOf(spreadsheet: Spreadsheet): Tally {
  const records = spreadsheet.metadata;
  const cached = tallies.get(records);
  if (cached && cached.length === records.length) return cached;
  const tally: Tally = { length: records.length, ids: new Set(), used: new Map() };
  for (const record of records) {
    tally.ids.add(record.metadataId);
    const scope = scopeOf(record.anchor);
    tally.used.set(scope, (tally.used.get(scope) ?? 0) + sizeOf(record));
  }
  tallies.set(records, tally);
  return tally;
}

export function forgetTally(spreadsheet: Spreadsheet): void {
  tallies.delete(spreadsheet.metadata);
}

const scopeOf = (anchor: MetadataAnchor) => (anchor.kind === "spreadsheet" ? null : anchor.sheetId);
const sizeOf = (entry: MetadataRecord) => entry.metadataKey.length + (entry.metadataValue?.length ?? 0);

function limitMessage(record: MetadataRecord, used: number): string {
  const holder = record.anchor.kind === "spreadsheet" ? "spreadsheet" : "sheet";
  return `Developer metadata would exceed the limit of ${METADATA_CHARACTER_LIMIT} characters per ${holder} (${used} used, ${sizeOf(record)} requested)`;
}

/** Refuses an entry (already held, and changed in place) that now takes its sheet past the limit. */
export function assertWithinLimit(
  spreadsheet: Spreadsheet,
  record: MetadataRecord,
  fail: (reason: string) => SheetsApiError,
): void {
  forgetTally(spreadsheet);
  const used = spreadsheet.metadata
    .filter((entry) => entry !== record && scopeOf(entry.anchor) === scopeOf(record.anchor))
    .reduce((total, entry) => total + sizeOf(entry), 0);
  if (used + sizeOf(record) > METADATA_CHARACTER_LIMIT) throw fail(limitMessage(record, used));
}
