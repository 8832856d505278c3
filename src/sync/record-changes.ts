import type { StoredBooking } from "../core/booking-merge.ts";
import {
  appendedRowChanges,
  type CalcomActionChange,
  type Cause,
  type CellExplanation,
  type Change,
  createCellRecorder,
  type DocumentChange,
  type Identity,
  identityKey,
  sourceText,
} from "../core/change-log.ts";
import type { LeadDocumentUpdate } from "../core/lead-document.ts";
import type { LeadOutcome, RowUpdate, SyncPlan } from "../core/plan-booking-sync.ts";
import type { EditConflict, EditPutBack } from "../core/run-report.ts";
import type { SheetLayout } from "../core/sheet-layout.ts";
import type { SheetGrid, SheetLead } from "../core/sheet-leads.ts";
import type { OwnedCellsWrite, SyncContext, WriteCheck } from "./context.ts";
import type { RunJournal } from "./run-journal.ts";

/**
 * A dashboard action a run follows (a call booked, a booker added, a booking linked to a row): what it
 * already did is recorded in the run, and the changes the run makes for its bookings and leads name it.
 */
export type RunOrigin = {
  /** "booked a call from the lead page", … */
  what: string;
  bookingUids: readonly string[];
  leadKeys: readonly string[];
  /** What the action changed before the run (the Cal.com booking, the appended row). */
  changes: readonly Change[];
};

/** Which deliveries and actions stand behind a run's changes; filled in as the run learns them. */
export type RunCauses = {
  trigger: string;
  source: "calcom" | "webhook-events";
  deliveries: { id: number; bookingUid: string | null }[];
  origin?: RunOrigin | undefined;
  /** Cal.com actions this run took for sheet edits, by lead key. */
  sheetEdits: Map<string, CalcomActionChange>;
};

/** Why the run changed a lead: a sheet edit it acted on, a dashboard action, a webhook delivery, or a poll. */
export function causeOfLead(
  causes: RunCauses,
  leadKey: string,
  bookings: readonly StoredBooking[],
): Omit<Cause, "reason" | "bookingUid"> & { prefix: string } {
  const edit = causes.sheetEdits.get(leadKey);
  if (edit) {
    const did = edit.action === "cancel" ? "cancelled the call" : "moved the call";
    return { source: "sheet-edit", sourceRef: null, prefix: `a sheet edit (calsync ${did} in Cal.com)` };
  }
  const uids = new Set(bookings.flatMap((b) => [b.uid, ...(b.seat ? [b.seat.bookingUid] : [])]));
  const origin = causes.origin;
  if (origin && (origin.leadKeys.includes(leadKey) || origin.bookingUids.some((uid) => uids.has(uid)))) {
    return { source: "dashboard", sourceRef: null, prefix: `the dashboard (${origin.what})` };
  }
  if (causes.source === "webhook-events") {
    const ids = causes.deliveries.filter((d) => d.bookingUid && uids.has(d.bookingUid)).map((d) => d.id);
    if (ids.length > 0) {
      const sourceRef = ids.join(",");
      return { source: "webhook", sourceRef, prefix: sourceText("webhook", sourceRef) };
    }
    return { source: "poll", sourceRef: null, prefix: "Cal.com, as calsync last heard of it" };
  }
  return { source: "poll", sourceRef: null, prefix: sourceText("poll", null, causes.trigger) };
}

function whatChanged(update: Omit<RowUpdate, "row">, uid: string | null): string {
  const booking = uid ? ` (booking ${uid})` : "";
  switch (update.action) {
    case "booked":
      return `call booked for ${update.bookingTime}${booking}`;
    case "rescheduled":
      return `call moved to ${update.bookingTime}${booking}`;
    case "cancelled":
      return `call cancelled${booking}`;
    case "reschedule-requested":
      return `the host asked the booker to pick another time${booking}`;
    case "added":
      return `a new booker, added as a lead${booking}`;
  }
}

/**
 * Turns what a run's writes and publishes landed into the change log's records. Made once the plan is final
 * (after sheet edits), from the sheet as the run first read it.
 */
