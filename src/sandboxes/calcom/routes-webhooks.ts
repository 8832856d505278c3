import type { Hono } from "hono";
import { WEBHOOK_TRIGGERS } from "../../calcom/types.ts";
import { err, ok, type Result } from "../../core/result.ts";
import { isRecord } from "./booking-input.ts";
import {
  type ApiFailure,
  badRequest,
  httpFailure,
  invalidProperty,
  notFound,
  type ValidationError,
  validationFailure,
} from "./error-bodies.ts";
import {
  answerFailure,
  readJsonBody,
  type SandboxContext,
  type SandboxEnv,
  success,
} from "./http-helpers.ts";
import type { BookingStore } from "./store.ts";
import {
  type SandboxWebhook,
  toApiEventTypeWebhook,
  toApiWebhook,
  type WebhookFields,
  type WebhookOwner,
  type WebhookSubscriptions,
} from "./webhook-subscriptions.ts";

/**
 * The webhooks endpoints (no `cal-api-version`; CreateWebhookInputDto requires `active`, `subscriberUrl` and
 * `triggers`, UpdateWebhookInputDto takes any of them):
 * - the user's, `/v2/webhooks…` (IsUserWebhookGuard: a webhook that is not the user's own is a 403);
 * - one event type's, `/v2/event-types/{eventTypeId}/webhooks…` (IsUserEventTypeWebhookGuard: an unknown
 *   event type is a 404; a webhook that is not that event type's a 400 or 403).
 * A second subscription with the same `subscriberUrl` for the same owner is a 409, as UserWebhooksService
 * and EventTypeWebhooksService refuse it.
 */
