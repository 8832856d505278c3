import type { CountryCode } from "libphonenumber-js";
import { normalizeEmail } from "../core/email.ts";
import { normalizePhone } from "../core/phone.ts";
import {
  type CellWrite,
  type LeadLedgerEntry,
  type PlanInput,
  type RowUpdate,
  replan,
  type SyncPlan,
} from "../core/plan-booking-sync.ts";
import type { SheetLayout } from "../core/sheet-layout.ts";
import { readSheetLeads, type SheetLead } from "../core/sheet-leads.ts";
import { saveLeadLedger } from "../db/lead-ledger.ts";
import type { OwnedCellsWrite, SyncContext, WriteCheck } from "./context.ts";
import { PartlyDone } from "./partly-done.ts";

/** A person can keep sorting; after this many repairs the rest waits for the next run. */
const MAX_WRITE_ATTEMPTS = 4;

export type SheetWriteOutcome = {
  /** The plan the writes finally followed (after re-planning on a fresh read, when rows moved). */
  plan: SyncPlan;
  /** Lead keys whose writes never landed: their documents and ledger entries wait for the next run. */
  unsettled: Set<string>;
  /** Rows the appended leads landed on. */
  appendedRows: Map<string, number>;
  /** Every row written (planned cells that landed, and appended leads), and what the repairs had to say. */
  updates: RowUpdate[];
  warnings: string[];
};

/**
 * Writes the planned cells so that each lands on the lead it was planned for.
 *
 * Sheets has no compare-and-set, so every write carries its own check: the written range spans the identity
 * columns (with null, which Sheets skips, in cells we do not own) and the answer shows who the row was right
 * after the write. A row that turns out to hold someone else (a person sorted or inserted rows between our
 * read and our write) is repaired from what this run read: the other lead's cells are put back, the sheet is
 * read again and the plan re-made on it.
 */
export async function writePlanToSheet(args: {
  ctx: SyncContext;
  sheetTitle: string;
  layout: SheetLayout;
  plan: SyncPlan;
  planInput: PlanInput;
  /** Cells besides the plan's (sheet edits put back, notes), written with the first batch. */
  extraWrites?: readonly OwnedCellsWrite[];
  /** Told what each write call landed, as soon as it answers (the run's change log). */
  onWritten?: (checks: readonly WriteCheck[]) => Promise<void>;
}): Promise<SheetWriteOutcome> {
  const updates: RowUpdate[] = [];
  const warnings: string[] = [];
  try {
    const written = await writeUntilSettled(args, { updates, warnings });
    const appendedRows = written.settled
      ? await append(args.ctx, args.sheetTitle, written.plan, written.grid, updates)
      : new Map<string, number>();
    return { plan: written.plan, unsettled: written.unsettled, appendedRows, updates, warnings };
  } catch (error) {
    throw new PartlyDone({ updates, warnings }, error);
  }
}

async function writeUntilSettled(
  args: Parameters<typeof writePlanToSheet>[0],
  found: { updates: RowUpdate[]; warnings: string[] },
): Promise<{ plan: SyncPlan; grid: PlanInput["grid"]; unsettled: Set<string>; settled: boolean }> {
  const { ctx, sheetTitle, layout } = args;
  const originalLeads = byKey(
    args.planInput.leads ?? readSheetLeads(args.planInput.grid, layout, ctx.rules.region),
  );
  const ledger = new Map(args.planInput.ledger);
  let plan = args.plan;
  let planInput = args.planInput;
  let restorations: OwnedCellsWrite[] = [...(args.extraWrites ?? [])];
  let unsettled = new Set<string>();

  for (let attempt = 1; ; attempt++) {
    const writes = mergeWrites(plan.writes, restorations);
    const checks = await ctx.sheet.writeCells(sheetTitle, writes, layout);
    await args.onWritten?.(checks);
    const landedKeys = new Set<string>();
    const misplaced: { rowCells: string[]; write: OwnedCellsWrite }[] = [];
    const plannedByRow = new Map(plan.writes.map((w) => [w.row, w]));
    const keysWithWrites = new Set(plan.writes.map((w) => w.leadKey));
    for (const check of checks) {
      const planned = plannedByRow.get(check.write.row);
      if (check.landed) {
        if (planned) {
          landedKeys.add(planned.leadKey);
          found.updates.push(planned.update);
        }
      } else {
        misplaced.push(check);
      }
    }
    const settledEntries = plan.leads.flatMap((lead) => {
      const hadWrite = keysWithWrites.has(lead.leadKey);
      return lead.ledger && lead.row !== null && (!hadWrite || landedKeys.has(lead.leadKey))
        ? [lead.ledger]
        : [];
    });
    await saveLeadLedger(ctx.db, settledEntries);
    for (const entry of settledEntries) ledger.set(entry.leadKey, entry);

    unsettled = new Set(plan.writes.filter((w) => !landedKeys.has(w.leadKey)).map((w) => w.leadKey));
    if (misplaced.length === 0) return { plan, grid: planInput.grid, unsettled, settled: true };
    if (attempt >= MAX_WRITE_ATTEMPTS) {
      found.warnings.push(
        `The sheet kept changing while calsync wrote to it; ${unsettled.size} row(s) will be written by the next run.`,
      );
      return { plan, grid: planInput.grid, unsettled, settled: false };
    }

    const fresh = await ctx.sheet.read();
    const freshLeads = readSheetLeads(fresh.grid, layout, ctx.rules.region);
    restorations = restore({
      misplaced,
      freshLeads,
      originalLeads,
      warnings: found.warnings,
      layout,
      region: ctx.rules.region,
    });
    ctx.log.warn("rows moved while writing; re-planning on a fresh read", { misplaced: misplaced.length });
    // Plan on the sheet as it will read once the hit rows are put back, so no cell is judged by a stray write.
    ({ input: planInput, plan } = replan(planInput, {
      grid: withCells(fresh.grid, restorations, layout),
      ledger: new Map(ledger),
      links: plan.links,
    }));
  }
}

