import type { SeededRandom } from "./random.ts";

/** A user-level webhook subscription, as Cal.com stores it. */
export type SandboxWebhook = {
  /** Cal.com's webhook ids are uuid strings (the spec's `number` is not what the API sends). */
  id: string;
  userId: number;
  subscriberUrl: string;
  triggers: string[];
  active: boolean;
  secret: string | null;
  payloadTemplate: string | null;
};

export type WebhookFields = Partial<Omit<SandboxWebhook, "id" | "userId">>;

export type WebhookSubscriptions = {
  create(
    fields: WebhookFields & { subscriberUrl: string; triggers: string[]; active: boolean },
  ): SandboxWebhook;
  list(): SandboxWebhook[];
  get(id: string): SandboxWebhook | undefined;
  update(id: string, fields: WebhookFields): SandboxWebhook | undefined;
  remove(id: string): SandboxWebhook | undefined;
  /** Active subscriptions listening to a trigger, in creation order. */
  subscribedTo(trigger: string): SandboxWebhook[];
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

  return {
    create(fields) {
      const webhook: SandboxWebhook = {
        id: newId(),
        userId: options.userId,
        subscriberUrl: fields.subscriberUrl,
        triggers: [...fields.triggers],
        active: fields.active,
        secret: fields.secret ?? null,
        payloadTemplate: fields.payloadTemplate ?? null,
      };
      webhooks.set(webhook.id, webhook);
      return { ...webhook };
    },
    list: () => [...webhooks.values()].map((webhook) => ({ ...webhook })),
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
    subscribedTo: (trigger) =>
      [...webhooks.values()].filter((webhook) => webhook.active && webhook.triggers.includes(trigger)),
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
