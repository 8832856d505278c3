import { normalizeEmail } from "../core/email.ts";
import { normalizePhone } from "../core/phone.ts";
import {
  type LeadLedgerEntry,
  type PlanInput,
  type RowAppend,
  type RowUpdate,
  replan,
  type SyncPlan,
} from "../core/plan-booking-sync.ts";
import { saveLeadLedger, storesSame } from "../db/lead-ledger.ts";
import { loadAnchorRegistry, retireAnchor, saveAnchorRegistry, tagOf } from "./anchor-registry.ts";
import { anchorRows, type NewRow, tabOf } from "./anchor-rows.ts";
import type { AnchorTarget, OwnedCellsWrite, SheetTab, SyncContext, WriteCheck } from "./context.ts";
import {
  checkLanding,
  describeMisplacement,
  loadPendingMisplacements,
  locateRepairs,
  type Misplacement,
  savePendingMisplacements,
  withRepairs,
} from "./misplaced-cells.ts";
import { PartlyDone } from "./partly-done.ts";
import { readLeadSheet } from "./read-lead-sheet.ts";
import { fixCells, judgeFix, type RowFix, valuesByHeader } from "./row-fixes.ts";
import { type ExtraWrite, extraWritesOf, gatherIntents, type RowIntent } from "./row-intents.ts";
import { identityFingerprint, type SheetSnapshot, sameHeader, withRowsSeen } from "./sheet-snapshot.ts";
import { MetadataFullError, MisplacedCellsError } from "./sheet-write-errors.ts";

/** A person can keep sorting; after this many attempts that found the sheet changed, the rest waits. */
const MAX_WRITE_ATTEMPTS = 4;
/** Runs that try to put a misplaced cell back before it is left to a person (each run says which). */
const MAX_RUNS_TO_PUT_BACK = 3;

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
 * Writes the planned cells so that each lands on the lead it was planned for, and adds new leads' rows.
 *
 * Every write goes through a row anchor that the server resolves when the write lands, so a row inserted
 * or deleted since the read never receives another lead's cells. A lead's first write anchors its row in
 * a batch whose answer shows whom each anchor landed on. Sorts move values and not anchors, and columns
 * can move too: every write answers with the row and row 1 as they were when it landed, so a cell that
 * went elsewhere is put back to what calsync had read there, the sheet is read again and the plan re-made
 * on it. What a run cannot put back fails the run, naming the cells, and the next run puts it back first.
 */
export async function writePlanToSheet(args: {
  ctx: SyncContext;
  /** The sheet as read, before any earlier run's misplaced cells were taken as put back. */
  sheet: SheetSnapshot;
  plan: SyncPlan;
  /** What the plan was made on (its grid shows earlier runs' misplaced cells as put back). */
  planInput: PlanInput;
  /** Cells besides the plan's (sheet edits put back, notes), written with the first batch. */
  extraWrites?: readonly OwnedCellsWrite[];
  /** Told what each write call landed, as soon as it answers (the run's change log). */
  onWritten?: (checks: readonly WriteCheck[]) => Promise<void>;
  /**
   * The lead ledger as the database holds it now, when the caller knows: entries that would be saved
   * unchanged are not written again (a re-run of 10,000 booked leads otherwise rewrites all 10,000).
   */
  storedLedger?: ReadonlyMap<string, LeadLedgerEntry>;
}): Promise<SheetWriteOutcome> {
  const updates: RowUpdate[] = [];
  const warnings: string[] = [];
  const { ctx } = args;
  const registry = await loadAnchorRegistry(ctx, args.sheet.sheetTitle);
  const run = new WriteRun(ctx, registry, args, { updates, warnings });
  try {
    await run.writeUntilSettled();
    return run.outcome();
  } catch (error) {
    throw new PartlyDone({ updates, warnings }, error);
  } finally {
    await saveAnchorRegistry(ctx, registry).catch(() => undefined);
    await savePendingMisplacements(ctx, run.pending).catch(() => undefined);
  }
}

