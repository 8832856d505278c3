import type { CalcomClient } from "../calcom/client.ts";
import type { ApiWebhook, CreateWebhookInput, UpdateWebhookInput } from "../calcom/types.ts";
import { BOOKING_TRIGGERS } from "../calcom/webhook-payload.ts";
import { err, ok, type Result } from "../core/result.ts";
import { UpstreamError } from "../errors.ts";
import { WEBHOOK_PATH } from "./webhook-path.ts";

export { WEBHOOK_PATH };

/** The triggers a calsync subscription listens to: every booking change calsync acts on. */
export const REGISTERED_TRIGGERS = BOOKING_TRIGGERS;

/** A user-level subscription gets every booking of the API key's user; an event type's only that type's. */
export type WebhookScope = { kind: "user" } | { kind: "eventType"; eventTypeId: number };

export type RegisterAction = "created" | "updated" | "unchanged";

/** What `registerWebhook` did to one subscription. */
export type RegisteredWebhook = {
  scope: WebhookScope;
  id: string;
  subscriberUrl: string;
  action: RegisterAction;
  /** For `updated`: what was put right (`triggers`, `secret`, `active`, `payloadTemplate`, `subscriberUrl`). */
  changed: string[];
  triggers: string[];
  active: boolean;
};

export type RegisterResult = {
  subscriberUrl: string;
  webhooks: RegisteredWebhook[];
  /** Things the person should fix in Cal.com that calsync leaves alone (duplicates, overlapping scopes). */
  warnings: string[];
};

/** One subscription as `calsync webhooks list` shows it; the secret itself is never included. */
export type ListedWebhook = {
  scope: WebhookScope;
  id: string;
  subscriberUrl: string;
  triggers: string[];
  active: boolean;
  hasSecret: boolean;
  /** Whether the secret equals the one given (CALCOM_WEBHOOK_SECRET); null when either is unknown. */
  secretMatches: boolean | null;
  /** A custom payload template replaces the body calsync reads: deliveries would be refused with 400. */
  hasPayloadTemplate: boolean;
  /** Whether the URL is a calsync endpoint (its path ends with /api/webhooks/calcom). */
  isCalsyncUrl: boolean;
  /** For a calsync endpoint: the triggers calsync acts on that this subscription does not send. */
  missingTriggers: string[];
};

export type WebhookListing = {
  /** The scopes looked at: the user's, then each configured event type, each with its subscriptions. */
  scopes: { scope: WebhookScope; webhooks: ListedWebhook[] }[];
  warnings: string[];
};

/**
 * Makes Cal.com deliver booking changes to `url`, signed with `secret`. With `eventTypeIds`, one
 * subscription per event type (Cal.com then sends only those event types' bookings); without, one
 * subscription of the API key's user (every booking). An existing subscription to the same URL is brought
 * up to date (triggers, secret, active, default payload) instead of duplicated, so running it again is safe.
 */
export async function registerWebhook(args: {
  calcom: CalcomClient;
  url: string;
  secret: string;
  eventTypeIds: readonly number[];
}): Promise<RegisterResult> {
  const { calcom, url, secret } = args;
  const wanted: CreateWebhookInput = {
    subscriberUrl: url,
    triggers: [...REGISTERED_TRIGGERS],
    secret,
    active: true,
  };
  const webhooks: RegisteredWebhook[] = [];
  const warnings: string[] = [];

  for (const scope of scopesOf(args.eventTypeIds)) {
    const api = scopedApi(calcom, scope);
    const toUrl = (found: ApiWebhook[]) => toUrlIn(found, url);
    let matching = toUrl(await api.list());
    let first = matching[0];
    if (!first) {
      try {
        const created = await api.create(wanted);
        webhooks.push(registered(scope, created, "created", []));
        continue;
      } catch (error) {
        // Another register ran between our list and create: Cal.com refuses a second subscription to one URL.
        if (!(error instanceof UpstreamError && error.status === 409)) throw error;
        matching = toUrl(await api.list());
        first = matching[0];
        if (!first) throw error;
      }
    }

    const changed = differences(first, wanted);
    if (changed.length === 0) {
      webhooks.push(registered(scope, first, "unchanged", []));
    } else {
      const patch: UpdateWebhookInput = {
        triggers: wanted.triggers,
        secret,
        active: true,
        ...(changed.includes("subscriberUrl") ? { subscriberUrl: url } : {}),
        // An empty template makes Cal.com send its default body, which is what calsync reads.
        ...(changed.includes("payloadTemplate") ? { payloadTemplate: "" } : {}),
      };
      webhooks.push(registered(scope, await api.update(first.id, patch), "updated", changed));
    }
    if (matching.length > 1) {
      const others = matching.slice(1).map((webhook) => webhook.id);
      warnings.push(
        `${describeScope(scope)} has ${others.length} more subscription(s) to ${url} (${others.join(", ")}), ` +
          "left as they are: Cal.com delivers each booking once per subscription. Delete the extra ones " +
          "in Cal.com → Settings → Developer → Webhooks.",
      );
    }
  }

  if (args.eventTypeIds.length > 0) {
    const userLevel = await calcom.listWebhooks();
    for (const webhook of toUrlIn(userLevel, url).filter((webhook) => webhook.active)) {
      warnings.push(overlapWarning(webhook.id, url));
    }
  }
  return { subscriberUrl: url, webhooks, warnings };
}