/** Puts back the owned cells of rows a misplaced write hit, as this run first read them. */
function restore(args: {
  misplaced: readonly { rowCells: string[]; write: OwnedCellsWrite }[];
  freshLeads: readonly SheetLead[];
  originalLeads: ReadonlyMap<string, SheetLead>;
  warnings: string[];
  layout: SheetLayout;
  region: CountryCode;
}): OwnedCellsWrite[] {
  const { layout, warnings } = args;
  const restorations: OwnedCellsWrite[] = [];
  for (const { write, rowCells } of args.misplaced) {
    // Our write did not touch the identity cells, so they still say whose row we hit.
    const phone = normalizePhone(rowCells[layout.phone] ?? "", args.region);
    const email = normalizeEmail(rowCells[layout.email] ?? "");
    const victim = args.freshLeads.find(
      (lead) => lead.key !== null && lead.phone === phone && lead.email === email,
    );
    const original = victim?.key ? args.originalLeads.get(victim.key) : undefined;
    if (!victim || !original) {
      const written = new Set([
        layout.status,
        layout.booking,
        ...(layout.note === null ? [] : [layout.note]),
      ]);
      const blank = rowCells.every((value, column) => written.has(column) || (value ?? "") === "");
      if (blank && phone === null && email === null) {
        // A row was deleted above and our write landed on an empty row: take it back exactly.
        restorations.push({
          row: write.row,
          identity: { phone: null, email: null },
          ...(write.status !== undefined ? { status: "" } : {}),
          ...(write.booking !== undefined ? { booking: "" } : {}),
          ...(write.note !== undefined ? { note: "" } : {}),
        });
        warnings.push(`Row ${write.row} moved while calsync wrote to it; the write was repaired.`);
        continue;
      }
      warnings.push(
        `Row ${write.row} changed while calsync wrote to the sheet (rows were inserted or deleted), and calsync cannot tell what its status or booking cell held before: please check that row.`,
      );
      continue;
    }
    const cells: OwnedCellsWrite = {
      row: victim.row,
      identity: { phone: victim.phone, email: victim.email },
    };
    if (write.status !== undefined && victim.status !== original.status) cells.status = original.status;
    if (write.booking !== undefined && victim.bookingText !== original.bookingText) {
      cells.booking = original.bookingText;
    }
    if (cells.status !== undefined || cells.booking !== undefined) restorations.push(cells);
    warnings.push(`Row ${write.row} moved while calsync wrote to it; the write was repaired.`);
  }
  return restorations;
}

/** Planned cells win over restorations of the same row: the plan was made on the fresh read. */
function mergeWrites(
  planned: readonly CellWrite[],
  restorations: readonly OwnedCellsWrite[],
): OwnedCellsWrite[] {
  const byRow = new Map<number, OwnedCellsWrite>();
  for (const r of restorations) byRow.set(r.row, { ...r });
  for (const w of planned) {
    const base = byRow.get(w.row);
    byRow.set(w.row, {
      row: w.row,
      identity: w.identity,
      status: w.status ?? base?.status,
      booking: w.booking ?? base?.booking,
      note: base?.note,
    });
  }
  return [...byRow.values()];
}

async function append(
  ctx: SyncContext,
  sheetTitle: string,
  plan: SyncPlan,
  grid: readonly (readonly string[])[],
  updates: RowUpdate[],
): Promise<Map<string, number>> {
  if (plan.appends.length === 0) return new Map();
  const outcomes = new Map(plan.leads.map((lead) => [lead.leadKey, lead]));
  const rows = await ctx.sheet.appendRows(
    sheetTitle,
    plan.appends.map((a) => a.values),
    Math.max(1, grid.length),
  );
  const appendedRows = new Map<string, number>();
  const entries: LeadLedgerEntry[] = [];
  plan.appends.forEach((appendRow, i) => {
    const row = rows[i] as number;
    appendedRows.set(appendRow.leadKey, row);
    updates.push({ row, ...appendRow.update });
    const lead = outcomes.get(appendRow.leadKey);
    if (lead?.ledger) entries.push({ ...lead.ledger, row });
  });
  await saveLeadLedger(ctx.db, entries);
  return appendedRows;
}

function withCells(
  grid: readonly (readonly string[])[],
  writes: readonly OwnedCellsWrite[],
  layout: SheetLayout,
): string[][] {
  const next = grid.map((cells) => [...cells]);
  for (const write of writes) {
    const cells = next[write.row - 1];
    if (!cells) continue;
    if (write.status !== undefined) cells[layout.status] = write.status;
    if (write.booking !== undefined) cells[layout.booking] = write.booking;
  }
  return next;
}

function byKey(leads: readonly SheetLead[]): Map<string, SheetLead> {
  const map = new Map<string, SheetLead>();
  for (const lead of leads) if (lead.key) map.set(lead.key, lead);
  return map;
}
