import { loadAnchorRegistry, saveAnchorRegistry } from "./anchor-registry.ts";
import { anchorRows, tabOf } from "./anchor-rows.ts";
import type { SyncContext } from "./context.ts";
import { identityFingerprint, type SheetSnapshot } from "./sheet-snapshot.ts";

/**
 * Adds new leads' rows below the last row of `sheet` (one atomic batch: fresh rows, filled from column A,
 * each anchored so the booking sync writes them with no extra call) and answers the rows they went to.
 */
export async function addLeadRows(
  ctx: SyncContext,
  sheet: SheetSnapshot,
  rows: readonly { identity: { phone: string | null; email: string | null }; cells: string[] }[],
): Promise<number[]> {
  const registry = await loadAnchorRegistry(ctx, sheet.sheetTitle);
  try {
    const step = await anchorRows({
      ctx,
      registry,
      tab: await tabOf(ctx, registry, sheet.sheetTitle),
      snapshot: sheet,
      needs: [],
      keep: new Set(),
      newRows: rows.map((row) => ({ key: identityFingerprint(row.identity), cells: row.cells })),
      now: ctx.clock().getTime(),
    });
    return step.inserted.map((inserted) => inserted.row);
  } finally {
    await saveAnchorRegistry(ctx, registry);
  }
}
