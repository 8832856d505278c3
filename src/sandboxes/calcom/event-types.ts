/** An event type the sandbox can book. */
export type SandboxEventType = {
  id: number;
  slug: string;
  title: string;
  lengthInMinutes: number;
  /** Bookings start `pending` and fire BOOKING_REQUESTED until the host confirms. */
  requiresConfirmation?: boolean;
  /**
   * Where the meeting happens: a Cal Video link; a phone call to the booker ("Attendee phone number",
   * internally `phone`), where Cal.com stores the booker's number as the booking's `location`; or a call to
   * the host ("Organizer phone number", `userPhone`), where every booking's `location` is `hostPhone`.
   * The location answer keeps which: `{value: "phone", optionValue: <number>}` or `{value: "userPhone"}`.
   */
  location?: "cal-video" | "attendee-phone" | "organizer-phone";
  /** The host's number for an `organizer-phone` event type. */
  hostPhone?: string;
  /** A seated event: this many people can book the same slot, each holding a seat of one booking. */
  seatsPerTimeSlot?: number;
};

/** The event type calsync was built for. */
export const DEFAULT_EVENT_TYPES: readonly SandboxEventType[] = [
  { id: 3721996, slug: "introduction-call", title: "Introduction Call", lengthInMinutes: 15 },
];

/** The owner of the API key and host of every sandbox booking. */
export type SandboxHost = { id: number; name: string; email: string; username: string; timeZone: string };

export const DEFAULT_HOST: SandboxHost = {
  id: 1546495,
  name: "Sandbox Host",
  email: "host@example.com",
  username: "sandbox-host",
  timeZone: "Europe/London",
};
