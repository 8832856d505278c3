import { describeMissingHeaders, resolveSheetLayout } from "../core/sheet-layout.ts";
import { getMeta, setMeta } from "../db/meta.ts";
import { SheetLayoutError, UpstreamError } from "../errors.ts";
import type { SyncContext } from "./context.ts";
import { columnsOf, type SheetSnapshot } from "./sheet-snapshot.ts";

const LAYOUT_KEY = "sheet.readLayout";
type CachedLayout = { sheetTitle: string; columns: number[] };

/**
 * Reads the lead sheet for a run: the first time whole, later only row 1, the columns the sync uses
 * (status, booking, phone, email, names, note) and the whole rows calsync's anchors sit on, which is what
 * keeps a 100,000-row sheet's read small. If the header row shows the columns moved, or the tab was renamed,
 * or `whole` is asked for, it reads the whole sheet.
 */
export async function readLeadSheet(
  ctx: SyncContext,
  options: { whole?: boolean } = {},
): Promise<SheetSnapshot> {
  const cached = options.whole ? null : await cachedLayout(ctx);
  if (cached) {
    const partial = await ctx.sheet.readColumns(cached.sheetTitle, cached.columns).catch((error: unknown) => {
      // A renamed tab is "Unable to parse range" (400): read the whole sheet instead.
      if (error instanceof UpstreamError && error.status === 400) return null;
      throw error;
    });
    const layout = partial ? resolveSheetLayout(partial.grid[0] ?? [], ctx.headers) : null;
    if (partial && layout?.ok && sameColumns(columnsOf(layout.value), cached.columns)) {
      return {
        sheetTitle: partial.sheetTitle,
        grid: partial.grid,
        layout: layout.value,
        fullRows: new Set(partial.fullRows),
      };
    }
  }
  const sheet = await ctx.sheet.read();
  const layout = resolveSheetLayout(sheet.grid[0] ?? [], ctx.headers);
  if (!layout.ok) throw new SheetLayoutError(describeMissingHeaders(layout.error));
  const next: CachedLayout = { sheetTitle: sheet.sheetTitle, columns: columnsOf(layout.value) };
  await setMeta(ctx.db, LAYOUT_KEY, JSON.stringify(next));
  return { ...sheet, layout: layout.value, fullRows: "all" };
}

async function cachedLayout(ctx: SyncContext): Promise<CachedLayout | null> {
  const text = await getMeta(ctx.db, LAYOUT_KEY);
  if (!text) return null;
  try {
    return JSON.parse(text) as CachedLayout;
  } catch {
    return null;
  }
}

function sameColumns(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((column, i) => column === b[i]);
}
