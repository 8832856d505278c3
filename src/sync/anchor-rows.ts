import { resolveSheetLayout } from "../core/sheet-layout.ts";
import { UpstreamError } from "../errors.ts";
import {
  type AnchorRegistry,
  applyCensus,
  defaultCapacity,
  makeRoom,
  pruneUnused,
  retireAnchor,
  tagOf,
} from "./anchor-registry.ts";
import type { PreparedSheet, SheetPreparation, SheetTab, SyncContext } from "./context.ts";
import type { RowIntent } from "./row-intents.ts";
import { fingerprintOf, type SheetSnapshot } from "./sheet-snapshot.ts";

/** A new lead's row to add: who it is (its registry key) and its cells from column A. */
export type NewRow = { key: string; cells: string[] };

/** What the batch did: anchors that sit on their lead, those that do not, and the rows it added. */
export type AnchorStep = {
  /** Row 1 right after the batch. */
  header: string[];
  /** Anchors created that sit on the lead their row was read with: the write follows them by id. */
  verified: Map<RowIntent, number>;
  /** Intents whose anchor landed on another row's values (rows moved since the read). */
  missed: RowIntent[];
  /** Intents left for another wave: the tab's metadata budget had no room for them now. */
  deferred: RowIntent[];
  /** The new rows, in order: where each went, its anchor (null when there was no room), its cells then. */
  inserted: { row: number; anchorId: number | null; cells: string[] }[];
  /** Every cell of each anchored row right after the batch. */
  rows: Map<number, string[]>;
};

/**
 * Anchors the rows about to be written for the first time (or again, after they moved) and adds new leads'
 * rows, in one atomic batch update, and checks what each anchor landed on. An anchor is created by row
 * number from a read, so it can land on a row inserted since: the batch's answer shows who is on each
 * anchored row at that very moment, and an anchor on the wrong lead is never written through (it is
 * removed in the next batch).
 */