/** One run's writes: the loop of attempts, and what each attempt found. */
class WriteRun {
  pending: Misplacement[] = [];
  private snapshot: SheetSnapshot;
  private plan: SyncPlan;
  private planInput: PlanInput;
  private planGrid: readonly (readonly string[])[];
  /** The sheet was read again since the plan was made: plan again on it before writing. */
  private readAgain = false;
  private readonly ledger: Map<string, LeadLedgerEntry>;
  /** What the database holds (see storedLedger); null: unknown, every entry is saved. */
  private readonly stored: Map<string, LeadLedgerEntry> | null;
  private outcomeByKey: Map<string, SyncPlan["leads"][number]> | null = null;
  private readonly extras: Map<number, ExtraWrite>;
  private readonly appendedRows = new Map<string, number>();
  private readonly fixes = new Map<string, RowFix>();
  private readonly landedRows = new Map<string, number>();
  private readonly now: number;
  private repairedCells = 0;
  private metadataFull = false;
  private attemptsFailed = 0;
  private tab: SheetTab | null = null;

  constructor(
    private readonly ctx: SyncContext,
    private readonly registry: Awaited<ReturnType<typeof loadAnchorRegistry>>,
    args: Parameters<typeof writePlanToSheet>[0],
    private readonly report: { updates: RowUpdate[]; warnings: string[] },
  ) {
    this.snapshot = args.sheet;
    this.plan = args.plan;
    this.planInput = args.planInput;
    this.planGrid = args.planInput.grid;
    this.ledger = new Map(args.planInput.ledger);
    this.stored = args.storedLedger ? new Map(args.storedLedger) : null;
    this.extras = new Map(extraWritesOf(args.extraWrites ?? []).map((extra, i) => [i, extra]));
    this.now = ctx.clock().getTime();
    this.onWritten = args.onWritten;
  }

  private readonly onWritten: ((checks: readonly WriteCheck[]) => Promise<void>) | undefined;

  /** A write as the change log sees it: who the row was meant to be, and the owned cells written there. */
  private checkFor(
    intent: RowIntent,
    landed: { row: number; cells: string[] },
    onTarget: boolean,
  ): WriteCheck {
    const { layout } = this.snapshot;
    const identity =
      intent.planned[0]?.identity ??
      this.extras.get(intent.extras[0] ?? -1)?.write.identity ??
      this.identityOfRow(intent.row);
    const status = intent.cells.get(layout.status);
    const booking = intent.cells.get(layout.booking);
    const note = layout.note === null ? undefined : intent.cells.get(layout.note);
    return {
      write: {
        row: landed.row,
        identity,
        ...(status !== undefined ? { status } : {}),
        ...(booking !== undefined ? { booking } : {}),
        ...(note !== undefined ? { note } : {}),
      },
      landed: onTarget,
      rowCells: landed.cells,
    };
  }

  private identityOfRow(row: number): OwnedCellsWrite["identity"] {
    const cells = this.snapshot.grid[row - 1] ?? [];
    const { layout } = this.snapshot;
    return {
      phone: normalizePhone(cells[layout.phone] ?? "", this.ctx.rules.region),
      email: normalizeEmail(cells[layout.email] ?? ""),
    };
  }

  async writeUntilSettled(): Promise<void> {
    const { ctx } = this;
    const region = ctx.rules.region;
    this.pending = await loadPendingMisplacements(ctx);
    for (let attempt = 0; ; attempt++) {
      const located = locateRepairs(this.pending, this.snapshot, region);
      this.pending = located.waiting;
      // On the same read (another wave), the plan stands: its outcomes already say what the landed
      // writes made of their rows. On a fresh read it is made again.
      if (this.readAgain) this.replan(withRepairs(this.snapshot.grid, located.repairs));
      this.readAgain = false;
      const planned = this.plan.writes.filter((write) => !this.landedRows.has(write.leadKey));
      const intents = gatherIntents({
        snapshot: this.snapshot,
        planned: { grid: this.planGrid, writes: planned },
        extras: this.extras,
        repairs: located.repairs,
        region,
        firstAttempt: attempt === 0,
      });
      const newLeads = this.plan.appends.filter(
        (lead) => !this.appendedRows.has(lead.leadKey) && !this.fixes.has(lead.leadKey),
      );
      if (intents.length === 0 && newLeads.length === 0 && this.fixes.size === 0) {
        // Nothing to write, but what the plan decided is recorded: the leads' rows and moved keys.
        await this.settleLedger();
        break;
      }

      const found = await this.attempt(intents, newLeads).catch((error: unknown) => {
        // Whatever this attempt meant to put back is still to be put back (a repair that did land is
        // found done by the next run, which sees the cell no longer holds what calsync wrote).
        this.pending.push(...located.repairs.map((repair) => repair.of));
        throw error;
      });
      await this.settleLedger();
      if (!found.changed && found.waiting === 0) break;
      if (found.changed && ++this.attemptsFailed >= MAX_WRITE_ATTEMPTS) break;
      if (found.changed) {
        ctx.log.warn("the sheet changed while calsync wrote to it; reading it again", {
          pending: this.pending.length,
        });
        this.snapshot = await readLeadSheet(ctx, { whole: this.pending.length > 0 || found.columnsMoved });
        this.readAgain = true;
      }
    }
    this.finish();
  }

