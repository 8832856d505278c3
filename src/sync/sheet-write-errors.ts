import { CalsyncError } from "../errors.ts";

/** Not one anchor fits in the tab's developer metadata: calsync does not write rows it cannot anchor. */
export class MetadataFullError extends CalsyncError {
  readonly code = "CONFLICT";
  constructor(rows: number) {
    super(
      `The lead tab's developer metadata is full (Google allows 30,000 characters per sheet, and other tools use it), so calsync cannot anchor rows to write them safely; ${rows} row(s) wait. Remove developer metadata other tools left on the sheet, and the next run writes them.`,
    );
    this.name = "MetadataFullError";
  }
}

/** Cells calsync wrote where they do not belong and could not put back: the run fails, naming them. */
export class MisplacedCellsError extends CalsyncError {
  readonly code = "CONFLICT";
  constructor(cells: readonly string[], newRows: readonly string[]) {
    const parts = [
      cells.length > 0 ? `cells calsync wrote where they do not belong: ${cells.join("; ")}` : "",
      newRows.length > 0
        ? `${newRows.length} new row(s) added while columns moved are not yet put right`
        : "",
    ].filter(Boolean);
    super(
      `The sheet kept changing while calsync wrote to it, and it could not put everything back (${parts.join("; ")}). The next run puts back what it can first; please check those rows.`,
    );
    this.name = "MisplacedCellsError";
  }
}
