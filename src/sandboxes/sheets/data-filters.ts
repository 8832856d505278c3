/**
 * DataFilter: a range named by A1 text, by grid indices or by the developer metadata anchored to it.
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/DataFilter
 */
import { invalidArgument } from "./api-errors.ts";
import { matchesLookup, metadataTarget, placement } from "./developer-metadata.ts";
import { closeRect, type RangeTarget, resolveRange } from "./ranges.ts";
import type { DataFilter, GridRangeInput, MetadataLookup } from "./request-schemas.ts";
import { type MetadataRecord, type Spreadsheet, sheetById } from "./spreadsheet-model.ts";

/**
 * The ranges a filter selects. A metadata lookup selects the cells of every entry it matches (whole rows
 * for row metadata), so it may select none, one or several ranges.
 */
export function filterTargets(spreadsheet: Spreadsheet, filter: DataFilter): RangeTarget[] {
  const kind = filterKind(filter);
  if (kind === "a1Range") return [resolveRange(spreadsheet, filter.a1Range ?? "")];
  if (kind === "gridRange") return [gridTarget(spreadsheet, filter.gridRange ?? {})];
  const lookup = checkedLookup(filter.developerMetadataLookup ?? {});
  return spreadsheet.metadata
    .filter((record) => matchesLookup(spreadsheet, record, lookup))
    .map((record) => metadataTarget(spreadsheet, record))
    .filter((target): target is RangeTarget => target !== null);
}

/** The entries a filter selects: by lookup, or those whose rows, columns or sheet meet the range. */
export function filterMetadata(spreadsheet: Spreadsheet, filter: DataFilter): MetadataRecord[] {
  if (filterKind(filter) === "developerMetadataLookup") {
    const lookup = checkedLookup(filter.developerMetadataLookup ?? {});
    return spreadsheet.metadata.filter((record) => matchesLookup(spreadsheet, record, lookup));
  }
  const [target] = filterTargets(spreadsheet, filter);
  if (!target) return [];
  const rect = closeRect(target.sheet, target.rect);
  return spreadsheet.metadata.filter((record) => {
    const where = placement(spreadsheet, record.anchor);
    if (!where || where.kind === "spreadsheet" || where.sheet !== target.sheet) return false;
    if (where.kind === "sheet") return true;
    const [start, end] =
      where.kind === "rows" ? [rect.startRow, rect.endRow] : [rect.startColumn, rect.endColumn];
    return where.startIndex < end && start < where.endIndex;
  });
}

/** "If this field [locationMatchingStrategy] is specified, a metadataLocation must also be specified." */
function checkedLookup(lookup: MetadataLookup): MetadataLookup {
  if (lookup.locationMatchingStrategy !== undefined && lookup.metadataLocation === undefined) {
    throw invalidArgument("locationMatchingStrategy requires metadataLocation to be specified");
  }
  return lookup;
}

function filterKind(filter: DataFilter): "a1Range" | "gridRange" | "developerMetadataLookup" {
  const kinds = (["a1Range", "gridRange", "developerMetadataLookup"] as const).filter(
    (kind) => filter[kind] !== undefined,
  );
  const [kind] = kinds;
  if (kinds.length !== 1 || !kind) {
    throw invalidArgument(
      "A data filter must set exactly one of developerMetadataLookup, a1Range or gridRange",
    );
  }
  return kind;
}

function gridTarget(spreadsheet: Spreadsheet, range: GridRangeInput): RangeTarget {
  const sheet = sheetById(spreadsheet, range.sheetId ?? 0);
  if (!sheet) throw invalidArgument(`No grid with id: ${range.sheetId ?? 0}`);
  return {
    sheet,
    rect: {
      startRow: range.startRowIndex ?? 0,
      endRow: range.endRowIndex ?? null,
      startColumn: range.startColumnIndex ?? 0,
      endColumn: range.endColumnIndex ?? null,
    },
  };
}
