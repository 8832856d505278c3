import type { CountryCode } from "libphonenumber-js";
import type { StoredBooking } from "./booking-merge.ts";
import { normalizeEmail } from "./email.ts";
import { type BookerOf, groupByPerson } from "./group-bookers.ts";
import { decideLead, isCurrent, isReplaced, isRescheduleOf, type LeadDecision } from "./lead-decision.ts";
import { leadKeyOf } from "./lead-identity.ts";
import { buildMatchIndex, type MatchIndex } from "./match-index.ts";
import { splitName } from "./names.ts";
import { normalizePhone } from "./phone.ts";
import type { SheetLayout } from "./sheet-layout.ts";
import { leadLookups, leadName, readSheetLeads, type SheetGrid, type SheetLead } from "./sheet-leads.ts";

export type SyncRules = {
  timeZone: string;
  region: CountryCode;
  statusBooked: string;
  statusCancelled: string;
  /** Written when the host asked the booker to pick another time (STATUS_RESCHEDULE_REQUESTED). */
  statusRescheduleRequested: string;
  protectedStatuses: readonly string[];
  autoAddUnknown: boolean;
};

/** What calsync last decided and wrote for a lead: the baseline that tells its own writes from people's edits. */
export type LeadLedgerEntry = {
  leadKey: string;
  row: number | null;
  decision: string;
  statusWritten: string | null;
  bookingWritten: string | null;
  bookingUid: string | null;
  /** The row's phone and email when calsync last wrote it: tells the same person after one of them is edited. */
  identity?: { phone: string | null; email: string | null } | undefined;
};

export type PlanInput = {
  grid: SheetGrid;
  /** The grid's leads, when the caller has read them already (reading normalizes every phone). */
  leads?: readonly SheetLead[];
  /** buildMatchIndex of `leads`, when the caller has built it already; used only together with `leads`. */
  index?: MatchIndex;
  layout: SheetLayout;
  bookings: readonly StoredBooking[];
  /** Booking uid → lead key, as earlier runs linked them. */
  links: ReadonlyMap<string, string>;
  ledger: ReadonlyMap<string, LeadLedgerEntry>;
  /** Bookings whose lead's identity changed so that they point at several rows: reported, never written. */
  doubtful?: ReadonlyMap<string, number[]>;
  now: Date;
  rules: SyncRules;
};

export type UpdateAction = "booked" | "rescheduled" | "cancelled" | "reschedule-requested" | "added";
export type RowUpdate = { row: number; name: string; bookingTime: string; action: UpdateAction };

/** Writes to one matched row: only the cells that change, and who the row must still be. */
export type CellWrite = {
  row: number;
  leadKey: string;
  identity: { phone: string | null; email: string | null };
  status?: string;
  booking?: string;
  update: RowUpdate;
};

export type RowAppend = { leadKey: string; values: string[]; update: Omit<RowUpdate, "row"> };

export type LeadOutcome = {
  leadKey: string;
  /** Null for a lead this run appends, until the append tells where it landed. */
  row: number | null;
  firstName: string;
  lastName: string;
  phone: string | null;
  email: string | null;
  /** The status and booking cells as they will read after this run's writes. */
  status: string;
  bookingText: string;
  nextBooking: StoredBooking | null;
  /** The host asked the booker for another time and no new call is booked yet. */
  waitingToRebook: boolean;
  bookings: StoredBooking[];
  /** What to record once the write has landed; null leaves the ledger as it is. */
  ledger: LeadLedgerEntry | null;
};

export type BookingReport = {
  uid: string;
  name: string;
  phone: string | null;
  email: string | null;
  start: string | null;
};
export type AmbiguousReport = BookingReport & { candidateRows: number[] };
export type PendingReport = BookingReport & { row: number | null };

export type SyncPlan = {
  writes: CellWrite[];
  appends: RowAppend[];
  leads: LeadOutcome[];
  links: Map<string, string>;
  unmatched: BookingReport[];
  ambiguous: AmbiguousReport[];
  pending: PendingReport[];
  matchesFound: number;
};

type Resolution =
  | { kind: "lead"; key: string }
  | { kind: "ambiguous"; rows: number[] }
  | { kind: "unmatched" };