  /** One batch (when rows need anchors or new leads come) and one write; what they found. */
  private async attempt(
    intents: RowIntent[],
    newLeads: RowAppend[],
  ): Promise<{ changed: boolean; waiting: number; columnsMoved: boolean }> {
    const { ctx, registry } = this;
    const snapshot = this.snapshot;
    this.tab ??= await tabOf(ctx, registry, snapshot.sheetTitle);
    const tab = this.tab;
    const targets = new Map<RowIntent, { target: AnchorTarget; anchorId: number }>();
    const needs: RowIntent[] = [];
    for (const intent of intents) {
      const entry = registry.entries.get(intent.after);
      // An anchor from before is trusted only on the row the read found the lead on.
      if (entry && entry.row === intent.row) {
        targets.set(intent, {
          target: { tag: tagOf(intent.after), row: intent.row },
          anchorId: entry.anchorId,
        });
      } else needs.push(intent);
    }
    let changed = false;
    let waiting = 0;
    const header = snapshot.grid[0] ?? [];
    if (needs.length > 0 || newLeads.length > 0) {
      const step = await anchorRows({
        ctx,
        registry,
        tab,
        snapshot,
        needs,
        keep: new Set(intents.map((intent) => intent.after)),
        newRows: newLeads.map((lead) => newRowOf(lead, snapshot)),
        now: this.now,
      });
      for (const [intent, anchorId] of step.verified) targets.set(intent, { target: { anchorId }, anchorId });
      for (const intent of [...step.missed, ...step.deferred])
        this.pending.push(...intent.repairs.map((r) => r.of));
      changed = step.missed.length > 0;
      // Not one anchor fitted: other tools hold the tab's metadata budget, and writing a row without an
      // anchor is not safe. Those rows wait for the next run.
      const noRoom = step.deferred.length > 0 && step.verified.size === 0 && step.missed.length === 0;
      if (noRoom) this.metadataFull = true;
      waiting = noRoom ? 0 : step.deferred.length;
      const columnsMoved = !sameHeader(step.header, header);
      // The anchored rows' every cell, as they were a moment before the write: what a misplaced cell held.
      if (!columnsMoved) {
        const seen = new Map(
          [...step.verified.keys()].flatMap((intent) => {
            const cells = step.rows.get(intent.row);
            return cells ? [[intent.row, cells] as const] : [];
          }),
        );
        this.snapshot = withRowsSeen(snapshot, seen);
      }
      await this.recordNewRows(newLeads, step.inserted, columnsMoved);
      if (columnsMoved) {
        // Every cell about to be written was placed by the old columns: read again first.
        for (const intent of intents)
          if (targets.has(intent)) this.pending.push(...intent.repairs.map((r) => r.of));
        return { changed: true, waiting, columnsMoved };
      }
    }

    const writes = [
      ...[...targets].map(([intent, { target, anchorId }]) => ({
        intent,
        target,
        anchorId,
        cells: intent.cells,
      })),
    ];
    const fixes = [...this.fixes.values()].map((fix) => ({ fix, ...fixCells(fix, header) }));
    if (writes.length === 0 && fixes.length === 0) return { changed, waiting, columnsMoved: false };
    const outcome = await ctx.sheet.writeAnchored(tab, [
      ...writes.map(({ target, cells }) => ({ target, cells })),
      ...fixes.map(({ fix, write }) => ({ target: { anchorId: fix.anchorId }, cells: write })),
    ]);
    const columnsMoved = !sameHeader(outcome.header, header);
    const checks: WriteCheck[] = [];
    writes.forEach(({ intent, anchorId }, i) => {
      const landed = outcome.landed[i] ?? null;
      if (!landed) {
        // The anchor was not on the lead's row: rows moved since the read, or a sort left it elsewhere.
        changed = true;
        retireAnchor(registry, intent.after);
        this.pending.push(...intent.repairs.map((r) => r.of));
        return;
      }
      const check = checkLanding({
        fingerprint: intent.after,
        plannedRow: intent.row,
        cells: intent.cells,
        landed,
        headerNow: outcome.header,
        snapshot: this.snapshot,
        headers: ctx.headers,
        region: ctx.rules.region,
      });
      checks.push(this.checkFor(intent, landed, check.onTarget));
      if (check.misplaced) this.pending.push(check.misplaced);
      if (check.onRow) registry.entries.set(intent.after, { anchorId, row: landed.row, usedAt: this.now });
      else retireAnchor(registry, intent.after);
      if (check.onTarget) {
        this.settle(intent, landed.row);
        return;
      }
      changed = true;
      this.pending.push(...intent.repairs.map((r) => r.of));
    });
    fixes.forEach(({ fix, write, keep }, i) => {
      const landed = outcome.landed[writes.length + i] ?? null;
      if (this.checkFix(fix, { write, keep }, landed, outcome.header)) this.fixes.delete(fix.leadKey);
      else changed = true;
    });
    if (checks.length > 0) await this.onWritten?.(checks);
    return { changed, waiting, columnsMoved };
  }