/** A user-level subscription sends every booking, so the event types' own subscriptions make each arrive twice. */
function overlapWarning(id: string, url: string): string {
  return (
    `A user-level subscription (${id}) also sends every booking to ${url}, so bookings of the configured ` +
    "event types arrive twice (and those of other event types are ignored with 202). Delete or deactivate " +
    "it in Cal.com → Settings → Developer → Webhooks."
  );
}

/**
 * The subscriptions of the API key's user and of each configured event type, as they are in Cal.com.
 * `secret` (CALCOM_WEBHOOK_SECRET) is only compared, never returned.
 */
export async function listWebhooks(args: {
  calcom: CalcomClient;
  eventTypeIds: readonly number[];
  secret?: string | undefined;
}): Promise<WebhookListing> {
  const scopes: WebhookListing["scopes"] = [];
  for (const scope of [{ kind: "user" } as const, ...scopesOf(args.eventTypeIds)]) {
    if (scopes.some((seen) => sameScope(seen.scope, scope))) continue;
    const found = await scopedApi(args.calcom, scope).list();
    scopes.push({ scope, webhooks: found.map((webhook) => listed(scope, webhook, args.secret)) });
  }
  const [user, ...eventTypes] = scopes;
  const scopedUrls = eventTypes.flatMap((entry) => entry.webhooks.filter((webhook) => webhook.active));
  const warnings = (user?.webhooks ?? [])
    .filter((webhook) => webhook.active && webhook.isCalsyncUrl)
    .filter((webhook) => scopedUrls.some((scoped) => sameUrl(scoped.subscriberUrl, webhook.subscriberUrl)))
    .map((webhook) => overlapWarning(webhook.id, webhook.subscriberUrl));
  return { scopes, warnings };
}

/**
 * The subscriber URL from what a person typed: an absolute https URL (http only for localhost and
 * 127.0.0.1) whose path ends with /api/webhooks/calcom. A bare origin gets the path appended.
 */
export function resolveWebhookUrl(
  input: string,
): Result<{ url: string; pathAppended: boolean; warnings: string[] }, string> {
  const example = `https://calsync.example.com${WEBHOOK_PATH}`;
  const text = input.trim();
  if (text === "") return err(`required: calsync's public URL, e.g. ${example}`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return err(`expected an absolute URL such as ${example}, got "${input}"`);
  }
  const local = url.hostname === "localhost" || url.hostname === "127.0.0.1";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && local)) {
    return err(
      `expected an https:// URL (http:// only for localhost or 127.0.0.1): deliveries carry the bookers' ` +
        `details, got "${input}"`,
    );
  }
  if (url.hash) return err(`expected a URL without a #fragment, got "${input}"`);
  const path = url.pathname.replace(/\/+$/, "");
  const pathAppended = path === "";
  if (!pathAppended && !path.endsWith(WEBHOOK_PATH)) {
    return err(
      `expected the path to end with ${WEBHOOK_PATH}, calsync's webhook endpoint, got "${input}". ` +
        `Give the full endpoint (${example}) or only the origin (https://calsync.example.com).`,
    );
  }
  url.pathname = pathAppended ? WEBHOOK_PATH : path;
  const warnings = local
    ? [
        `${url.host} is this machine: Cal.com's servers cannot reach it. Use it only with a Cal.com that runs ` +
          "here, or register a tunnel's public https URL instead.",
      ]
    : [];
  return ok({ url: url.href, pathAppended, warnings });
}

export function describeScope(scope: WebhookScope): string {
  return scope.kind === "user" ? "user-level" : `event type ${scope.eventTypeId}`;
}

type ScopedApi = {
  list(): Promise<ApiWebhook[]>;
  create(input: CreateWebhookInput): Promise<ApiWebhook>;
  update(id: string, patch: UpdateWebhookInput): Promise<ApiWebhook>;
};