/**
 * The plan made again after something it stood on changed: the sheet was read again (`grid`, perhaps a new
 * `layout` when columns moved), Cal.com
 * acted on sheet edits (`bookings`, `links`), or ledger entries were settled. A new grid has its leads read
 * afresh; every other input is kept.
 */
export function replan(
  input: PlanInput,
  changes: Partial<Pick<PlanInput, "grid" | "layout" | "bookings" | "links" | "ledger">>,
): { input: PlanInput; plan: SyncPlan } {
  const { leads: _leadsOfTheOldGrid, index: _indexOfTheOldGrid, ...rest } = input;
  const next: PlanInput = changes.grid ? { ...rest, ...changes } : { ...input, ...changes };
  return { input: next, plan: planBookingSync(next) };
}

/**
 * Decides every cell the run writes. Pure: the sheet as read, the bookings the ledger holds, what was
 * written before, and the clock all come in as arguments.
 */
export function planBookingSync(input: PlanInput): SyncPlan {
  const { rules, now } = input;
  const leads = input.leads ?? readSheetLeads(input.grid, input.layout, rules.region);
  const { byKey: leadsByKey, byRow: leadsByRow } = leadLookups(leads);
  const index = input.leads && input.index ? input.index : buildMatchIndex(leads);
  const bookingsByUid = new Map(input.bookings.map((booking) => [booking.uid, booking]));
  const resolve = memoizedResolver({ input, index, leadsByKey, leadsByRow, bookingsByUid });

  const plan: SyncPlan = {
    writes: [],
    appends: [],
    leads: [],
    links: new Map(),
    unmatched: [],
    ambiguous: [],
    pending: [],
    matchesFound: 0,
  };
  const bookingsOfLead = new Map<string, StoredBooking[]>();
  const unknownBookers: BookerOf<StoredBooking>[] = [];

  for (const booking of input.bookings) {
    const resolution = resolve(booking);
    const current = isCurrent(booking, now) && !isReplaced(booking);
    const reportable = current && (booking.status === "accepted" || booking.status === "pending");
    if (resolution.kind === "lead") {
      plan.links.set(booking.uid, resolution.key);
      pushTo(bookingsOfLead, resolution.key, booking);
      if (reportable) plan.matchesFound++;
      if (current && booking.status === "pending") {
        plan.pending.push({ ...report(booking), row: leadsByKey.get(resolution.key)?.row ?? null });
      }
      continue;
    }
    if (!reportable) continue;
    if (resolution.kind === "ambiguous") {
      plan.ambiguous.push({ ...report(booking), candidateRows: resolution.rows });
      continue;
    }
    const booker = bookerOf(booking, rules.region);
    if (booking.status === "pending") plan.pending.push({ ...report(booking), row: null });
    else if (rules.autoAddUnknown && (booker.phone || booker.email)) unknownBookers.push(booker);
    else plan.unmatched.push(report(booking));
  }

  for (const [key, bookings] of bookingsOfLead) {
    const lead = leadsByKey.get(key);
    if (lead) planLead({ plan, lead, bookings, input, bookingsByUid });
  }
  // One row per person: bookings that share a phone or an email are the same booker.
  for (const bookings of groupByPerson(unknownBookers)) planAppend({ plan, bookings, input });
  return plan;
}

