import type { ApiBookingStatus } from "../../calcom/types.ts";
import { type BookerDetails, newBookingRecord } from "./booking-record.ts";
import type { SandboxEventType, SandboxHost } from "./event-types.ts";
import type { SeededRandom } from "./random.ts";
import type { BookingStore, PhoneLocation, StoredBooking } from "./store.ts";

/** Anything about a booking a test may want to set directly; the rest is filled in plausibly. */
export type SeedBooking = {
  uid?: string;
  status?: ApiBookingStatus;
  start?: string | Date;
  /** Default: start plus the event type's length. */
  end?: string | Date;
  eventTypeId?: number;
  attendee?: {
    name?: string;
    email?: string;
    phone?: string | null;
    timeZone?: string;
    firstName?: string;
    lastName?: string;
  };
  /** Where the phone is kept; default `attendees` when there is a phone. */
  phoneIn?: PhoneLocation;
  notes?: string;
  guests?: string[];
  metadata?: Record<string, string>;
  createdAt?: string | Date;
  updatedAt?: string | Date;
  rescheduledFromUid?: string | null;
  rescheduledToUid?: string | null;
  reschedulingReason?: string | null;
  cancellationReason?: string | null;
  recurringEventId?: string | null;
};

const FIRST_NAMES = [
  "Ada",
  "Grace",
  "Alan",
  "Mary",
  "Tim",
  "Katherine",
  "Linus",
  "Margaret",
  "Dennis",
  "Frances",
];
const LAST_NAMES = [
  "Lovelace",
  "Hopper",
  "Turing",
  "Jackson",
  "Berners-Lee",
  "Johnson",
  "Torvalds",
  "Hamilton",
];

/** A made-up booker: a name from the seeded list, an example.com address to match. */
export function randomBooker(random: SeededRandom): {
  name: string;
  email: string;
  firstName: string;
  lastName: string;
} {
  const firstName = random.pick(FIRST_NAMES);
  const lastName = random.pick(LAST_NAMES);
  const email = `${firstName}.${lastName}.${random.token(4, "0123456789")}@example.com`.toLowerCase();
  return { name: `${firstName} ${lastName}`, email, firstName, lastName };
}

/** A sandbox booking straight into the store, no validation and no webhooks: the world as a test needs it. */
export function seedBooking(
  seed: SeedBooking,
  context: { store: BookingStore; host: SandboxHost; random: SeededRandom; now: () => Date },
): StoredBooking {
  const { store } = context;
  const eventType = seedEventType(store, seed.eventTypeId);
  const start = seed.start ? new Date(seed.start) : nextHour(context.now(), 24);
  const end = seed.end ? new Date(seed.end) : new Date(start.getTime() + eventType.lengthInMinutes * 60_000);
  const made = randomBooker(context.random);
  const given = seed.attendee ?? {};
  const name =
    given.name ?? (given.firstName ? `${given.firstName} ${given.lastName ?? ""}`.trim() : made.name);
  const phone = given.phone ?? null;
  const booker: BookerDetails = {
    name,
    email: given.email ?? made.email,
    timeZone: given.timeZone ?? "Europe/London",
    phone,
    ...(given.firstName ? { firstName: given.firstName, lastName: given.lastName ?? "" } : {}),
  };
  const createdAt = iso(seed.createdAt) ?? store.timestamp();
  const status = seed.status ?? "accepted";

  return store.insert(
    newBookingRecord({
      id: store.newId(),
      uid: seed.uid ?? store.newUid(),
      eventType,
      host: context.host,
      start,
      end,
      status,
      booker,
      phoneIn: seed.phoneIn ?? (phone ? "attendees" : "none"),
      ...(seed.notes ? { notes: seed.notes } : {}),
      ...(seed.guests ? { guests: seed.guests } : {}),
      ...(seed.metadata ? { metadata: seed.metadata } : {}),
      createdAt,
      updatedAt: iso(seed.updatedAt) ?? createdAt,
      rescheduledFromUid: seed.rescheduledFromUid ?? null,
      rescheduledToUid: seed.rescheduledToUid ?? null,
      reschedulingReason: seed.reschedulingReason ?? null,
      cancellationReason: status === "cancelled" ? (seed.cancellationReason ?? "Seeded as cancelled") : null,
      cancelledByEmail: status === "cancelled" ? context.host.email : null,
      recurringEventId: seed.recurringEventId ?? null,
    }),
  );
}

function seedEventType(store: BookingStore, id: number | undefined): SandboxEventType {
  const eventType = id === undefined ? store.eventTypes()[0] : store.eventType(id);
  if (!eventType)
    throw new Error(`The sandbox has no event type ${id ?? "at all"}; pass it in options.eventTypes`);
  return eventType;
}

/** The top of the hour `hours` from now: a plausible free slot. */
export function nextHour(now: Date, hours: number): Date {
  const date = new Date(now.getTime() + hours * 3_600_000);
  date.setUTCMinutes(0, 0, 0);
  return date;
}

function iso(value: string | Date | undefined): string | undefined {
  return value === undefined ? undefined : new Date(value).toISOString();
}