export function createRunRecorder(args: {
  ctx: SyncContext;
  journal: RunJournal;
  causes: RunCauses;
  read: { grid: SheetGrid; leads: readonly SheetLead[]; layout: SheetLayout };
  plan: SyncPlan;
  extraWrites: readonly OwnedCellsWrite[];
  editsPutBack: readonly EditPutBack[];
  conflicts: readonly EditConflict[];
}) {
  const { causes, plan, journal } = args;
  // The indexes are built when first asked: a run with nothing to write or publish never builds them.
  const outcomes = lazyMap(() => plan.leads.map((lead) => [lead.leadKey, lead]));
  const plannedByIdentity = lazyMap(() => plan.writes.map((write) => [identityKey(write.identity), write]));
  const extraByRow = new Map(
    args.extraWrites.map((write) => [`${write.row}|${identityKey(write.identity)}`, write]),
  );
  const putBackOf = new Map(args.editsPutBack.map((edit) => [edit.row, edit]));
  const conflictOf = new Map(args.conflicts.map((conflict) => [conflict.row, conflict]));
  const keyByIdentity = lazyMap(() => args.read.leads.map((lead) => [identityKey(lead), lead.key]));
  const leadKeyOf = (identity: Identity) => keyByIdentity.get(identityKey(identity)) ?? null;

  const leadCause = (outcome: LeadOutcome | undefined, leadKey: string, update: Omit<RowUpdate, "row">) => {
    const uid = outcome?.ledger?.bookingUid ?? null;
    const cause = causeOfLead(causes, leadKey, outcome?.bookings ?? []);
    return { ...cause, bookingUid: uid, reason: `${cause.prefix}: ${whatChanged(update, uid)}` };
  };

  const explain = (write: WriteCheck["write"], field: "status" | "booking" | "note", value: string) => {
    const planned = plannedByIdentity.get(identityKey(write.identity));
    if (planned && field !== "note" && planned[field] === value) {
      const outcome = outcomes.get(planned.leadKey);
      const cause = leadCause(outcome, planned.leadKey, planned.update);
      const conflict = conflictOf.get(write.row);
      const reason = conflict
        ? `${cause.reason}; the sheet edit "${conflict.sheetValue}" was undone, since the booking changed in Cal.com at the same time`
        : cause.reason;
      return {
        ...cause,
        reason,
        action: planned.update.action,
        leadKey: planned.leadKey,
        leadName: planned.update.name,
      } satisfies CellExplanation;
    }
    const extra = extraByRow.get(`${write.row}|${identityKey(write.identity)}`);
    const leadKey = leadKeyOf(write.identity);
    if (extra && extra[field] === value) {
      const putBack = putBackOf.get(write.row);
      const conflict = conflictOf.get(write.row);
      const reason =
        field === "note"
          ? `calsync's note on the row: ${value}`
          : putBack
            ? `"${putBack.typed}" was put back to "${putBack.restoredTo}": ${putBack.reason}`
            : "a sheet edit was put back";
      return {
        source: "put-back",
        sourceRef: null,
        bookingUid: (leadKey ? outcomes.get(leadKey)?.ledger?.bookingUid : null) ?? null,
        action: field === "note" ? (conflict ? "conflict note" : "note") : "put back",
        leadKey,
        reason,
      } satisfies CellExplanation;
    }
    return {
      source: "repair",
      sourceRef: null,
      bookingUid: null,
      action: "repaired",
      leadKey,
      reason: "put back what the row held before a write of calsync's landed on it while rows moved",
    } satisfies CellExplanation;
  };

  const cells = createCellRecorder({
    read: args.read,
    layout: args.read.layout,
    region: args.ctx.rules.region,
    explain,
  });

  return {
    /** For writePlanToSheet: every write call's answer. */
    written: (checks: readonly WriteCheck[]) => journal.record(cells(checks)),

    /** The rows appended, each cell from "" (the row did not exist). */
    appended: async (final: SyncPlan, rows: ReadonlyMap<string, number>) => {
      const finalOutcomes = new Map(final.leads.map((lead) => [lead.leadKey, lead]));
      const changes = final.appends.flatMap((append) => {
        const row = rows.get(append.leadKey);
        if (row === undefined) return [];
        const outcome = finalOutcomes.get(append.leadKey);
        return appendedRowChanges({
          row,
          values: append.values,
          header: args.read.grid[0] ?? [],
          layout: args.read.layout,
          identity: { phone: outcome?.phone ?? null, email: outcome?.email ?? null },
          leadKey: append.leadKey,
          leadName: append.update.name,
          cause: { ...leadCause(outcome, append.leadKey, append.update), action: "added" },
        });
      });
      await journal.record(changes);
    },

    /** The documents Sanity accepted, and those archived. */
    published: async (published: readonly LeadDocumentUpdate[], retired: readonly string[]) => {
      const changes: DocumentChange[] = published.map((doc) => {
        const outcome = outcomes.get(doc.leadKey);
        const cause = outcome
          ? causeOfLead(causes, doc.leadKey, outcome.bookings)
          : {
              source: "poll" as const,
              sourceRef: null,
              prefix: "an earlier run (Sanity was unreachable then)",
            };
        const fields = doc.fields;
        return {
          kind: "document",
          action: "publish",
          documentId: doc.id,
          row: fields.sheetRow,
          leadKey: doc.leadKey,
          leadName: `${fields.firstName} ${fields.lastName}`.trim(),
          after: `${fields.contactStatus || "no status"}${fields.callBooked ? `, call ${fields.callBooked}` : ", no call"}`,
          source: cause.source,
          sourceRef: cause.sourceRef,
          bookingUid: outcome?.ledger?.bookingUid ?? null,
          reason: `${cause.prefix}: the lead's bookings or status changed`,
        };
      });
      for (const id of retired) {
        changes.push({
          kind: "document",
          action: "retire",
          documentId: id,
          row: null,
          leadKey: null,
          leadName: "",
          after: "archived",
          source: causes.source === "webhook-events" ? "webhook" : "poll",
          sourceRef: null,
          bookingUid: null,
          reason: "the lead's phone or email was edited, so its bookings moved to a new document",
        });
      }
      await journal.record(changes);
    },
  };
}

/** A map made from `entries` the first time it is read. */
function lazyMap<K, V>(entries: () => Iterable<readonly [K, V]>): Pick<Map<K, V>, "get"> {
  let map: Map<K, V> | null = null;
  return {
    get: (key) => {
      map ??= new Map(entries());
      return map.get(key);
    },
  };
}