export async function anchorRows(args: {
  ctx: SyncContext;
  registry: AnchorRegistry;
  tab: SheetTab;
  snapshot: SheetSnapshot;
  needs: readonly RowIntent[];
  /** Keys whose anchors this attempt uses: never evicted to make room. */
  keep: ReadonlySet<string>;
  newRows: readonly NewRow[];
  now: number;
}): Promise<AnchorStep> {
  const { ctx, registry, tab, snapshot } = args;
  const beforeRow = Math.max(1, snapshot.grid.length) + 1;
  // A batch is being sent anyway: anchors no longer needed go with it, at no extra call.
  pruneUnused(registry, args.now, args.keep);
  // At most one census a run: after a refusal, or when the registry is short of room.
  for (;;) {
    const admitted = new Set(
      makeRoom(
        registry,
        args.needs.map((intent) => intent.after),
        args.keep,
      ),
    );
    const anchoring = args.needs.filter((intent) => admitted.has(intent.after));
    const deferred = args.needs.filter((intent) => !admitted.has(intent.after));
    // (A census cannot raise the capacity past calsync's own share: only worth it once it was lowered.)
    if (deferred.length > 0 && !registry.counted && registry.capacity < defaultCapacity(ctx)) {
      // Short of room: other tools may have removed metadata since the capacity was last worked out.
      await takeCensus(ctx, registry, tab);
      continue;
    }
    const keepAll = new Set([...args.keep, ...anchoring.map((intent) => intent.after)]);
    // The anchors about to be added count against the room the new rows' anchors have.
    const adding = anchoring.filter((intent) => !registry.entries.has(intent.after)).length;
    registry.capacity -= adding;
    const roomForNew = new Set(
      makeRoom(
        registry,
        args.newRows.map((row) => row.key),
        keepAll,
      ),
    );
    registry.capacity += adding;
    // Replacing an anchor: the old one goes in the same batch.
    for (const intent of anchoring) retireAnchor(registry, intent.after);
    const removing = [...registry.strays];
    const preparation: SheetPreparation = {
      removeAnchors: removing,
      anchorRows: anchoring.map((intent) => ({ tag: tagOf(intent.after), row: intent.row })),
      ...(args.newRows.length > 0
        ? {
            insertRows: {
              beforeRow,
              rows: args.newRows.map((row) => ({
                ...(roomForNew.has(row.key) ? { tag: tagOf(row.key) } : {}),
                cells: row.cells,
              })),
            },
          }
        : {}),
    };
    let prepared: PreparedSheet;
    try {
      prepared = await ctx.sheet.prepare(tab, preparation);
    } catch (error) {
      // Refused as a whole (400): the metadata budget is fuller than calsync thought, or the tab is not
      // the one it knew. Count what is there, forget what is gone, and try once more.
      if (registry.counted || !(error instanceof UpstreamError) || error.status !== 400) throw error;
      await takeCensus(ctx, registry, tab);
      continue;
    }
    for (const id of removing) registry.strays.delete(id);
    const layoutNow = resolveSheetLayout(prepared.header, ctx.headers);
    const layout = layoutNow.ok ? layoutNow.value : snapshot.layout;
    const verified = new Map<RowIntent, number>();
    const missed: RowIntent[] = [];
    anchoring.forEach((intent, i) => {
      const anchor = prepared.anchors[i];
      if (!anchor) return;
      const cells = prepared.rows.get(anchor.row) ?? [];
      if (fingerprintOf(cells, layout, ctx.rules.region) === intent.before) {
        registry.entries.set(intent.after, { anchorId: anchor.anchorId, row: anchor.row, usedAt: args.now });
        verified.set(intent, anchor.anchorId);
      } else {
        registry.strays.add(anchor.anchorId);
        missed.push(intent);
      }
    });
    let next = anchoring.length;
    const inserted = args.newRows.map((row, i) => {
      const at = beforeRow + i;
      const anchor = roomForNew.has(row.key) ? prepared.anchors[next++] : undefined;
      if (anchor) registry.entries.set(row.key, { anchorId: anchor.anchorId, row: at, usedAt: args.now });
      return { row: at, anchorId: anchor?.anchorId ?? null, cells: prepared.rows.get(at) ?? [] };
    });
    return { header: prepared.header, verified, missed, deferred, inserted, rows: prepared.rows };
  }
}

/** The lead tab as anchors address it; its sheetId is looked up once and kept with the registry. */
export async function tabOf(ctx: SyncContext, registry: AnchorRegistry, title: string): Promise<SheetTab> {
  if (registry.sheetId === null) {
    const sheetId = await ctx.sheet.sheetId(title);
    if (sheetId === null) {
      throw new UpstreamError(
        "sheets",
        `the lead tab "${title}" is gone (check GOOGLE_SHEETS_SHEET_NAME)`,
        404,
      );
    }
    registry.sheetId = sheetId;
  }
  return { title, sheetId: registry.sheetId };
}

/** Counts the tab's metadata (one read), and checks the tab is still the one the registry knew. */
async function takeCensus(ctx: SyncContext, registry: AnchorRegistry, tab: SheetTab): Promise<void> {
  registry.counted = true;
  const sheetId = await ctx.sheet.sheetId(tab.title);
  if (sheetId === null) {
    throw new UpstreamError(
      "sheets",
      `the lead tab "${tab.title}" is gone (check GOOGLE_SHEETS_SHEET_NAME)`,
      404,
    );
  }
  if (sheetId !== tab.sheetId) {
    registry.entries.clear();
    registry.strays.clear();
    registry.sheetId = sheetId;
    tab.sheetId = sheetId;
  }
  applyCensus(ctx, registry, await ctx.sheet.anchorCensus(sheetId));
  ctx.log.warn("the lead tab's developer metadata was counted again", {
    anchors: registry.entries.size,
    capacity: registry.capacity,
  });
}