export function registerWebhookRoutes(
  app: Hono<SandboxEnv>,
  deps: { subscriptions: WebhookSubscriptions; store: Pick<BookingStore, "eventType">; now: () => Date },
): void {
  const { subscriptions } = deps;
  const fail = (c: SandboxContext, failure: ApiFailure) =>
    answerFailure(c, failure, deps.now().toISOString());
  const missing = (id: string) => notFound(`Webhook (${id}) not found`);
  const user: WebhookOwner = { kind: "user" };

  const list = (c: SandboxContext, owner: WebhookOwner, toApi: (webhook: SandboxWebhook) => unknown) => {
    const take = Number(c.req.query("take") ?? 250);
    const skip = Number(c.req.query("skip") ?? 0);
    const errors: ValidationError[] = [];
    if (!Number.isInteger(take) || take < 1 || take > 250) {
      errors.push(invalidProperty("take", take, "max", "take must be an integer from 1 to 250"));
    }
    if (!Number.isInteger(skip) || skip < 0) {
      errors.push(invalidProperty("skip", skip, "min", "skip must not be less than 0"));
    }
    if (errors.length > 0) return fail(c, validationFailure(errors));
    return success(
      c,
      subscriptions
        .list(owner)
        .slice(skip, skip + take)
        .map(toApi),
    );
  };

  const create = async (
    c: SandboxContext,
    owner: WebhookOwner,
    toApi: (webhook: SandboxWebhook) => unknown,
    duplicate: string,
  ) => {
    const body = await readJsonBody(c);
    if (!body.ok) return fail(c, body.error);
    const fields = parseWebhookFields(body.value, "create");
    if (!fields.ok) return fail(c, fields.error);
    const { subscriberUrl, triggers, active } = fields.value;
    if (subscriberUrl === undefined || triggers === undefined || active === undefined) {
      return fail(c, validationFailure([]));
    }
    if (subscriptions.list(owner).some((webhook) => webhook.subscriberUrl === subscriberUrl)) {
      return fail(c, httpFailure(409, duplicate));
    }
    return success(
      c,
      toApi(subscriptions.create({ ...fields.value, subscriberUrl, triggers, active }, owner)),
      201,
    );
  };

  const update = async (
    c: SandboxContext,
    webhook: SandboxWebhook,
    toApi: (webhook: SandboxWebhook) => unknown,
  ) => {
    const body = await readJsonBody(c);
    if (!body.ok) return fail(c, body.error);
    const fields = parseWebhookFields(body.value ?? {}, "update");
    if (!fields.ok) return fail(c, fields.error);
    const updated = subscriptions.update(webhook.id, fields.value);
    return updated ? success(c, toApi(updated)) : fail(c, missing(webhook.id));
  };

  const remove = (
    c: SandboxContext,
    webhook: SandboxWebhook,
    toApi: (webhook: SandboxWebhook) => unknown,
  ) => {
    subscriptions.remove(webhook.id);
    return success(c, toApi(webhook));
  };

  // The user's webhooks.

  /** IsUserWebhookGuard: the webhook must exist (404) and belong to the API key's user (403). */
  const userWebhook = (c: SandboxContext): Result<SandboxWebhook, ApiFailure> => {
    const id = c.req.param("id") ?? "";
    const webhook = subscriptions.get(id);
    if (!webhook) return err(missing(id));
    if (webhook.userId !== subscriptions.userId) {
      return err(
        httpFailure(
          403,
          `IsUserWebhookGuard - user with id=(${subscriptions.userId}) is not the owner of webhook with id=(${id})`,
        ),
      );
    }
    return ok(webhook);
  };

  app.get("/v2/webhooks", (c) => list(c, user, toApiWebhook));
  app.post("/v2/webhooks", (c) =>
    create(c, user, toApiWebhook, "Webhook with this subscriber url already exists for this user"),
  );
  app.get("/v2/webhooks/:id", (c) => {
    const webhook = userWebhook(c);
    return webhook.ok ? success(c, toApiWebhook(webhook.value)) : fail(c, webhook.error);
  });
  app.patch("/v2/webhooks/:id", (c) => {
    const webhook = userWebhook(c);
    return webhook.ok ? update(c, webhook.value, toApiWebhook) : fail(c, webhook.error);
  });
  app.delete("/v2/webhooks/:id", (c) => {
    const webhook = userWebhook(c);
    return webhook.ok ? remove(c, webhook.value, toApiWebhook) : fail(c, webhook.error);
  });

  // One event type's webhooks.

  /**
   * IsUserEventTypeWebhookGuard: the event type must exist (404); a webhook must exist (404), be scoped to an
   * event type (400) and to this one (403). Every sandbox event type belongs to the API key's user.
   */
  const eventTypeOf = (c: SandboxContext): Result<WebhookOwner & { kind: "eventType" }, ApiFailure> => {
    const raw = c.req.param("eventTypeId") ?? "";
    // ParseIntPipe's words; the real guard would hand NaN to the database.
    if (!/^\d+$/.test(raw)) return err(badRequest("Validation failed (numeric string is expected)"));
    const eventTypeId = Number(raw);
    if (!deps.store.eventType(eventTypeId)) {
      return err(notFound(`IsUserEventTypeWebhookGuard - Event type (${raw}) not found`));
    }
    return ok({ kind: "eventType", eventTypeId });
  };
  const eventTypeWebhook = (c: SandboxContext): Result<SandboxWebhook, ApiFailure> => {
    const owner = eventTypeOf(c);
    if (!owner.ok) return owner;
    const id = c.req.param("id") ?? "";
    const webhook = subscriptions.get(id);
    if (!webhook) return err(missing(id));
    const guard = "IsUserEventTypeWebhookGuard";
    if (webhook.eventTypeId === null) {
      return err(badRequest(`${guard} - Webhook (${id}) is not associated with an event type`));
    }
    if (webhook.eventTypeId !== owner.value.eventTypeId) {
      return err(
        httpFailure(
          403,
          `${guard} - Webhook (${id}) is not associated with event type (${owner.value.eventTypeId})`,
        ),
      );
    }
    return ok(webhook);
  };

  app.get("/v2/event-types/:eventTypeId/webhooks", (c) => {
    const owner = eventTypeOf(c);
    return owner.ok ? list(c, owner.value, toApiEventTypeWebhook) : fail(c, owner.error);
  });
  app.post("/v2/event-types/:eventTypeId/webhooks", (c) => {
    const owner = eventTypeOf(c);
    if (!owner.ok) return fail(c, owner.error);
    return create(
      c,
      owner.value,
      toApiEventTypeWebhook,
      "Webhook with this subscriber url already exists for this event type",
    );
  });
  app.delete("/v2/event-types/:eventTypeId/webhooks", (c) => {
    const owner = eventTypeOf(c);
    if (!owner.ok) return fail(c, owner.error);
    const removed = subscriptions.list(owner.value);
    for (const webhook of removed) subscriptions.remove(webhook.id);
    return success(c, `${removed.length} webhooks deleted`);
  });
  app.get("/v2/event-types/:eventTypeId/webhooks/:id", (c) => {
    const webhook = eventTypeWebhook(c);
    return webhook.ok ? success(c, toApiEventTypeWebhook(webhook.value)) : fail(c, webhook.error);
  });
  app.patch("/v2/event-types/:eventTypeId/webhooks/:id", (c) => {
    const webhook = eventTypeWebhook(c);
    return webhook.ok ? update(c, webhook.value, toApiEventTypeWebhook) : fail(c, webhook.error);
  });
  app.delete("/v2/event-types/:eventTypeId/webhooks/:id", (c) => {
    const webhook = eventTypeWebhook(c);
    return webhook.ok ? remove(c, webhook.value, toApiEventTypeWebhook) : fail(c, webhook.error);
  });
}

