/**
 * Where a person sees a booking in Cal.com: `app.cal.com/booking/<uid>` for Cal.com's cloud (API on
 * `api.cal.com`), the same path on the `app.` host of a self-hosted API on `api.<domain>`, otherwise on the
 * API's own origin (a sandbox).
 */
export function calcomBookingUrl(apiUrl: string, uid: string): string {
  const url = new URL(apiUrl);
  const host = url.host.startsWith("api.") ? `app.${url.host.slice(4)}` : url.host;
  return `${url.protocol}//${host}/booking/${encodeURIComponent(uid)}`;
}
