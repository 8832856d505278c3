import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Runtime } from "../../app/runtime.ts";
import { deliveryIdentity, parseWebhookPayload } from "../../calcom/webhook-payload.ts";
import { verifyWebhookSignature } from "../../calcom/webhook-signature.ts";
import { storeEvent } from "../../db/webhook-events.ts";

/**
 * `POST /api/webhooks/calcom`: verify, store, acknowledge. The delivery is in the database before Cal.com
 * gets its 200, and is applied by the event worker (Node server) or inline (Vercel, no background work).
 *
 * 401 missing/wrong signature · 400 not JSON or not a Cal.com payload · 202 an event calsync does not act on,
 * or an event type outside CALCOM_EVENT_TYPE_IDS · 200 stored (or already stored) · 200 PING · 503 no secret set.
 */
export function calcomWebhookRoute(
  app: Hono,
  runtime: Runtime,
  apply: { notify(): void; inline?: () => Promise<unknown> },
): void {
  // The body is read before it can be verified: cap it, so an anonymous flood cannot exhaust memory.
  const limit = bodyLimit({
    maxSize: MAX_WEBHOOK_BYTES,
    onError: (c) => c.json({ ok: false, error: "The body is larger than any Cal.com webhook." }, 413),
  });
  app.post("/api/webhooks/calcom", limit, async (c) => {
    const secret = runtime.config.calcom.webhookSecret;
    if (!secret) {
      runtime.log.error(
        "refusing a Cal.com webhook: set CALCOM_WEBHOOK_SECRET to the secret of the subscription",
      );
      return c.json(
        { ok: false, error: "Webhooks are disabled until CALCOM_WEBHOOK_SECRET is set on the server." },
        503,
      );
    }
    const rawBody = new Uint8Array(await c.req.arrayBuffer());
    const check = verifyWebhookSignature({ rawBody, signature: c.req.header("x-cal-signature-256"), secret });
    if (!check.ok) {
      runtime.log.warn("rejected a webhook delivery", { reason: check.reason });
      const error =
        check.reason === "missing-signature"
          ? "Missing X-Cal-Signature-256 signature."
          : "Invalid signature.";
      return c.json({ ok: false, error }, 401);
    }

    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(rawBody));
    } catch {
      return c.json({ ok: false, error: "The body is not JSON." }, 400);
    }
    const parsed = parseWebhookPayload(json);
    if (!parsed.ok)
      return c.json({ ok: false, error: `Not a Cal.com webhook payload: ${parsed.reason}.` }, 400);

    const event = parsed.event;
    if (event.kind === "ping") return c.json({ ok: true, received: "PING" }, 200);
    if (event.kind === "other") return c.json({ ok: true, ignored: event.trigger }, 202);
    const eventTypes = runtime.config.calcom.eventTypeIds;
    const identity = deliveryIdentity(event);
    if (
      eventTypes.length > 0 &&
      (identity.eventTypeId === null || !eventTypes.includes(identity.eventTypeId))
    ) {
      return c.json({ ok: true, ignored: `event type ${identity.eventTypeId} is not synced` }, 202);
    }

    const stored = await storeEvent(runtime.db, {
      idempotencyKey: identity.idempotencyKey,
      trigger: event.trigger,
      bookingUid: identity.bookingUid,
      body: json,
    });
    if (apply.inline) await apply.inline();
    else apply.notify();
    return c.json({ ok: true, stored: !stored.duplicate, duplicate: stored.duplicate }, 200);
  });
}

/** Cal.com payloads are a few kilobytes; a megabyte leaves room for long descriptions and many attendees. */
const MAX_WEBHOOK_BYTES = 1024 * 1024;
