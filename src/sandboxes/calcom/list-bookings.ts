import { BOOKING_LIST_STATUSES, type BookingListStatus } from "../../calcom/types.ts";
import { err, ok, type Result } from "../../core/result.ts";
import { parseIsoInstant } from "./booking-input.ts";
import { type ApiFailure, invalidProperty, type ValidationError, validationFailure } from "./error-bodies.ts";
import type { StoredBooking } from "./store.ts";

/**
 * `GET /v2/bookings`: its query validated as GetBookingsInput_2024_08_13 validates it
 * (packages/platform/types/bookings/2024-08-13/inputs/get-bookings.input.ts), the status words filtered
 * as Cal.com's bookings handler does, and the page described as apps/api/v2/src/lib/pagination does.
 */

type SortOrder = "asc" | "desc";
type Instant = number;

export type ListQuery = {
  statuses: BookingListStatus[];
  eventTypeIds: number[];
  attendeeEmail: string | null;
  attendeeName: string | null;
  bookingUid: string | null;
  afterStart: Instant | null;
  beforeEnd: Instant | null;
  afterCreatedAt: Instant | null;
  beforeCreatedAt: Instant | null;
  afterUpdatedAt: Instant | null;
  beforeUpdatedAt: Instant | null;
  sorts: { field: "start" | "end" | "createdAt" | "updatedAt"; order: SortOrder }[];
  take: number;
  skip: number;
};

export const DEFAULT_TAKE = 100;
export const MAX_TAKE = 250;

const DATE_FILTERS = [
  ["afterStart", "fromDate"],
  ["beforeEnd", "toDate"],
  ["afterCreatedAt", "fromDate"],
  ["beforeCreatedAt", "toDate"],
  ["afterUpdatedAt", "fromDate"],
  ["beforeUpdatedAt", "toDate"],
] as const;

const SORTS = [
  ["sortStart", "start", "SortStart"],
  ["sortEnd", "end", "SortEnd"],
  ["sortCreated", "createdAt", "SortCreated"],
  // The DTO reuses SortCreated's message for sortUpdatedAt.
  ["sortUpdatedAt", "updatedAt", "SortCreated"],
] as const;

/** `query` holds each parameter's values joined by commas (repeated parameters arrive as lists). */
export function parseListQuery(query: Record<string, string>): Result<ListQuery, ApiFailure> {
  const errors: ValidationError[] = [];
  const target = { ...query } as Record<string, unknown>;
  const fail = (property: string, value: unknown, constraint: string, message: string) =>
    errors.push(invalidProperty(property, value, constraint, message, target));

  const statuses = splitList(query.status);
  if (query.status !== undefined) {
    target.status = statuses;
    if (statuses.length === 0) fail("status", statuses, "arrayNotEmpty", "status cannot be empty.");
    else if (!statuses.every(isListStatus)) {
      fail(
        "status",
        statuses,
        "isEnum",
        "Invalid status. Allowed are upcoming, recurring, past, cancelled, unconfirmed",
      );
    }
  }

  const eventTypeIds = [...splitList(query.eventTypeIds), ...splitList(query.eventTypeId)].map(Number);
  if (!eventTypeIds.every(Number.isInteger)) {
    fail(
      "eventTypeIds",
      query.eventTypeIds ?? query.eventTypeId,
      "isNumber",
      "each value in eventTypeIds must be a number conforming to the specified constraints",
    );
  }

  const instants: Partial<Record<(typeof DATE_FILTERS)[number][0], Instant>> = {};
  for (const [name, messageName] of DATE_FILTERS) {
    const value = query[name];
    if (value === undefined) continue;
    const date = parseIsoInstant(value);
    if (date) instants[name] = date.getTime();
    else fail(name, value, "isIso8601", `${messageName} must be a valid ISO 8601 date.`);
  }

  const sorts: ListQuery["sorts"] = [];
  for (const [name, field, label] of SORTS) {
    const value = query[name];
    if (value === undefined) continue;
    if (value === "asc" || value === "desc") sorts.push({ field, order: value });
    else fail(name, value, "isEnum", `${label} must be either "asc" or "desc".`);
  }

  const take = integerParameter(query.take, DEFAULT_TAKE);
  if (take === null)
    fail("take", query.take, "isNumber", "take must be a number conforming to the specified constraints");
  else if (take < 1) fail("take", take, "min", "take must not be less than 1");
  else if (take > MAX_TAKE) fail("take", take, "max", `take must not be greater than ${MAX_TAKE}`);

  const skip = integerParameter(query.skip, 0);
  if (skip === null)
    fail("skip", query.skip, "isNumber", "skip must be a number conforming to the specified constraints");
  else if (skip < 0) fail("skip", skip, "min", "skip must not be less than 0");

  if (errors.length > 0 || take === null || skip === null) return err(validationFailure(errors));
  return ok({
    statuses: statuses.filter(isListStatus),
    eventTypeIds,
    attendeeEmail: query.attendeeEmail?.trim().replace(/\s+/g, "+") ?? null,
    attendeeName: query.attendeeName ?? null,
    bookingUid: query.bookingUid ?? null,
    afterStart: instants.afterStart ?? null,
    beforeEnd: instants.beforeEnd ?? null,
    afterCreatedAt: instants.afterCreatedAt ?? null,
    beforeCreatedAt: instants.beforeCreatedAt ?? null,
    afterUpdatedAt: instants.afterUpdatedAt ?? null,
    beforeUpdatedAt: instants.beforeUpdatedAt ?? null,
    sorts: sorts.length > 0 ? sorts : [{ field: "start", order: "asc" }],
    take,
    skip,
  });
}

