import type { Runtime } from "../app/runtime.ts";
import { createSheetCopyTarget } from "../sanity/sheet-copy-target.ts";
import { copySheetToSanity, type SheetCopyOptions, type SheetCopyResult } from "./copy-sheet-to-sanity.ts";

/** The sheet copy on a runtime's clients: what the route, the CLI, the schedule and the dashboard run. */
export function runSheetCopy(runtime: Runtime, options: SheetCopyOptions): Promise<SheetCopyResult> {
  return copySheetToSanity(runtime.ctx, createSheetCopyTarget(runtime.sanity), options);
}
