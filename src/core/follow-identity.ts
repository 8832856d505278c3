import type { CountryCode } from "libphonenumber-js";
import type { StoredBooking } from "./booking-merge.ts";
import { normalizeEmail } from "./email.ts";
import type { MatchIndex } from "./match-index.ts";
import { normalizePhone } from "./phone.ts";
import type { LeadLedgerEntry } from "./plan-booking-sync.ts";
import { leadLookups, type SheetLead } from "./sheet-leads.ts";

/** A lead whose key changed (phone corrected, email added, a duplicate made its phone shared): old → new. */
export type IdentityMove = { from: string; to: string; row: number };

/** A lead whose key vanished and whose bookings now point at more than one row: not guessed. */
export type IdentityDoubt = { from: string; rows: number[]; uids: string[] };

export type FollowedIdentities = {
  /** The links and the ledger with every move applied: what the run plans with. */
  links: Map<string, string>;
  ledger: Map<string, LeadLedgerEntry>;
  moves: IdentityMove[];
  doubts: IdentityDoubt[];
};

/**
 * A lead is its key (phone, or email when the phone is missing or shared), so editing the row's phone or
 * email, or adding a row that shares its phone, gives it a new key. Its bookings, what calsync last wrote
 * there (the ledger) and its dashboard document must follow the person, or the row loses its call, a later
 * cancellation never reaches it, and the booker is appended again.
 *
 * A key no row holds any more moves to the row that is evidently the same person:
 * - the row the ledger last wrote, when it still holds the old key's phone (or email), keeps the other
 *   identity field as calsync last saw it, or holds the phone or email the lead's bookings were made with;
 * - the one row the lead's bookings' attendee matches now.
 * When these point at one row, the key moves there (unless that row's key already has a history of its own).
 * When they point at several, nothing moves and the bookings are reported as ambiguous.
 */
export function followIdentityChanges(input: {
  leads: readonly SheetLead[];
  index: MatchIndex;
  ledger: ReadonlyMap<string, LeadLedgerEntry>;
  links: ReadonlyMap<string, string>;
  bookings: readonly StoredBooking[];
  region: CountryCode;
}): FollowedIdentities {
  const links = new Map(input.links);
  const ledger = new Map(input.ledger);
  const { byKey: current, byRow } = leadLookups(input.leads);
  const bookingsOf = new Map<string, StoredBooking[]>();
  const byUid = new Map(input.bookings.map((booking) => [booking.uid, booking]));
  for (const [uid, key] of input.links) {
    const booking = byUid.get(uid);
    if (!booking) continue;
    const list = bookingsOf.get(key);
    if (list) list.push(booking);
    else bookingsOf.set(key, [booking]);
  }
  const held = (key: string) => current.has(key);
  const orphans = new Set([...bookingsOf.keys(), ...input.ledger.keys()].filter((key) => !held(key)));
  const attendeesOf = (key: string) =>
    (bookingsOf.get(key) ?? []).map((booking) => ({
      phone: normalizePhone(booking.attendee.phone, input.region),
      email: normalizeEmail(booking.attendee.email),
    }));

  const moves: IdentityMove[] = [];
  const doubts: IdentityDoubt[] = [];
  // A key still held, but by another row whose other identity field says it is someone else (a person's
  // phone typed into another lead's row): the bookings are not that row's.
  for (const [key, written] of input.ledger) {
    const holder = current.get(key);
    if (!holder || written.row === null || written.row === holder.row) continue;
    const field = key.startsWith("tel:") ? "email" : "phone";
    const theirs = holder[field];
    const known = [written.identity?.[field] ?? null, ...attendeesOf(key).map((a) => a[field])].filter(
      (value): value is string => value !== null,
    );
    if (theirs !== null && known.length > 0 && !known.includes(theirs)) {
      const uids = (bookingsOf.get(key) ?? []).map((booking) => booking.uid);
      if (uids.length > 0)
        doubts.push({ from: key, rows: [written.row, holder.row].sort((a, b) => a - b), uids });
    }
  }
  const claimed = new Set<string>();
  for (const from of orphans) {
    const bookings = bookingsOf.get(from) ?? [];
    const attendees = attendeesOf(from);
    const candidates = new Set<string>();
    const rows = new Set<number>();

    const written = input.ledger.get(from);
    const lastRow = written?.row != null ? byRow.get(written.row) : undefined;
    if (lastRow?.key) {
      const stillHolds =
        holdsKeyValue(from, lastRow) ||
        keepsOtherField(from, written?.identity, lastRow) ||
        attendees.some(
          (a) =>
            (a.phone !== null && a.phone === lastRow.phone) ||
            (a.email !== null && a.email === lastRow.email),
        );
      if (stillHolds) {
        candidates.add(lastRow.key);
        rows.add(lastRow.row);
      }
    }
    for (const attendee of attendees) {
      const match = input.index.match(attendee);
      if (match.kind === "matched") {
        const lead = byRow.get(match.row);
        if (lead?.key) candidates.add(lead.key);
        rows.add(match.row);
      } else if (match.kind === "ambiguous") {
        for (const row of match.candidateRows) rows.add(row);
      }
    }

    const [to] = candidates;
    const lead = to ? current.get(to) : undefined;
    if (candidates.size === 1 && to && lead && rows.size === 1 && !claimed.has(to) && !input.ledger.has(to)) {
      claimed.add(to);
      moves.push({ from, to, row: lead.row });
      for (const booking of bookings) links.set(booking.uid, to);
      if (written) {
        ledger.delete(from);
        ledger.set(to, { ...written, leadKey: to, row: lead.row });
      }
    } else if (rows.size > 1 && bookings.length > 0) {
      doubts.push({ from, rows: [...rows].sort((a, b) => a - b), uids: bookings.map((b) => b.uid) });
    }
  }
  return { links, ledger, moves, doubts };
}

/** The identity field the old key did not name is as calsync last saw it (a phone edited, the email kept). */
function keepsOtherField(
  key: string,
  seen: { phone: string | null; email: string | null } | undefined,
  lead: SheetLead,
): boolean {
  if (!seen) return false;
  if (key.startsWith("tel:")) return seen.email !== null && seen.email === lead.email;
  if (key.startsWith("mailto:")) return seen.phone !== null && seen.phone === lead.phone;
  return false;
}

/** The old key's own value (its phone, or its email) is still on the row: only the key's kind changed. */
function holdsKeyValue(key: string, lead: SheetLead): boolean {
  if (key.startsWith("tel:")) return lead.phone !== null && `tel:${lead.phone}` === key;
  if (key.startsWith("mailto:")) return lead.email !== null && `mailto:${lead.email}` === key;
  return false;
}