function planLead(args: {
  plan: SyncPlan;
  lead: SheetLead;
  bookings: StoredBooking[];
  input: PlanInput;
  bookingsByUid: ReadonlyMap<string, StoredBooking>;
}): void {
  const { plan, lead, bookings, input } = args;
  const key = lead.key as string;
  const decision = decideLead(bookings, input.now, input.rules.timeZone);
  const previous = input.ledger.get(key) ?? null;
  const outcome: LeadOutcome = {
    leadKey: key,
    row: lead.row,
    firstName: lead.firstName,
    lastName: lead.lastName,
    phone: lead.phone,
    email: lead.email,
    status: lead.status,
    bookingText: lead.bookingText,
    nextBooking: decision.kind === "booked" ? decision.booking : null,
    waitingToRebook: decision.kind === "rescheduleRequested",
    bookings: sortByStart(bookings),
    ledger: previous
      ? { ...previous, row: lead.row, identity: { phone: lead.phone, email: lead.email } }
      : null,
  };
  plan.leads.push(outcome);
  // Decided the same before: whatever the row shows now is a person's doing, and is theirs to keep.
  if (decision.kind === "none" || decision.key === previous?.decision) return;
  // The call the row showed took place; a cancelled booking elsewhere in the lead's history says nothing
  // about the row now (people have moved it on since): past calls are left as they are.
  if (
    (decision.kind === "cancelled" || decision.kind === "rescheduleRequested") &&
    previous?.decision.startsWith("booked:") &&
    previous.bookingUid
  ) {
    const shown = args.bookingsByUid.get(previous.bookingUid);
    if (shown && shown.status === "accepted" && !isReplaced(shown)) return;
  }

  const isProtected = input.rules.protectedStatuses.includes(lead.status.toUpperCase());
  const desiredStatus = isProtected
    ? null
    : decision.kind === "booked"
      ? input.rules.statusBooked
      : decision.kind === "rescheduleRequested"
        ? input.rules.statusRescheduleRequested
        : input.rules.statusCancelled;
  const desiredBooking = decision.kind === "booked" ? decision.bookingText : "";
  const write: CellWrite = {
    row: lead.row,
    leadKey: key,
    identity: { phone: lead.phone, email: lead.email },
    update: {
      row: lead.row,
      name: leadName(lead),
      bookingTime: desiredBooking,
      action: actionFor(decision, lead, previous, args.bookingsByUid),
    },
  };
  if (desiredStatus !== null && lead.status !== desiredStatus) write.status = desiredStatus;
  if (lead.bookingText !== desiredBooking) write.booking = desiredBooking;
  if (write.status !== undefined || write.booking !== undefined) plan.writes.push(write);

  outcome.status = write.status ?? lead.status;
  outcome.bookingText = desiredBooking;
  outcome.ledger = {
    leadKey: key,
    row: lead.row,
    decision: decision.key,
    statusWritten: outcome.status,
    bookingWritten: desiredBooking,
    bookingUid: decision.booking.uid,
    identity: { phone: lead.phone, email: lead.email },
  };
}

function planAppend(args: { plan: SyncPlan; bookings: StoredBooking[]; input: PlanInput }): void {
  const { plan, bookings, input } = args;
  const decision = decideLead(bookings, input.now, input.rules.timeZone);
  if (decision.kind !== "booked") return;
  const booker = decision.booking.attendee;
  const { firstName, lastName } = splitName(booker.name, booker);
  // The row shows the booking it is for; a phone or email only another booking of this person gave fills in.
  const identities = [decision.booking, ...bookings].map((booking) => bookerOf(booking, input.rules.region));
  const phone = identities.find((identity) => identity.phone)?.phone ?? null;
  const email = identities.find((identity) => identity.email)?.email ?? null;
  const key = leadKeyOf({ phone, email });
  if (!key) return;
  const { layout } = input;
  const values = new Array<string>(layout.width).fill("");
  values[layout.status] = input.rules.statusBooked;
  values[layout.firstName] = firstName;
  values[layout.lastName] = lastName;
  values[layout.phone] = phone ?? "";
  values[layout.email] = email ?? "";
  values[layout.booking] = decision.bookingText;
  for (const booking of bookings) plan.links.set(booking.uid, key);
  plan.appends.push({
    leadKey: key,
    values,
    update: { name: `${firstName} ${lastName}`.trim(), bookingTime: decision.bookingText, action: "added" },
  });
  plan.leads.push({
    leadKey: key,
    row: null,
    firstName,
    lastName,
    phone,
    email,
    status: input.rules.statusBooked,
    bookingText: decision.bookingText,
    nextBooking: decision.booking,
    waitingToRebook: false,
    bookings: sortByStart(bookings),
    ledger: {
      leadKey: key,
      row: null,
      decision: decision.key,
      statusWritten: input.rules.statusBooked,
      bookingWritten: decision.bookingText,
      bookingUid: decision.booking.uid,
      identity: { phone, email },
    },
  });
}