  /** A write landed where it meant: its leads, sheet-edit cells and repairs are done. */
  private settle(intent: RowIntent, row: number): void {
    for (const write of intent.planned) {
      this.landedRows.set(write.leadKey, row);
      this.report.updates.push({ ...write.update, row });
    }
    for (const index of intent.extras) this.extras.delete(index);
    for (const repair of intent.repairs) this.repairedCells += repair.cells.size;
  }

  /** New leads' rows as the batch added them; rows added while columns moved are fixed next. */
  private async recordNewRows(
    newLeads: readonly RowAppend[],
    inserted: readonly { row: number; anchorId: number | null; cells: string[] }[],
    columnsMoved: boolean,
  ): Promise<void> {
    const header = this.snapshot.grid[0] ?? [];
    const entries: LeadLedgerEntry[] = [];
    newLeads.forEach((lead, i) => {
      const at = inserted[i];
      if (!at) return;
      this.appendedRows.set(lead.leadKey, at.row);
      this.report.updates.push({ row: at.row, ...lead.update });
      const ledger = this.outcomeOf(lead.leadKey)?.ledger;
      if (ledger) entries.push({ ...ledger, row: at.row });
      if (!columnsMoved) return;
      if (at.anchorId === null) {
        this.report.warnings.push(
          `Row ${at.row} (${lead.update.name}) was added while columns moved, and calsync had no anchor to put it right with: please check that row.`,
        );
        return;
      }
      this.fixes.set(lead.leadKey, {
        leadKey: lead.leadKey,
        name: lead.update.name,
        anchorId: at.anchorId,
        values: valuesByHeader(header, lead.values),
        seen: at.cells,
      });
    });
    await this.saveLedger(entries);
  }

  /** The plan's outcome for a lead, by key (one index per plan, not a search of 100,000 leads per row). */
  private outcomeOf(leadKey: string): SyncPlan["leads"][number] | undefined {
    if (!this.outcomeByKey) this.outcomeByKey = new Map(this.plan.leads.map((lead) => [lead.leadKey, lead]));
    return this.outcomeByKey.get(leadKey);
  }

  /** Saves ledger entries, leaving out those the database already holds as they are. */
  private async saveLedger(entries: readonly LeadLedgerEntry[]): Promise<void> {
    const { stored } = this;
    const changed = stored
      ? entries.filter((entry) => {
          const before = stored.get(entry.leadKey);
          return !before || !storesSame(before, entry);
        })
      : entries;
    await saveLeadLedger(this.ctx.db, changed);
    for (const entry of changed) stored?.set(entry.leadKey, entry);
    for (const entry of entries) this.ledger.set(entry.leadKey, entry);
  }

