import { describeMissingHeaders, resolveSheetLayout, type SheetLayout } from "../core/sheet-layout.ts";
import { readSheetLeads, type SheetLead } from "../core/sheet-leads.ts";
import { SheetLayoutError } from "../errors.ts";
import type { SyncContext } from "./context.ts";

/** The sheet as read now, with its layout and leads: what the dashboard's actions decide on. */
export async function readLeads(
  ctx: SyncContext,
): Promise<{ sheetTitle: string; grid: string[][]; layout: SheetLayout; leads: SheetLead[] }> {
  const sheet = await ctx.sheet.read();
  const layout = resolveSheetLayout(sheet.grid[0] ?? [], ctx.headers);
  if (!layout.ok) throw new SheetLayoutError(describeMissingHeaders(layout.error));
  return {
    ...sheet,
    layout: layout.value,
    leads: readSheetLeads(sheet.grid, layout.value, ctx.rules.region),
  };
}