function scopedApi(calcom: CalcomClient, scope: WebhookScope): ScopedApi {
  if (scope.kind === "user") {
    return { list: calcom.listWebhooks, create: calcom.createWebhook, update: calcom.updateWebhook };
  }
  const { eventTypeId } = scope;
  return {
    list: () =>
      calcom.listEventTypeWebhooks(eventTypeId).catch((error) => explainEventType(error, eventTypeId)),
    create: (input) => calcom.createEventTypeWebhook(eventTypeId, input),
    update: (id, patch) => calcom.updateEventTypeWebhook(eventTypeId, id, patch),
  };
}

/** A 404/403 on an event type's webhooks means CALCOM_EVENT_TYPE_IDS names one the key's user does not own. */
function explainEventType(error: unknown, eventTypeId: number): never {
  if (error instanceof UpstreamError && (error.status === 404 || error.status === 403)) {
    const detail = error.message.replace(/^Cal\.com: /, "");
    throw new UpstreamError(
      "calcom",
      `event type ${eventTypeId} (CALCOM_EVENT_TYPE_IDS) is not one of the API key owner's event types: ${detail} ` +
        "Check the id in Cal.com → Event Types (it is the number in the event type's URL).",
      error.status,
      { cause: error },
    );
  }
  throw error;
}

function scopesOf(eventTypeIds: readonly number[]): WebhookScope[] {
  const unique = [...new Set(eventTypeIds)];
  return unique.length === 0
    ? [{ kind: "user" }]
    : unique.map((eventTypeId) => ({ kind: "eventType", eventTypeId }));
}

function sameScope(a: WebhookScope, b: WebhookScope): boolean {
  return a.kind === "user" ? b.kind === "user" : b.kind === "eventType" && a.eventTypeId === b.eventTypeId;
}

/** What a PATCH must change so the subscription matches what calsync needs. */
function differences(webhook: ApiWebhook, wanted: CreateWebhookInput): string[] {
  const changed: string[] = [];
  if (webhook.subscriberUrl !== wanted.subscriberUrl) changed.push("subscriberUrl");
  const triggers = new Set(webhook.triggers);
  if (
    triggers.size !== wanted.triggers.length ||
    !wanted.triggers.every((trigger) => triggers.has(trigger))
  ) {
    changed.push("triggers");
  }
  // An answer without the secret cannot be compared: it is sent again.
  if (webhook.secret !== wanted.secret) changed.push("secret");
  if (!webhook.active) changed.push("active");
  if (webhook.payloadTemplate) changed.push("payloadTemplate");
  return changed;
}

function registered(
  scope: WebhookScope,
  webhook: ApiWebhook,
  action: RegisterAction,
  changed: string[],
): RegisteredWebhook {
  return {
    scope,
    id: webhook.id,
    subscriberUrl: webhook.subscriberUrl,
    action,
    changed,
    triggers: [...webhook.triggers],
    active: webhook.active,
  };
}

function listed(scope: WebhookScope, webhook: ApiWebhook, secret: string | undefined): ListedWebhook {
  const isCalsyncUrl = pathOf(webhook.subscriberUrl).endsWith(WEBHOOK_PATH);
  const hasSecret = Boolean(webhook.secret);
  return {
    scope,
    id: webhook.id,
    subscriberUrl: webhook.subscriberUrl,
    triggers: [...webhook.triggers],
    active: webhook.active,
    hasSecret,
    secretMatches: secret ? webhook.secret === secret : null,
    hasPayloadTemplate: Boolean(webhook.payloadTemplate),
    isCalsyncUrl,
    missingTriggers: isCalsyncUrl
      ? REGISTERED_TRIGGERS.filter((trigger) => !webhook.triggers.includes(trigger))
      : [],
  };
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname.replace(/\/+$/, "");
  } catch {
    return "";
  }
}

function toUrlIn(webhooks: ApiWebhook[], url: string): ApiWebhook[] {
  return webhooks.filter((webhook) => sameUrl(webhook.subscriberUrl, url));
}

/** Two subscriber URLs are the same endpoint when they differ only in a trailing slash or letter case of host. */
function sameUrl(a: string, b: string): boolean {
  return normalizeUrl(a) === normalizeUrl(b);
}

function normalizeUrl(text: string): string {
  try {
    const url = new URL(text.trim());
    url.hash = "";
    url.pathname = url.pathname.replace(/\/+$/, "") || "/";
    return url.href;
  } catch {
    return text.trim();
  }
}