  /** Whether a fix of a new row is done; what it wrote elsewhere is reported as misplaced. */
  private checkFix(
    fix: RowFix,
    cells: { write: ReadonlyMap<number, string>; keep: ReadonlyMap<number, string> },
    landed: { row: number; cells: string[] } | null,
    headerNow: readonly string[],
  ): boolean {
    const judged = judgeFix({
      fix,
      wrote: cells.write,
      keep: cells.keep,
      landed,
      headerNow,
      header: this.snapshot.grid[0] ?? [],
      layout: this.snapshot.layout,
      region: this.ctx.rules.region,
    });
    if (judged.verdict === "gone") {
      this.report.warnings.push(
        `The row added for ${fix.name} was deleted before calsync could put it right.`,
      );
    }
    if (judged.verdict === "elsewhere") this.pending.push(judged.misplaced);
    return judged.verdict !== "again";
  }

  /** The plan made again on a fresh read (its columns may have moved), as it reads once repairs land. */
  private replan(grid: string[][]): void {
    ({ input: this.planInput, plan: this.plan } = replan(this.planInput, {
      grid,
      layout: this.snapshot.layout,
      ledger: new Map(this.ledger),
      links: this.plan.links,
    }));
    this.planGrid = grid;
    this.outcomeByKey = null;
  }

  /** Ledger entries of leads whose writes landed (or who needed none), at the rows they landed on. */
  private async settleLedger(): Promise<void> {
    const keysWithWrites = new Set(this.plan.writes.map((write) => write.leadKey));
    const entries = this.plan.leads.flatMap((lead) => {
      const hadWrite = keysWithWrites.has(lead.leadKey);
      if (!lead.ledger || lead.row === null || (hadWrite && !this.landedRows.has(lead.leadKey))) return [];
      return [{ ...lead.ledger, row: this.landedRows.get(lead.leadKey) ?? lead.row }];
    });
    await this.saveLedger(entries);
  }

  private unsettledKeys(): Set<string> {
    return new Set(
      this.plan.writes.filter((write) => !this.landedRows.has(write.leadKey)).map((write) => write.leadKey),
    );
  }

  private finish(): void {
    const { warnings } = this.report;
    if (this.repairedCells > 0) {
      warnings.push(
        `Rows or columns moved while calsync wrote to the sheet; ${this.repairedCells} cell(s) it wrote where they did not belong were put back.`,
      );
    }
    const unsettled = this.unsettledKeys();
    if (unsettled.size > 0) {
      warnings.push(
        `The sheet kept changing while calsync wrote to it; ${unsettled.size} row(s) will be written by the next run.`,
      );
    }
    const stuck = [...this.fixes.values()];
    if (this.metadataFull && unsettled.size > 0) throw new MetadataFullError(unsettled.size);
    if (this.pending.length === 0 && stuck.length === 0) return;
    const described = this.pending.map(describeMisplacement).filter(Boolean);
    // Cells whose old value calsync never read cannot be put back by any run: said once, here, then left
    // to the person. The rest are put back by the next runs, first thing (given up after a few).
    this.pending = this.pending.flatMap((misplacement) => {
      const cells = misplacement.cells.filter((cell) => cell.restoreTo !== null);
      const runs = (misplacement.runs ?? 0) + 1;
      return cells.length > 0 && runs <= MAX_RUNS_TO_PUT_BACK ? [{ ...misplacement, cells, runs }] : [];
    });
    throw new MisplacedCellsError(
      described,
      stuck.map((fix) => fix.leadKey),
    );
  }

  outcome(): SheetWriteOutcome {
    const leads = this.plan.leads.map((lead) => ({
      ...lead,
      row: this.landedRows.get(lead.leadKey) ?? lead.row,
    }));
    return {
      plan: { ...this.plan, leads },
      unsettled: this.unsettledKeys(),
      appendedRows: this.appendedRows,
      updates: this.report.updates,
      warnings: this.report.warnings,
    };
  }
}

function newRowOf(lead: RowAppend, snapshot: SheetSnapshot): NewRow {
  const { layout } = snapshot;
  const identity = { phone: lead.values[layout.phone] || null, email: lead.values[layout.email] || null };
  return { key: identityFingerprint(identity), cells: lead.values };
}
