import type { BookingStatus } from "./booking.ts";

/**
 * The dashboard's lists, decided from lead documents as Sanity holds them. Pure: the documents and the
 * clock are arguments. Fields may be missing on documents written by older tools, hence the optionals.
 */
export type DashboardBooking = {
  uid: string;
  start: string | null;
  end: string | null;
  status: BookingStatus;
  eventTypeId?: number | null;
  rescheduledFromUid?: string | null;
  rescheduledToUid?: string | null;
};

export type DashboardLead = {
  id: string;
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  email?: string | null;
  contactStatus?: string | null;
  sheetRow?: number | null;
  archived?: boolean | null;
  bookings?: DashboardBooking[] | null;
};

export type UpcomingCall = { lead: DashboardLead; booking: DashboardBooking };

const DAY_MS = 86_400_000;

/** A booking that is still going ahead: accepted or awaiting the host, and not replaced by a reschedule. */
function isLive(booking: DashboardBooking): boolean {
  return (booking.status === "accepted" || booking.status === "pending") && !booking.rescheduledToUid;
}

/** A live booking that has not ended yet (a call in progress still shows) and starts within `days`. */
function isUpcoming(booking: DashboardBooking, now: Date, days: number): boolean {
  if (!isLive(booking) || !booking.start) return false;
  const start = Date.parse(booking.start);
  const end = booking.end ? Date.parse(booking.end) : start;
  return end > now.getTime() && start < now.getTime() + days * DAY_MS;
}

/** Every call of the next `days` days (default 7), earliest first; a lead with two calls shows twice. */
export function upcomingCalls(leads: readonly DashboardLead[], now: Date, days = 7): UpcomingCall[] {
  const calls: UpcomingCall[] = [];
  for (const lead of leads) {
    if (lead.archived) continue;
    for (const booking of lead.bookings ?? []) {
      if (isUpcoming(booking, now, days)) calls.push({ lead, booking });
    }
  }
  return calls.sort(
    (a, b) =>
      (a.booking.start ?? "").localeCompare(b.booking.start ?? "") ||
      a.booking.uid.localeCompare(b.booking.uid),
  );
}

/** The lead's next call, if one is ahead (however far). */
export function nextCall(lead: DashboardLead, now: Date): DashboardBooking | null {
  return upcomingCalls([{ ...lead, archived: false }], now, Number.POSITIVE_INFINITY)[0]?.booking ?? null;
}

/** Leads whose status is one of the hot ones (compared case-insensitively), by name. */
export function hotLeads(leads: readonly DashboardLead[], hotStatuses: readonly string[]): DashboardLead[] {
  const hot = new Set(hotStatuses.map((status) => status.toUpperCase()));
  return leads
    .filter((lead) => !lead.archived && hot.has((lead.contactStatus ?? "").trim().toUpperCase()))
    .sort((a, b) => displayName(a).localeCompare(displayName(b)) || a.id.localeCompare(b.id));
}

export type BookingKind =
  | "upcoming"
  | "awaiting confirmation"
  | "past"
  | "cancelled"
  | "rejected"
  | "rescheduled";

/** Every booking of a lead with what it is now, newest first: the lead page's history. */
export function classifyBookings(
  lead: DashboardLead,
  now: Date,
): { booking: DashboardBooking; kind: BookingKind }[] {
  return [...(lead.bookings ?? [])]
    .sort((a, b) => (b.start ?? "").localeCompare(a.start ?? "") || a.uid.localeCompare(b.uid))
    .map((booking) => ({ booking, kind: kindOf(booking, now) }));
}

function kindOf(booking: DashboardBooking, now: Date): BookingKind {
  if (booking.rescheduledToUid) return "rescheduled";
  if (booking.status === "cancelled") return "cancelled";
  if (booking.status === "rejected") return "rejected";
  if (isUpcoming(booking, now, Number.POSITIVE_INFINITY)) {
    return booking.status === "pending" ? "awaiting confirmation" : "upcoming";
  }
  return "past";
}

export function displayName(lead: Pick<DashboardLead, "firstName" | "lastName">): string {
  return `${lead.firstName ?? ""} ${lead.lastName ?? ""}`.trim();
}
