import type { Hono } from "hono";
import { err, ok, type Result } from "../../core/result.ts";
import { WEBHOOK_TRIGGERS } from "../types.ts";
import { isRecord } from "./booking-input.ts";
import {
  type ApiFailure,
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
import { toApiWebhook, type WebhookFields, type WebhookSubscriptions } from "./webhook-subscriptions.ts";

/**
 * The user webhooks endpoints (spec paths `/v2/webhooks…`; no `cal-api-version`): CreateWebhookInputDto
 * requires `active`, `subscriberUrl` and `triggers`; UpdateWebhookInputDto takes any of them.
 */
export function registerWebhookRoutes(
  app: Hono<SandboxEnv>,
  deps: { subscriptions: WebhookSubscriptions; now: () => Date },
): void {
  const { subscriptions } = deps;
  const fail = (c: SandboxContext, failure: ApiFailure) =>
    answerFailure(c, failure, deps.now().toISOString());
  const missing = (id: string) => notFound(`Webhook with id ${id} not found`);

  app.get("/v2/webhooks", (c) => {
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
        .list()
        .slice(skip, skip + take)
        .map(toApiWebhook),
    );
  });

  app.post("/v2/webhooks", async (c) => {
    const body = await readJsonBody(c);
    if (!body.ok) return fail(c, body.error);
    const fields = parseWebhookFields(body.value, "create");
    if (!fields.ok) return fail(c, fields.error);
    const { subscriberUrl, triggers, active } = fields.value;
    if (subscriberUrl === undefined || triggers === undefined || active === undefined) {
      return fail(c, validationFailure([]));
    }
    return success(
      c,
      toApiWebhook(subscriptions.create({ ...fields.value, subscriberUrl, triggers, active })),
      201,
    );
  });

  app.get("/v2/webhooks/:id", (c) => {
    const webhook = subscriptions.get(c.req.param("id"));
    return webhook ? success(c, toApiWebhook(webhook)) : fail(c, missing(c.req.param("id")));
  });

  app.patch("/v2/webhooks/:id", async (c) => {
    const body = await readJsonBody(c);
    if (!body.ok) return fail(c, body.error);
    const fields = parseWebhookFields(body.value ?? {}, "update");
    if (!fields.ok) return fail(c, fields.error);
    const webhook = subscriptions.update(c.req.param("id"), fields.value);
    return webhook ? success(c, toApiWebhook(webhook)) : fail(c, missing(c.req.param("id")));
  });

  app.delete("/v2/webhooks/:id", (c) => {
    const webhook = subscriptions.remove(c.req.param("id"));
    return webhook ? success(c, toApiWebhook(webhook)) : fail(c, missing(c.req.param("id")));
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
