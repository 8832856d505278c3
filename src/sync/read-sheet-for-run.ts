import type { SyncContext } from "./context.ts";
import { loadPendingMisplacements, locateRepairs, withRepairs } from "./misplaced-cells.ts";
import { readLeadSheet } from "./read-lead-sheet.ts";
import type { SheetSnapshot } from "./sheet-snapshot.ts";

/**
 * The sheet a run starts from. When an earlier run left cells it wrote where they do not belong (it could
 * not put them back), the sheet is read whole and the run sees those cells as they will read once put back
 * (`view`): no misplaced value is ever taken for a person's edit, or planned on. `raw` is what the sheet
 * holds, for the writes to find and put back those cells first.
 */
export async function readSheetForRun(
  ctx: SyncContext,
): Promise<{ view: SheetSnapshot; raw: SheetSnapshot }> {
  const pending = await loadPendingMisplacements(ctx);
  const raw = await readLeadSheet(ctx, { whole: pending.length > 0 });
  if (pending.length === 0) return { view: raw, raw };
  const { repairs } = locateRepairs(pending, raw, ctx.rules.region);
  return { view: { ...raw, grid: withRepairs(raw.grid, repairs) }, raw };
}
