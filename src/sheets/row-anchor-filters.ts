/**
 * How calsync's row anchors look in the Sheets API: developer metadata with a two-letter key and a short
 * tag as its value, on one row, visible to the whole document (so any credentials calsync is later given
 * can still find and remove them).
 *
 * Google allows 30,000 characters of metadata keys and values per sheet, so an anchor is kept to
 * `cs` + a 4-character tag: 6 characters.
 * https://developers.google.com/workspace/sheets/api/guides/metadata
 */
import type { sheets_v4 } from "@googleapis/sheets";
import type { AnchorTarget } from "../sync/context.ts";

export const ANCHOR_KEY = "cs";

export function anchorCharacters(tag: string): number {
  return ANCHOR_KEY.length + tag.length;
}

/** The request creating an anchor tagged `tag` on the 0-based row `rowIndex`. */
export function createAnchorRequest(
  sheetId: number,
  rowIndex: number,
  tag: string,
): sheets_v4.Schema$Request {
  return {
    createDeveloperMetadata: {
      developerMetadata: {
        metadataKey: ANCHOR_KEY,
        metadataValue: tag,
        visibility: "DOCUMENT",
        location: {
          dimensionRange: { sheetId, dimension: "ROWS", startIndex: rowIndex, endIndex: rowIndex + 1 },
        },
      },
    },
  };
}

export function deleteAnchorRequest(anchorId: number): sheets_v4.Schema$Request {
  return { deleteDeveloperMetadata: { dataFilter: { developerMetadataLookup: { metadataId: anchorId } } } };
}

/**
 * The data filter a write goes through. An anchor id selects its row wherever it has moved; a tag and row
 * select that row only while an anchor with that tag sits exactly on it, so a write never follows an anchor
 * that a sort has left under another lead.
 */
export function anchorFilter(sheetId: number, target: AnchorTarget): sheets_v4.Schema$DataFilter {
  if ("anchorId" in target) return { developerMetadataLookup: { metadataId: target.anchorId } };
  return {
    developerMetadataLookup: {
      metadataKey: ANCHOR_KEY,
      metadataValue: target.tag,
      metadataLocation: {
        dimensionRange: { sheetId, dimension: "ROWS", startIndex: target.row - 1, endIndex: target.row },
      },
      locationMatchingStrategy: "EXACT_LOCATION",
    },
  };
}

/** Every row anchor calsync has put anywhere in the spreadsheet. */
export const ALL_ANCHORS: sheets_v4.Schema$DataFilter = {
  developerMetadataLookup: { metadataKey: ANCHOR_KEY, locationType: "ROW" },
};

/** Which of our filters an answer's echoed filter is: the anchor id, or the tag and row it named. */
export function targetKey(filter: sheets_v4.Schema$DataFilter | undefined): string | null {
  const lookup = filter?.developerMetadataLookup;
  if (!lookup) return null;
  if (typeof lookup.metadataId === "number") return `id:${lookup.metadataId}`;
  const start = lookup.metadataLocation?.dimensionRange?.startIndex ?? 0;
  return `tag:${lookup.metadataValue ?? ""}@${start + 1}`;
}

export function keyOfTarget(target: AnchorTarget): string {
  return "anchorId" in target ? `id:${target.anchorId}` : `tag:${target.tag}@${target.row}`;
}