function actionFor(
  decision: Exclude<LeadDecision, { kind: "none" }>,
  lead: SheetLead,
  previous: LeadLedgerEntry | null,
  bookingsByUid: ReadonlyMap<string, StoredBooking>,
): UpdateAction {
  if (decision.kind === "cancelled") return "cancelled";
  if (decision.kind === "rescheduleRequested") return "reschedule-requested";
  const shownUid = previous?.decision.startsWith("booked:") ? previous.bookingUid : null;
  if (shownUid && shownUid !== decision.booking.uid) {
    if (isRescheduleOf(decision.booking, shownUid, bookingsByUid)) return "rescheduled";
    if (bookingsByUid.get(shownUid)?.status === "cancelled") return "cancelled";
  }
  if (!previous && decision.booking.rescheduledFromUid && lead.bookingText !== "") return "rescheduled";
  return "booked";
}

function memoizedResolver(ctx: {
  input: PlanInput;
  index: ReturnType<typeof buildMatchIndex>;
  leadsByKey: ReadonlyMap<string, SheetLead>;
  leadsByRow: ReadonlyMap<number, SheetLead>;
  bookingsByUid: ReadonlyMap<string, StoredBooking>;
}): (booking: StoredBooking) => Resolution {
  const memo = new Map<string, Resolution>();
  const resolve = (booking: StoredBooking, depth: number): Resolution => {
    const cached = memo.get(booking.uid);
    if (cached) return cached;
    const result = resolveUncached(booking, depth);
    memo.set(booking.uid, result);
    return result;
  };
  const resolveUncached = (booking: StoredBooking, depth: number): Resolution => {
    const doubt = ctx.input.doubtful?.get(booking.uid);
    if (doubt) return { kind: "ambiguous", rows: doubt };
    // A booking keeps the lead it was linked to while that lead is in the sheet (rows may have moved).
    const linked = ctx.input.links.get(booking.uid);
    if (linked && ctx.leadsByKey.has(linked)) return { kind: "lead", key: linked };
    // A reschedule belongs to the row of the booking it replaced, whoever typed the new booking form.
    const predecessor = booking.rescheduledFromUid
      ? ctx.bookingsByUid.get(booking.rescheduledFromUid)
      : undefined;
    if (predecessor && depth < 50) {
      const inherited = resolve(predecessor, depth + 1);
      if (inherited.kind === "lead") return inherited;
    } else if (booking.rescheduledFromUid) {
      const inheritedKey = ctx.input.links.get(booking.rescheduledFromUid);
      if (inheritedKey && ctx.leadsByKey.has(inheritedKey)) return { kind: "lead", key: inheritedKey };
    }
    const email = normalizeEmail(booking.attendee.email);
    const match = ctx.index.match({
      phone: normalizePhone(booking.attendee.phone, ctx.input.rules.region),
      email,
    });
    if (match.kind === "unmatched" && booking.attendee.locationPhone) {
      // A location number that may be the booker's (see withBookerPhones): only a row it names that does not
      // say otherwise by email.
      const weak = ctx.index.match({
        phone: normalizePhone(booking.attendee.locationPhone, ctx.input.rules.region),
        email: null,
      });
      const rowEmail = weak.kind === "matched" ? ctx.leadsByRow.get(weak.row)?.email : undefined;
      if (weak.kind === "matched" && (rowEmail === null || rowEmail === email)) {
        const key = ctx.leadsByRow.get(weak.row)?.key;
        if (key) return { kind: "lead", key };
      }
    }
    switch (match.kind) {
      case "matched": {
        const key = ctx.leadsByRow.get(match.row)?.key;
        return key ? { kind: "lead", key } : { kind: "ambiguous", rows: [match.row] };
      }
      case "ambiguous":
        return { kind: "ambiguous", rows: match.candidateRows };
      case "unmatched":
        return { kind: "unmatched" };
    }
  };
  return (booking) => resolve(booking, 0);
}

function bookerOf(booking: StoredBooking, region: CountryCode): BookerOf<StoredBooking> {
  return {
    item: booking,
    phone: normalizePhone(booking.attendee.phone, region),
    email: normalizeEmail(booking.attendee.email),
  };
}

function report(booking: StoredBooking): BookingReport {
  return {
    uid: booking.uid,
    name: booking.attendee.name,
    phone: booking.attendee.phone,
    email: booking.attendee.email,
    start: booking.start,
  };
}

function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function sortByStart(bookings: StoredBooking[]): StoredBooking[] {
  return [...bookings].sort((a, b) => (a.start ?? "").localeCompare(b.start ?? ""));
}
