/**
 * Reading the booker's details out of the places Cal.com leaves them. Shared by the API mapping and the
 * webhook parser, which see the same data in different wrappers.
 */

const PHONE_CHARACTERS = /^\+?[\d\s().\-/]+$/;
const MIN_PHONE_DIGITS = 6;

/**
 * A phone-call event ("Attendee phone number" location) stores the booker's number as the booking's
 * `location`; any other location is a URL or an `integrations:*` id and is not a phone.
 */
export function phoneFromLocation(location: unknown): string | null {
  if (typeof location !== "string") return null;
  const text = location.trim();
  if (!PHONE_CHARACTERS.test(text)) return null;
  return text.replace(/\D/g, "").length >= MIN_PHONE_DIGITS ? text : null;
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
