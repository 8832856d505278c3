/**
 * Reading the booker's details out of the places Cal.com leaves them. Shared by the API mapping and the
 * webhook parser, which see the same data in different wrappers.
 */

const PHONE_CHARACTERS = /^\+?[\d\s().\-/]+$/;
const MIN_PHONE_DIGITS = 6;

/**
 * A phone number in the booking's `location`. Both phone-call locations put a number there: "Attendee
 * phone number" (`phone`) the booker's, "Organizer phone number" (`userPhone`) the host's, so a number here
 * is the booker's only when the location answer says so (see `locationAnswer`). Any other location is a URL
 * or an `integrations:*` id and is not a phone.
 */
export function phoneFromLocation(location: unknown): string | null {
  if (typeof location !== "string") return null;
  const text = location.trim();
  if (!PHONE_CHARACTERS.test(text)) return null;
  return text.replace(/\D/g, "").length >= MIN_PHONE_DIGITS ? text : null;
}

/**
 * What kind of location the booker chose, from the `location` answer `{value, optionValue}`
 * (bookingFieldsResponses in API v2, `responses.location.value` in a cancellation webhook):
 * - `phone` ("Attendee phone number"): the booker's number, in `optionValue`;
 * - any other kind (`userPhone` is the organizer's number, `integrations:*` a video link): not a booker's phone;
 * - null when there is no answer, or when it names no kind (BOOKING_CREATED's payload overwrites the answer
 *   with the resolved number, `{value: "+44…", optionValue: ""}`, and loses the kind).
 */
export type LocationAnswer = { kind: "bookerPhone"; phone: string | null } | { kind: "other" };

export function locationAnswer(answer: unknown): LocationAnswer | null {
  if (typeof answer !== "object" || answer === null) return null;
  const { value, optionValue } = answer as { value?: unknown; optionValue?: unknown };
  const kind = nonEmptyText(value);
  if (!kind || phoneFromLocation(kind)) return null;
  if (kind === "phone") return { kind: "bookerPhone", phone: phoneFromLocation(optionValue) };
  return { kind: "other" };
}

/**
 * The booker's phone, and a location number whose owner no answer names. The attendee's own fields come
 * first (`attendees[].phoneNumber`, the `attendeePhoneNumber` answer); a location number counts as the
 * booker's when the location answer says it is theirs, never when it names another kind; with no answer
 * either way it is kept apart (`locationPhone`), and the core decides across bookings.
 */
export function bookerPhones(sources: {
  attendeePhone: unknown;
  phoneAnswer: unknown;
  location: unknown;
  locationAnswer: unknown;
}): { phone: string | null; locationPhone: string | null } {
  const own = nonEmptyText(sources.attendeePhone) ?? nonEmptyText(sources.phoneAnswer);
  if (own) return { phone: own, locationPhone: null };
  const answer = locationAnswer(sources.locationAnswer);
  const inLocation = phoneFromLocation(sources.location);
  if (answer?.kind === "bookerPhone") return { phone: answer.phone ?? inLocation, locationPhone: null };
  if (answer?.kind === "other") return { phone: null, locationPhone: null };
  return { phone: null, locationPhone: inLocation };
}

/** A non-empty trimmed string, or null. */
export function nonEmptyText(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const text = value.trim();
  return text === "" ? null : text;
}

export type NameSplit = { firstName: string; lastName?: string | undefined };

/**
 * Cal.com's own split of the name: the `name` booking field holds `{firstName, lastName}` when the form
 * asks for both (bookingResponsesSchema in apps/api/v2/.../output.service.ts), and webhook attendees
 * carry `firstName`/`lastName` (empty strings when there is no split).
 */
export function nameSplitFrom(...candidates: unknown[]): NameSplit | null {
  for (const candidate of candidates) {
    if (typeof candidate !== "object" || candidate === null) continue;
    const fields = candidate as { firstName?: unknown; lastName?: unknown };
    const firstName = nonEmptyText(fields.firstName);
    if (firstName) return { firstName, lastName: nonEmptyText(fields.lastName) ?? undefined };
  }
  return null;
}

/** `{firstName: "Ada", lastName: "Lovelace"}` as the full name `Ada Lovelace`. */
export function fullNameFrom(value: unknown): string | null {
  const text = nonEmptyText(value);
  if (text) return text;
  const split = nameSplitFrom(value);
  return split ? [split.firstName, split.lastName].filter(Boolean).join(" ") : null;
}
