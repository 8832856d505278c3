import type { Context, Hono } from "hono";
import type { Runtime } from "../app/runtime.ts";
import { bookCall } from "../sync/book-call.ts";
import { copySheetAfterAction } from "../sync/copy-sheet-to-sanity.ts";
import { setFlash } from "./flash.ts";
import { admit, type DashboardAccess } from "./guard.ts";
import { dateTime } from "./views/format.ts";

/**
 * The Book call form of a lead's page posts to `POST /api/book-call` (the JSON route's path, so one URL
 * books a call whoever asks). A form post is answered here, with the dashboard's session and CSRF check,
 * by a redirect to the lead's page showing the result; anything else goes on to the JSON route.
 */
export function bookCallFormRoute(app: Hono, runtime: Runtime, access: DashboardAccess): void {
  app.post("/api/book-call", async (c, next) => {
    const type = c.req.header("content-type") ?? "";
    if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) return next();
    return fromForm(c, runtime, access);
  });
}

async function fromForm(c: Context, runtime: Runtime, access: DashboardAccess): Promise<Response> {
  // The lead page's form: the dashboard's session and CSRF token, like every dashboard form.
  const refused = await admit(c, runtime, access);
  if (refused) return refused;
  const form = await c.req.parseBody();
  const leadId = typeof form.leadId === "string" ? form.leadId : "";
  const eventTypeText = typeof form.eventTypeId === "string" ? form.eventTypeId.trim() : "";
  const eventTypeId = eventTypeText === "" ? undefined : Number(eventTypeText);
  const leadPage = `/dashboard/leads/${encodeURIComponent(leadId)}`;
  if (eventTypeId !== undefined && !(Number.isInteger(eventTypeId) && eventTypeId > 0)) {
    await setFlash(c, runtime, {
      kind: "error",
      text: "The event type must be a Cal.com event type id (a number).",
    });
    return c.redirect(leadPage, 303);
  }
  const outcome = await bookCall(runtime.ctx, {
    target: { leadId },
    start: typeof form.start === "string" ? form.start : "",
    eventTypeId,
  });
  if (!outcome.ok) {
    await setFlash(c, runtime, { kind: "error", text: `The call was not booked: ${outcome.message}` });
    return c.redirect(leadPage, 303);
  }
  await copySheetAfterAction(runtime.ctx);
  const when = dateTime(outcome.booking.start, runtime.config.timeZone);
  const text = outcome.sync.success
    ? `Booked ${outcome.lead.name || "the lead"} for ${when} (Cal.com booking ${outcome.booking.uid}). The sheet shows it in row ${outcome.lead.row}.`
    : `Booked ${outcome.lead.name || "the lead"} for ${when} in Cal.com, but the sync that follows failed (${outcome.sync.message}); the next sync will write it to the sheet.`;
  await setFlash(c, runtime, { kind: outcome.sync.success ? "ok" : "error", text });
  return c.redirect(`/dashboard/leads/${encodeURIComponent(outcome.lead.documentId)}`, 303);
}
