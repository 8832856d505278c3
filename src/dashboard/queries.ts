import type { SanityClient } from "@sanity/client";
import type { CountryCode } from "libphonenumber-js";
import type { DashboardLead } from "../core/dashboard-lists.ts";
import { normalizePhone } from "../core/phone.ts";
import { DBR_LEAD_TYPE, type DbrLeadSheetField } from "../sanity/lead-document.ts";

/**
 * The dashboard's reads of the lead documents in Sanity. Queries select only live (not archived) leads,
 * except a lead's own page, which also shows an archived lead's history.
 */
const LEAD_PROJECTION = `{
  "id": _id, firstName, lastName, phone, email, contactStatus, sheetRow, archived,
  "bookings": bookings[]{ uid, start, end, status, eventTypeId, rescheduledFromUid, rescheduledToUid }
}`;

export type LeadPageDocument = DashboardLead & {
  callBooked?: string | null;
  callBookedAt?: string | null;
  sheetFields?: DbrLeadSheetField[] | null;
  updatedAt?: string | null;
};

/**
 * Leads with a live booking that starts within [from − 1 day, to): a day of slack so a call in progress
 * still shows; upcomingCalls() then keeps exactly the ones the page lists.
 */
export function leadsWithCallsBetween(sanity: SanityClient, from: Date, to: Date): Promise<DashboardLead[]> {
  return sanity.fetch<DashboardLead[]>(
    `*[_type == $type && archived != true && count(bookings[status in ["accepted", "pending"]
        && start >= $from && start < $to]) > 0]${LEAD_PROJECTION}`,
    {
      type: DBR_LEAD_TYPE,
      from: new Date(from.getTime() - 86_400_000).toISOString(),
      to: to.toISOString(),
    },
  );
}

/** Leads whose status is one of the hot ones (HOT_STATUSES), at most 500. */
export function hotLeadDocuments(
  sanity: SanityClient,
  hotStatuses: readonly string[],
): Promise<DashboardLead[]> {
  return sanity.fetch<DashboardLead[]>(
    `*[_type == $type && archived != true && upper(contactStatus) in $hot]
       | order(lower(firstName) asc, lower(lastName) asc) [0...500]${LEAD_PROJECTION}`,
    { type: DBR_LEAD_TYPE, hot: hotStatuses.map((status) => status.toUpperCase()) },
  );
}

/** Leads the host asked to pick another time, who have not booked again yet, by name (at most 200). */
export function leadsWaitingToRebook(sanity: SanityClient): Promise<DashboardLead[]> {
  return sanity.fetch<DashboardLead[]>(
    `*[_type == $type && archived != true && waitingToRebook == true]
       | order(lower(firstName) asc, lower(lastName) asc) [0...200]${LEAD_PROJECTION}`,
    { type: DBR_LEAD_TYPE },
  );
}

export function leadDocument(sanity: SanityClient, id: string): Promise<LeadPageDocument | null> {
  return sanity.fetch<LeadPageDocument | null>(
    `*[_type == $type && _id == $id][0]{
      "id": _id, firstName, lastName, phone, email, contactStatus, sheetRow, archived, callBooked, callBookedAt,
      "updatedAt": _updatedAt,
      "sheetFields": sheetFields[]{ _key, header, value },
      "bookings": bookings[]{ uid, start, end, status, eventTypeId, rescheduledFromUid, rescheduledToUid }
    }`,
    { type: DBR_LEAD_TYPE, id },
  );
}

/**
 * The leads list: all live leads by sheet row (first 100), or those matching a search. A search that reads
 * as a phone number finds that number whatever way it is written; otherwise every word must start a word
 * of the name, email or status.
 */
export function searchLeads(
  sanity: SanityClient,
  query: string,
  region: CountryCode,
): Promise<DashboardLead[]> {
  const text = query.trim();
  const base = `*[_type == $type && archived != true`;
  const tail = `] | order(sheetRow asc) [0...100]${LEAD_PROJECTION}`;
  if (text === "") return sanity.fetch<DashboardLead[]>(`${base}${tail}`, { type: DBR_LEAD_TYPE });
  const phone = /^[\d\s+().-]{6,}$/.test(text) ? normalizePhone(text, region) : null;
  if (phone)
    return sanity.fetch<DashboardLead[]>(`${base} && phone == $phone${tail}`, { type: DBR_LEAD_TYPE, phone });
  const words = text
    .split(/\s+/)
    .map((word) => word.replace(/[^\p{L}\p{N}@.+_-]/gu, ""))
    .filter(Boolean)
    .map((word) => `${word}*`);
  if (words.length === 0) return Promise.resolve([]);
  return sanity.fetch<DashboardLead[]>(
    `${base} && [firstName, lastName, email, contactStatus] match $words${tail}`,
    { type: DBR_LEAD_TYPE, words },
  );
}
