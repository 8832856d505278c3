/** An event type the sandbox can book. */
export type SandboxEventType = {
  id: number;
  slug: string;
  title: string;
  lengthInMinutes: number;
  /** Bookings start `pending` and fire BOOKING_REQUESTED until the host confirms. */
  requiresConfirmation?: boolean;
  /**
   * Where the meeting happens: a Cal Video link, or a phone call to the booker, in which case Cal.com
   * stores the booker's number as the booking's `location`.
   */
  location?: "cal-video" | "attendee-phone";
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
