import type { Context, Hono } from "hono";
import type { Runtime } from "../../app/runtime.ts";
import type { LeadTarget } from "../../core/book-call.ts";
import { refreshDashboard } from "../../dashboard/actions.ts";
import { admit, setFlash } from "../../dashboard/guard.ts";
import type { SessionKeys } from "../../dashboard/session.ts";
import { dateTime } from "../../dashboard/views/format.ts";
import { type BookCallRequest, bookCall } from "../../sync/book-call.ts";
import { refuseWithoutSyncSecret } from "../api-secret.ts";

/**
 * `POST /api/book-call`: books a Cal.com call for a lead of the sheet, then syncs so the sheet shows it.
 *
 * - JSON (`{leadKey | row | leadId, start, eventTypeId?}`), for scripts: `Authorization: Bearer
 *   <SYNC_SECRET>` as the other API routes; answers 201 with the booking, or 400/404/422/502 with a message.
 * - A form post from a lead's page: the dashboard's session and CSRF token; answers with a redirect to the
 *   lead's page, which shows the result.
 */
export function bookCallRoute(app: Hono, runtime: Runtime, keys: SessionKeys): void {
  app.post("/api/book-call", async (c) => {
    const type = c.req.header("content-type") ?? "";
    const isForm = /^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type);
    return isForm ? fromForm(c, runtime, keys) : fromJson(c, runtime);
  });
}

async function fromJson(c: Context, runtime: Runtime): Promise<Response> {
  const refused = refuseWithoutSyncSecret(c, runtime, "/api/book-call");
  if (refused) return refused;
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    return c.json(
      { success: false, message: "Send a JSON body: {leadKey or row, start, eventTypeId?}." },
      400,
    );
  }
  const request = parseJsonRequest(body);
  if (typeof request === "string") return c.json({ success: false, message: request }, 400);
  const outcome = await bookCall(runtime.ctx, request);
  if (!outcome.ok) return c.json({ success: false, message: outcome.message }, outcome.status);
  await refreshDashboard(runtime);
  const { ok: _ok, ...answer } = outcome;
  return c.json({ success: true, ...answer }, 201);
}

async function fromForm(c: Context, runtime: Runtime, keys: SessionKeys): Promise<Response> {
  const refused = await admit(c, runtime, keys);
  if (refused) return refused;
  const form = await c.req.parseBody();
  const leadId = typeof form.leadId === "string" ? form.leadId : "";
  const eventTypeText = typeof form.eventTypeId === "string" ? form.eventTypeId.trim() : "";
  const eventTypeId = eventTypeText === "" ? undefined : Number(eventTypeText);
  const leadPage = `/dashboard/leads/${encodeURIComponent(leadId)}`;
  if (eventTypeId !== undefined && !(Number.isInteger(eventTypeId) && eventTypeId > 0)) {
    setFlash(c, { kind: "error", text: "The event type must be a Cal.com event type id (a number)." });
    return c.redirect(leadPage, 303);
  }
  const outcome = await bookCall(runtime.ctx, {
    target: { leadId },
    start: typeof form.start === "string" ? form.start : "",
    eventTypeId,
  });
  if (!outcome.ok) {
    setFlash(c, { kind: "error", text: `The call was not booked: ${outcome.message}` });
    return c.redirect(leadPage, 303);
  }
  await refreshDashboard(runtime);
  const when = dateTime(outcome.booking.start, runtime.config.timeZone);
  const text = outcome.sync.success
    ? `Booked ${outcome.lead.name || "the lead"} for ${when} (Cal.com booking ${outcome.booking.uid}). The sheet shows it in row ${outcome.lead.row}.`
    : `Booked ${outcome.lead.name || "the lead"} for ${when} in Cal.com, but the sync that follows failed (${outcome.sync.message}); the next sync will write it to the sheet.`;
  setFlash(c, { kind: outcome.sync.success ? "ok" : "error", text });
  return c.redirect(`/dashboard/leads/${encodeURIComponent(outcome.lead.documentId)}`, 303);
}

function parseJsonRequest(body: unknown): BookCallRequest | string {
  if (typeof body !== "object" || body === null) return "Send a JSON object.";
  const input = body as Record<string, unknown>;
  const target: LeadTarget = {};
  if (typeof input.leadKey === "string") target.leadKey = input.leadKey;
  else if (Number.isInteger(input.row) && (input.row as number) >= 2) target.row = input.row as number;
  else if (typeof input.leadId === "string") target.leadId = input.leadId;
  else return 'Say which lead: leadKey (e.g. "tel:+447700900123"), row (2 or more) or leadId.';
  if (typeof input.start !== "string") return "Send start, an ISO 8601 time such as 2025-10-28T10:00:00Z.";
  if (
    input.eventTypeId !== undefined &&
    !(Number.isInteger(input.eventTypeId) && (input.eventTypeId as number) > 0)
  ) {
    return "eventTypeId must be a positive integer.";
  }
  return {
    target,
    start: input.start,
    eventTypeId: input.eventTypeId as number | undefined,
  };
}