/**
 * The status words as Cal.com's bookings handler reads them (several are OR-ed):
 * upcoming = not over yet and not cancelled/rejected (pending included, and an old booking that stays
 * `accepted` after a reschedule); recurring = upcoming and part of a series; past = over and not
 * cancelled/rejected; cancelled = cancelled or rejected; unconfirmed = not over yet and pending.
 */
export function matchesListStatus(booking: StoredBooking, status: BookingListStatus, now: Date): boolean {
  const end = Date.parse(booking.end);
  const live = booking.status !== "cancelled" && booking.status !== "rejected";
  switch (status) {
    case "upcoming":
      return end >= now.getTime() && live;
    case "recurring":
      return end >= now.getTime() && live && booking.recurringEventId !== null;
    case "past":
      return end <= now.getTime() && live;
    case "cancelled":
      return !live;
    case "unconfirmed":
      return end >= now.getTime() && booking.status === "pending";
  }
}

export function selectBookings(all: StoredBooking[], query: ListQuery, now: Date) {
  const within = (value: string, after: Instant | null, before: Instant | null) => {
    // Unbounded: no parse (a list of 10,000 bookings is filtered once per page asked for).
    if (after === null && before === null) return true;
    const time = Date.parse(value);
    return (after === null || time >= after) && (before === null || time <= before);
  };
  const matching = all.filter(
    (booking) =>
      (query.statuses.length === 0 ||
        query.statuses.some((status) => matchesListStatus(booking, status, now))) &&
      (query.eventTypeIds.length === 0 || query.eventTypeIds.includes(booking.eventTypeId)) &&
      (query.bookingUid === null || booking.uid === query.bookingUid) &&
      (query.attendeeEmail === null ||
        booking.attendees.some(
          (attendee) => attendee.email.toLowerCase() === query.attendeeEmail?.toLowerCase(),
        )) &&
      (query.attendeeName === null ||
        booking.attendees.some((attendee) => attendee.name === query.attendeeName)) &&
      within(booking.start, query.afterStart, null) &&
      within(booking.end, null, query.beforeEnd) &&
      within(booking.createdAt, query.afterCreatedAt, query.beforeCreatedAt) &&
      within(booking.updatedAt, query.afterUpdatedAt, query.beforeUpdatedAt),
  );
  // Each booking's sort times parsed once, not twice per comparison: a client reading 10,000 bookings asks
  // for 40 pages, each sorting all of them, and the parses were most of the sandbox's time per page.
  const keyed = matching.map((booking) => ({
    booking,
    times: query.sorts.map(({ field }) => Date.parse(booking[field])),
  }));
  keyed.sort((a, b) => {
    for (let i = 0; i < query.sorts.length; i++) {
      const difference = (a.times[i] as number) - (b.times[i] as number);
      if (difference !== 0) return query.sorts[i]?.order === "asc" ? difference : -difference;
    }
    return a.booking.id - b.booking.id;
  });
  return {
    items: keyed.slice(query.skip, query.skip + query.take).map(({ booking }) => booking),
    pagination: paginationFor(query.skip, query.take, matching.length),
  };
}

/**
 * apps/api/v2/src/lib/pagination/pagination.ts, with the counter named `returnedItems` as live answers
 * name it. An empty result has `currentPage: 0` and `totalPages: 0`.
 */
export function paginationFor(skip: number, take: number, totalItems: number) {
  const safeSkip = Math.min(Math.max(skip, 0), totalItems);
  const totalPages = take !== 0 ? Math.ceil(totalItems / take) : 0;
  const currentPage =
    totalPages === 0 ? 0 : Math.min(Math.max(Math.floor(safeSkip / take) + 1, 1), totalPages);
  return {
    returnedItems: Math.min(Math.max(totalItems - safeSkip, 0), take),
    totalItems,
    itemsPerPage: take,
    remainingItems: Math.min(Math.max(totalItems - (safeSkip + take), 0), totalItems),
    currentPage,
    totalPages,
    hasNextPage: safeSkip + take < totalItems,
    hasPreviousPage: safeSkip > 0,
  };
}

function splitList(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

function isListStatus(value: string): value is BookingListStatus {
  return (BOOKING_LIST_STATUSES as readonly string[]).includes(value);
}

/** `value && parseInt(value)`, as the DTO transforms it. */
function integerParameter(value: string | undefined, fallback: number): number | null {
  if (value === undefined || value === "") return fallback;
  const number = Number.parseInt(value, 10);
  return Number.isNaN(number) ? null : number;
}
