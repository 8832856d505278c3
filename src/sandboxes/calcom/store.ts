import type { ApiBookingStatus } from "../../calcom/types.ts";
import type { SandboxEventType } from "./event-types.ts";
import type { SeededRandom } from "./random.ts";

/**
 * Where a booking keeps the booker's phone, as live bookings differ:
 * - `attendees`: `attendees[].phoneNumber` only (booked through the API with `attendee.phoneNumber`);
 * - `bookingFieldsResponses`: the `attendeePhoneNumber` form field only;
 * - `both`: the form field, copied onto the attendee (a booking page with a phone field);
 * - `location`: a phone-call event, where the number is the booking's `location`;
 * - `none`: no phone at all.
 */
export type PhoneLocation = "attendees" | "bookingFieldsResponses" | "both" | "location" | "none";

export type StoredAttendee = {
  name: string;
  email: string;
  timeZone: string;
  language: string;
  phoneNumber: string | null;
  absent: boolean;
  /**
   * A seat of a seated event (BookingSeat): its `referenceUid` and the seat holder's own form answers.
   * Cal.com keeps a seated booking's `responses` empty (NULL): every seat has its own.
   */
  seat?: { seatUid: string; responses: Record<string, unknown> } | undefined;
};

/** A booking as the sandbox keeps it: close to Cal.com's own Booking row, in API v2's vocabulary. */
export type StoredBooking = {
  id: number;
  uid: string;
  eventTypeId: number;
  title: string;
  description: string;
  status: ApiBookingStatus;
  /** ISO 8601 UTC with milliseconds. */
  start: string;
  end: string;
  attendees: StoredAttendee[];
  guests: string[];
  /** The booking form's answers (API v2's `bookingFieldsResponses`). */
  responses: Record<string, unknown>;
  /** The booking's location value: `integrations:daily`, a URL, or the booker's phone. */
  location: string;
  /** Cal Video's link, which API v2 shows as `location` and `meetingUrl`. */
  videoCallUrl: string | null;
  metadata: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  cancellationReason: string | null;
  cancelledByEmail: string | null;
  rejectionReason: string | null;
  rescheduledFromUid: string | null;
  rescheduledToUid: string | null;
  reschedulingReason: string | null;
  rescheduledByEmail: string | null;
  recurringEventId: string | null;
  icsUid: string;
  phoneIn: PhoneLocation;
};

export type BookingStore = {
  eventType(id: number): SandboxEventType | undefined;
  eventTypes(): SandboxEventType[];
  newId(): number;
  newUid(): string;
  insert(booking: StoredBooking): StoredBooking;
  get(uid: string): StoredBooking | undefined;
  all(): StoredBooking[];
  /** Applies a change and bumps `updatedAt`, as every change in Cal.com does. */
  update(uid: string, change: Partial<StoredBooking>): StoredBooking;
  /** The clock's time as ISO text. */
  timestamp(): string;
  /**
   * Bookings this API key can no longer see (handed to another host of a team, say): lists leave them out
   * and every request for them answers 404, as for a booking that does not exist.
   */
  setHidden(uid: string, hidden: boolean): void;
  isHidden(uid: string): boolean;
};

const FIRST_BOOKING_ID = 9_000_001;

export function createBookingStore(options: {
  now: () => Date;
  random: SeededRandom;
  eventTypes: readonly SandboxEventType[];
}): BookingStore {
  const bookings = new Map<string, StoredBooking>();
  const hidden = new Set<string>();
  const eventTypes = new Map(options.eventTypes.map((eventType) => [eventType.id, { ...eventType }]));
  let nextId = FIRST_BOOKING_ID;

  const newUid = (): string => {
    for (;;) {
      const uid = options.random.token(22);
      if (!bookings.has(uid)) return uid;
    }
  };

  return {
    eventType: (id) => eventTypes.get(id),
    eventTypes: () => [...eventTypes.values()],
    newId: () => nextId++,
    newUid,
    insert(booking) {
      if (bookings.has(booking.uid)) throw new Error(`A booking with uid ${booking.uid} already exists`);
      bookings.set(booking.uid, booking);
      nextId = Math.max(nextId, booking.id + 1);
      return booking;
    },
    get: (uid) => bookings.get(uid),
    all: () => [...bookings.values()],
    update(uid, change) {
      const current = bookings.get(uid);
      if (!current) throw new Error(`No booking with uid ${uid}`);
      // With a frozen test clock two changes share a time; updatedAt must still move forward.
      const bumped = Math.max(options.now().getTime(), Date.parse(current.updatedAt) + 1);
      const updated = { ...current, ...change, updatedAt: new Date(bumped).toISOString() };
      bookings.set(uid, updated);
      return updated;
    },
    timestamp: () => options.now().toISOString(),
    setHidden(uid, isHidden) {
      if (isHidden) hidden.add(uid);
      else hidden.delete(uid);
    },
    isHidden: (uid) => hidden.has(uid),
  };
}
