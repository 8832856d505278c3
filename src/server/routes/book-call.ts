import type { Context, Hono } from "hono";
import type { Runtime } from "../../app/runtime.ts";
import type { LeadTarget } from "../../core/book-call.ts";
import { type BookCallRequest, bookCall } from "../../sync/book-call.ts";
import { copySheetAfterAction } from "../../sync/copy-sheet-to-sanity.ts";
import { refuseWithoutSyncSecret } from "../api-secret.ts";

/**
 * `POST /api/book-call` with JSON (`{leadKey | row | leadId, start, eventTypeId?}`), for scripts:
 * `Authorization: Bearer <SYNC_SECRET>` as the other API routes; books a Cal.com call for a lead of the
 * sheet, then syncs so the sheet shows it; answers 201 with the booking, or 400/404/422/502 with a message.
 * The lead page's form posts to the same path; the dashboard answers that one (dashboard/book-call-form.ts).
 */
export function bookCallRoute(app: Hono, runtime: Runtime): void {
  app.post("/api/book-call", (c) => fromJson(c, runtime));
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
  await copySheetAfterAction(runtime.ctx);
  const { ok: _ok, ...answer } = outcome;
  return c.json({ success: true, ...answer }, 201);
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
