import type { PhoneLocation, SeedBooking } from "../sandboxes/calcom/index.ts";
import { createSeededRandom, type SeededRandom } from "../sandboxes/calcom/random.ts";
import { demoSchedule, freeSlots, scheduledTimes } from "./demo-schedule.ts";
import { DEMO_ROWS, DEMO_SEED, type DemoLead } from "./seed-leads.ts";

/** What a demo booking is there to show. */
export type DemoBookingRole =
  | "mark"
  | "rescheduled-from"
  | "rescheduled-to"
  | "cancelled"
  | "two-calls"
  | "unknown-booker"
  | "email-only"
  | "protected"
  | "past"
  | "matched";

/** A booking as Cal.com holds it when the demo starts, and the sheet row it belongs to (null: none). */
export type DemoBooking = {
  role: DemoBookingRole;
  row: number | null;
  seed: SeedBooking & { uid: string; start: Date };
};

/** How many ordinary matched bookings join the scenarios (about 30 bookings in all). */
export const MATCHED_BOOKINGS = 20;

/** The sample booker who is in no row of the sheet ("New Customer"). */
export const UNKNOWN_BOOKER = {
  name: "New Customer",
  email: "new@example.com",
  phone: "+447700999999",
} as const;

/**
 * The bookings Cal.com holds when the demo starts, relative to `now`. The reschedule and the cancellation
 * happened before: the sheet still shows the old state, so the first sync has something to put right.
 * Meant for the sandbox's `addBooking`, which stores them as they are and fires no webhooks.
 */
export function buildDemoBookings(args: {
  now: Date;
  timeZone: string;
  leads: readonly DemoLead[];
}): DemoBooking[] {
  const { now, leads } = args;
  const random = createSeededRandom(DEMO_SEED + 1);
  const schedule = demoSchedule(now, args.timeZone);
  const uid = () => random.token(22);
  const ago = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
  const leadAt = (row: number) => {
    const lead = leads.find((candidate) => candidate.row === row);
    if (!lead) throw new Error(`The demo sheet has no lead in row ${row}`);
    return lead;
  };
  const bookerOf = (lead: DemoLead) => ({
    name: `${lead.firstName} ${lead.lastName}`,
    email: (lead.email ?? `${lead.firstName}.${lead.row}@example.com`).toLowerCase(),
    phone: lead.phone?.e164 ?? null,
  });
  const forLead = (
    role: DemoBookingRole,
    row: number,
    start: Date,
    extra: Partial<Omit<SeedBooking, "start">> = {},
  ): DemoBooking => ({
    role,
    row,
    seed: {
      uid: uid(),
      status: "accepted",
      start,
      attendee: bookerOf(leadAt(row)),
      phoneIn: "attendees",
      createdAt: ago(24 + Math.floor(random.next() * 120)),
      ...extra,
    },
  });

  const movedFrom = uid();
  const movedTo = uid();
  const bookings: DemoBooking[] = [
    forLead("mark", DEMO_ROWS.mark, schedule.mark),
    forLead("rescheduled-from", DEMO_ROWS.rescheduled, schedule.rescheduledFrom, {
      uid: movedFrom,
      status: "cancelled",
      rescheduledToUid: movedTo,
      reschedulingReason: "Clashes with the school run",
      updatedAt: ago(3),
    }),
    forLead("rescheduled-to", DEMO_ROWS.rescheduled, schedule.rescheduledTo, {
      uid: movedTo,
      rescheduledFromUid: movedFrom,
      reschedulingReason: "Clashes with the school run",
      createdAt: ago(3),
    }),
    forLead("cancelled", DEMO_ROWS.cancelled, schedule.cancelled, {
      status: "cancelled",
      cancellationReason: "Found another installer",
      updatedAt: ago(5),
    }),
    forLead("two-calls", DEMO_ROWS.twoCalls, schedule.twoCalls[0]),
    forLead("two-calls", DEMO_ROWS.twoCalls, schedule.twoCalls[1], {
      phoneIn: "both",
      notes: "A follow-up with my partner there too",
    }),
    {
      role: "unknown-booker",
      row: null,
      seed: {
        uid: uid(),
        status: "accepted",
        start: schedule.unknownBooker,
        attendee: { ...UNKNOWN_BOOKER },
        phoneIn: "attendees",
        createdAt: ago(20),
      },
    },
    forLead("email-only", DEMO_ROWS.emailOnly, schedule.emailOnly, {
      // Booked from a page with no phone field, typing the address with capitals.
      attendee: { name: "Callum Reid", email: "Callum.Reid@Example.org", phone: null },
      phoneIn: "none",
    }),
    forLead("protected", DEMO_ROWS.protectedLead, schedule.protectedLead, {
      phoneIn: "bookingFieldsResponses",
    }),
    forLead("past", DEMO_ROWS.past[0], schedule.past[0], { createdAt: ago(24 * 6) }),
    forLead("past", DEMO_ROWS.past[1], schedule.past[1], { createdAt: ago(24 * 7) }),
  ];

  const slots = freeSlots({ now, timeZone: args.timeZone, days: 7, taken: scheduledTimes(schedule) });
  for (const lead of pickMatchedLeads(random, leads)) {
    const start = takeRandom(random, slots);
    if (!start) break;
    bookings.push(forLead("matched", lead.row, start, { phoneIn: phoneLocation(random) }));
  }
  return bookings;
}

/** Leads who booked on their own: mostly HOT and WARM, a few from the colder lists, each with a phone. */
function pickMatchedLeads(random: SeededRandom, leads: readonly DemoLead[]): DemoLead[] {
  const scenarioRows = new Set<number>([
    DEMO_ROWS.mark,
    DEMO_ROWS.rescheduled,
    DEMO_ROWS.cancelled,
    DEMO_ROWS.twoCalls,
    DEMO_ROWS.emailOnly,
    DEMO_ROWS.protectedLead,
    ...DEMO_ROWS.past,
  ]);
  const open = leads.filter((lead) => lead.phone && !scenarioRows.has(lead.row));
  const warm = open.filter((lead) => lead.status === "HOT" || lead.status === "WARM");
  const cold = open.filter((lead) => lead.status === "NEW" || lead.status === "COLD");
  const picked: DemoLead[] = [];
  for (let i = 0; i < 14; i++) {
    const lead = takeRandom(random, warm);
    if (lead) picked.push(lead);
  }
  while (picked.length < MATCHED_BOOKINGS) {
    const lead = takeRandom(random, cold);
    if (!lead) break;
    picked.push(lead);
  }
  return picked.sort((a, b) => a.row - b.row);
}

/** Where Cal.com keeps the phone varies with the booking page's fields. */
function phoneLocation(random: SeededRandom): PhoneLocation {
  const roll = random.next();
  return roll < 0.6 ? "attendees" : roll < 0.85 ? "bookingFieldsResponses" : "both";
}

function takeRandom<T>(random: SeededRandom, items: T[]): T | undefined {
  if (items.length === 0) return undefined;
  const index = Math.floor(random.next() * items.length);
  return items.splice(index, 1)[0];
}
