import type { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Runtime } from "../../app/runtime.ts";
import { deliveryIdentity, parseWebhookPayload } from "../../calcom/webhook-payload.ts";
import { verifyWebhookSignature } from "../../calcom/webhook-signature.ts";
import { type DeliveryOutcome, recordDelivery } from "../../db/webhook-deliveries.ts";
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
    const receivedAt = runtime.ctx.clock();
    // Every delivery is logged (the deliveries page); a failure to log never costs Cal.com its answer.
    const log = (delivery: Omit<Parameters<typeof recordDelivery>[1], "receivedAt">) =>
      recordDelivery(runtime.db, { receivedAt, ...delivery }).catch((error: unknown) => {
        runtime.log.warn("could not log a webhook delivery", { error });
      });
    const rawBody = new Uint8Array(await c.req.arrayBuffer());
    const check = verifyWebhookSignature({ rawBody, signature: c.req.header("x-cal-signature-256"), secret });
    if (!check.ok) {
      runtime.log.warn("rejected a webhook delivery", { reason: check.reason });
      const missing = check.reason === "missing-signature";
      // The body is anyone's until it is verified: nothing of it is kept.
      await log({
        trigger: null,
        bookingUid: null,
        signature: missing ? "missing" : "invalid",
        outcome: "rejected",
        eventId: null,
        detail: missing
          ? "no X-Cal-Signature-256 signature"
          : "the signature does not match CALCOM_WEBHOOK_SECRET",
      });
      const error = missing ? "Missing X-Cal-Signature-256 signature." : "Invalid signature.";
      return c.json({ ok: false, error }, 401);
    }

    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(rawBody));
    } catch {
      await log(unreadable(null, "the body is not JSON"));
      return c.json({ ok: false, error: "The body is not JSON." }, 400);
    }
    const parsed = parseWebhookPayload(json);
    if (!parsed.ok) {
      await log(unreadable(triggerOf(json), parsed.reason));
      return c.json({ ok: false, error: `Not a Cal.com webhook payload: ${parsed.reason}.` }, 400);
    }

    const event = parsed.event;
    if (event.kind === "ping") {
      await log({ ...accepted("PING", null, "ping"), detail: "Cal.com's test delivery" });
      return c.json({ ok: true, received: "PING" }, 200);
    }
    if (event.kind === "other") {
      await log({
        ...accepted(event.trigger, event.bookingUid, "ignored"),
        detail: "calsync does not act on it",
      });
      return c.json({ ok: true, ignored: event.trigger }, 202);
    }
    const eventTypes = runtime.config.calcom.eventTypeIds;
    const identity = deliveryIdentity(event);
    if (
      eventTypes.length > 0 &&
      (identity.eventTypeId === null || !eventTypes.includes(identity.eventTypeId))
    ) {
      const ignored = `event type ${identity.eventTypeId} is not synced`;
      await log({ ...accepted(event.trigger, identity.bookingUid, "ignored"), detail: ignored });
      return c.json({ ok: true, ignored }, 202);
    }

    const stored = await storeEvent(runtime.db, {
      idempotencyKey: identity.idempotencyKey,
      trigger: event.trigger,
      bookingUid: identity.bookingUid,
      body: json,
      receivedAt,
    });
    await log({
      ...accepted(event.trigger, identity.bookingUid, stored.duplicate ? "duplicate" : "stored"),
      eventId: stored.id,
      detail: stored.duplicate ? `a repeat of stored delivery #${stored.id}` : null,
    });
    if (apply.inline) await apply.inline();
    else apply.notify();
    return c.json({ ok: true, stored: !stored.duplicate, duplicate: stored.duplicate }, 200);
  });
}

function accepted(trigger: string, bookingUid: string | null, outcome: DeliveryOutcome) {
  return { trigger, bookingUid, signature: "valid" as const, outcome, eventId: null, detail: null };
}

function unreadable(trigger: string | null, reason: string) {
  return {
    trigger,
    bookingUid: null,
    signature: "valid" as const,
    outcome: "unreadable" as const,
    eventId: null,
    detail: reason,
  };
}

function triggerOf(json: unknown): string | null {
  const trigger = (json as { triggerEvent?: unknown } | null)?.triggerEvent;
  return typeof trigger === "string" ? trigger.slice(0, 100) : null;
}

/** Cal.com payloads are a few kilobytes; a megabyte leaves room for long descriptions and many attendees. */
const MAX_WEBHOOK_BYTES = 1024 * 1024;