function parseWebhookFields(body: unknown, mode: "create" | "update"): Result<WebhookFields, ApiFailure> {
  if (!isRecord(body))
    return err(validationFailure([invalidProperty("body", body, "isObject", "body must be an object")]));
  const errors: ValidationError[] = [];
  const required = mode === "create";
  const { subscriberUrl, triggers, active, secret, payloadTemplate } = body;

  if (subscriberUrl !== undefined || required) {
    if (typeof subscriberUrl !== "string" || !isHttpUrl(subscriberUrl)) {
      errors.push(
        invalidProperty("subscriberUrl", subscriberUrl, "isUrl", "subscriberUrl must be a URL address"),
      );
    }
  }
  if (triggers !== undefined || required) {
    const known = WEBHOOK_TRIGGERS as readonly string[];
    if (
      !Array.isArray(triggers) ||
      !triggers.every((trigger) => typeof trigger === "string" && known.includes(trigger))
    ) {
      errors.push(
        invalidProperty(
          "triggers",
          triggers,
          "isEnum",
          `each value in triggers must be one of the following values: ${WEBHOOK_TRIGGERS.join(", ")}`,
        ),
      );
    }
  }
  if ((active !== undefined || required) && typeof active !== "boolean") {
    errors.push(invalidProperty("active", active, "isBoolean", "active must be a boolean value"));
  }
  if (secret !== undefined && typeof secret !== "string") {
    errors.push(invalidProperty("secret", secret, "isString", "secret must be a string"));
  }
  if (payloadTemplate !== undefined && typeof payloadTemplate !== "string") {
    errors.push(
      invalidProperty("payloadTemplate", payloadTemplate, "isString", "payloadTemplate must be a string"),
    );
  }
  if (errors.length > 0) return err(validationFailure(errors));
  return ok({
    ...(typeof subscriberUrl === "string" ? { subscriberUrl } : {}),
    ...(Array.isArray(triggers) ? { triggers: triggers.map(String) } : {}),
    ...(typeof active === "boolean" ? { active } : {}),
    ...(typeof secret === "string" ? { secret } : {}),
    ...(typeof payloadTemplate === "string" ? { payloadTemplate } : {}),
  });
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}
