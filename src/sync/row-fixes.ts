import type { CountryCode } from "libphonenumber-js";
import { headerKey, type SheetLayout } from "../core/sheet-layout.ts";
import type { Misplacement } from "./misplaced-cells.ts";
import { fingerprintOf, sameHeader } from "./sheet-snapshot.ts";

/**
 * A new lead's row that was added while the columns moved: its values went in by the old column order.
 * The fix rewrites only the cells that differ from the lead's values in the columns as they are now; the
 * cells it leaves alone must still read as before, which is how the row is known to be the same one.
 */
export type RowFix = {
  leadKey: string;
  /** The lead's name, for what is reported. */
  name: string;
  anchorId: number;
  /** The lead's values by column header. */
  values: Map<string, string>;
  /** The row's cells as last seen (after the batch that added it, or after an earlier fix). */
  seen: string[];
};

export function fixCells(
  fix: RowFix,
  header: readonly string[],
): { write: Map<number, string>; keep: Map<number, string> } {
  const width = Math.max(header.length, fix.seen.length);
  const write = new Map<number, string>();
  const keep = new Map<number, string>();
  for (let column = 0; column < width; column++) {
    const name = header[column] ?? "";
    const wanted = name === "" ? "" : (fix.values.get(headerKey(name)) ?? "");
    const seen = fix.seen[column] ?? "";
    if (wanted === seen) keep.set(column, seen);
    else write.set(column, wanted);
  }
  return { write, keep };
}

export function valuesByHeader(header: readonly string[], values: readonly string[]): Map<string, string> {
  const byHeader = new Map<string, string>();
  values.forEach((value, column) => {
    const name = headerKey(header[column] ?? "");
    if (name !== "" && value !== "") byHeader.set(name, value);
  });
  return byHeader;
}

/**
 * What a fix's write did: it is done when the cells it left alone read as they did (so it was the new row)
 * under the columns it was made for; under other columns it is made again (`again`); when the cells it left
 * alone read otherwise, a sort had moved another row's values onto the new row's anchor, and what the fix
 * wrote there is misplaced, with nothing known to put back.
 */
export function judgeFix(args: {
  fix: RowFix;
  wrote: ReadonlyMap<number, string>;
  keep: ReadonlyMap<number, string>;
  landed: { row: number; cells: string[] } | null;
  headerNow: readonly string[];
  header: readonly string[];
  layout: SheetLayout;
  region: CountryCode;
}): { verdict: "done" | "again" | "gone" } | { verdict: "elsewhere"; misplaced: Misplacement } {
  const { landed } = args;
  if (!landed) return { verdict: "gone" };
  const ours = [...args.keep].every(([column, value]) => (landed.cells[column] ?? "") === value);
  if (!ours) {
    const cells = [...args.wrote].map(([column, wrote]) => ({
      header: args.headerNow[column] ?? "",
      column,
      wrote,
      restoreTo: null,
    }));
    const fingerprint = fingerprintOf(landed.cells, args.layout, args.region);
    return { verdict: "elsewhere", misplaced: { fingerprint, row: landed.row, cells } };
  }
  args.fix.seen = landed.cells;
  return { verdict: sameHeader(args.headerNow, args.header) ? "done" : "again" };
}
