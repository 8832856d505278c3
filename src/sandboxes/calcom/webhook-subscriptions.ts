import type { SeededRandom } from "./random.ts";

/**
 * A webhook subscription, as Cal.com stores it: user-level (`userId` set, `eventTypeId` null: every booking
 * of the user) or scoped to one event type (`eventTypeId` set, `userId` null: only that event type's
 * bookings), as the two creating endpoints leave the row.
 */
export type SandboxWebhook = {
  /** Cal.com's webhook ids are uuid strings (the spec's `number` is not what the API sends). */
  id: string;
  userId: number | null;
  eventTypeId: number | null;
  subscriberUrl: string;
  triggers: string[];
  active: boolean;
  secret: string | null;
  payloadTemplate: string | null;
};

export type WebhookFields = Partial<Omit<SandboxWebhook, "id" | "userId" | "eventTypeId">>;

/** Whose subscriptions: the API key's user, or one event type. */
export type WebhookOwner = { kind: "user" } | { kind: "eventType"; eventTypeId: number };

export type WebhookSubscriptions = {
  /** The API key's user, owner of the user-level subscriptions. */
  userId: number;
  create(
    fields: WebhookFields & { subscriberUrl: string; triggers: string[]; active: boolean },
    owner?: WebhookOwner,
  ): SandboxWebhook;
  /** Every subscription, or only one owner's. */
  list(owner?: WebhookOwner): SandboxWebhook[];
  get(id: string): SandboxWebhook | undefined;
  update(id: string, fields: WebhookFields): SandboxWebhook | undefined;
  remove(id: string): SandboxWebhook | undefined;
  /**
   * Active subscriptions listening to a trigger for a booking of `eventTypeId`: the user's, then those of
   * the event type, as Cal.com's getSubscribers unions them (two subscriptions to one URL deliver twice).
   */
  subscribedTo(trigger: string, eventTypeId: number | null): SandboxWebhook[];
};

export function createWebhookSubscriptions(options: {
  userId: number;
  random: SeededRandom;
}): WebhookSubscriptions {
  const webhooks = new Map<string, SandboxWebhook>();
  const newId = () => {
    const hex = options.random.token(32, "0123456789abcdef");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
  };
  const belongsTo = (webhook: SandboxWebhook, owner: WebhookOwner) =>
    owner.kind === "user"
      ? webhook.eventTypeId === null && webhook.userId === options.userId
      : webhook.eventTypeId === owner.eventTypeId;

  return {
    userId: options.userId,
    create(fields, owner = { kind: "user" }) {
      const webhook: SandboxWebhook = {
        id: newId(),
        userId: owner.kind === "user" ? options.userId : null,
        eventTypeId: owner.kind === "eventType" ? owner.eventTypeId : null,
        subscriberUrl: fields.subscriberUrl,
        triggers: [...fields.triggers],
        active: fields.active,
        secret: fields.secret ?? null,
        payloadTemplate: fields.payloadTemplate ?? null,
      };
      webhooks.set(webhook.id, webhook);
      return { ...webhook };
    },
    list: (owner) =>
      [...webhooks.values()]
        .filter((webhook) => owner === undefined || belongsTo(webhook, owner))
        .map((webhook) => ({ ...webhook })),
    get(id) {
      const webhook = webhooks.get(id);
      return webhook ? { ...webhook } : undefined;
    },
    update(id, fields) {
      const current = webhooks.get(id);
      if (!current) return undefined;
      const defined = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
      const updated = { ...current, ...defined };
      webhooks.set(id, updated);
      return { ...updated };
    },
    remove(id) {
      const webhook = webhooks.get(id);
      webhooks.delete(id);
      return webhook;
    },
    subscribedTo(trigger, eventTypeId) {
      const listening = [...webhooks.values()].filter(
        (webhook) => webhook.active && webhook.triggers.includes(trigger),
      );
      return [
        ...listening.filter((webhook) => belongsTo(webhook, { kind: "user" })),
        ...(eventTypeId === null
          ? []
          : listening.filter((webhook) => belongsTo(webhook, { kind: "eventType", eventTypeId }))),
      ];
    },
  };
}

/** UserWebhookOutputDto: `payloadTemplate` is null when none was set (the column is nullable). */
export function toApiWebhook(webhook: SandboxWebhook) {
  return {
    payloadTemplate: webhook.payloadTemplate,
    triggers: [...webhook.triggers],
    userId: webhook.userId,
    id: webhook.id,
    subscriberUrl: webhook.subscriberUrl,
    active: webhook.active,
    ...(webhook.secret ? { secret: webhook.secret } : {}),
  };
}

/** EventTypeWebhookOutputDto: the user-level answer with `eventTypeId` in place of `userId`. */
export function toApiEventTypeWebhook(webhook: SandboxWebhook) {
  return {
    payloadTemplate: webhook.payloadTemplate,
    triggers: [...webhook.triggers],
    eventTypeId: webhook.eventTypeId,
    id: webhook.id,
    subscriberUrl: webhook.subscriberUrl,
    active: webhook.active,
    ...(webhook.secret ? { secret: webhook.secret } : {}),
  };
}
