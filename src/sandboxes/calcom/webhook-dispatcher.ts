import { SIGNATURE_HEADER, signWebhookBody } from "../../calcom/webhook-signature.ts";
import { renderPayloadTemplate } from "./payload-template.ts";
import type { SeededRandom } from "./random.ts";
import type { WebhookSubscriptions } from "./webhook-subscriptions.ts";

/** `immediate`: sent before the API call that caused them answers. `manual`: queued until `deliver()`. */
export type WebhookMode = "immediate" | "manual";
/** Whether deliveries carry `X-Cal-Webhook-Version`: newer Cal.com sends it, older does not. */
export type VersionHeaderPolicy = "always" | "never" | "sometimes";

export type PendingDelivery = {
  id: number;
  trigger: string;
  webhookId: string;
  subscriberUrl: string;
  bookingUid: string | null;
  /** The exact text sent and signed. */
  body: string;
  headers: Record<string, string>;
};

export type DeliveryAttempt = PendingDelivery & {
  /** The subscriber's answer; null when it could not be reached or the delivery was dropped. */
  status: number | null;
  error?: string;
  /** Lost on the way on purpose (`deliver({drop})`): Cal.com sent it, the subscriber never saw it. */
  dropped?: true;
  attemptedAt: string;
};

export type DeliverOptions = {
  order?: "fifo" | "reverse";
  /** Send every delivery twice in a row, as a retrying proxy or a double click would. */
  duplicate?: boolean;
  /** Positions (0-based, in `pendingDeliveries()` order) of deliveries to lose. */
  drop?: number[];
  /** Pause between consecutive deliveries. */
  delayMs?: number;
};

export type WebhookDispatcher = {
  setMode(mode: WebhookMode): void;
  /**
   * Signs and sends (or queues) one event to every active subscription listening to its trigger: the
   * user's, and those scoped to the booking's event type.
   */
  dispatch(event: {
    trigger: string;
    body: Record<string, unknown>;
    templateData: Record<string, unknown>;
    bookingUid: string | null;
    eventTypeId: number | null;
  }): Promise<void>;
  pending(): PendingDelivery[];
  deliver(options?: DeliverOptions): Promise<DeliveryAttempt[]>;
  log(): DeliveryAttempt[];
};

const WEBHOOK_VERSION = "2021-10-20";
const DELIVERY_TIMEOUT_MS = 10_000;

/**
 * One POST per delivery and no retry, as Cal.com does by default (sendPayload.ts `_sendPayload`):
 * `Content-Type`, `X-Cal-Signature-256` over the exact body, `redirect: "manual"`.
 */
export function createWebhookDispatcher(options: {
  subscriptions: WebhookSubscriptions;
  random: SeededRandom;
  versionHeader: VersionHeaderPolicy;
  now: () => Date;
  mode?: WebhookMode;
}): WebhookDispatcher {
  let mode: WebhookMode = options.mode ?? "immediate";
  let queue: PendingDelivery[] = [];
  const attempts: DeliveryAttempt[] = [];
  let nextId = 1;

  const withVersionHeader = () =>
    options.versionHeader === "always" ||
    (options.versionHeader === "sometimes" && options.random.chance(0.5));

  const send = async (delivery: PendingDelivery): Promise<DeliveryAttempt> => {
    const attemptedAt = options.now().toISOString();
    try {
      const response = await fetch(delivery.subscriberUrl, {
        method: "POST",
        headers: delivery.headers,
        body: delivery.body,
        redirect: "manual",
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      return record({ ...delivery, status: response.status, attemptedAt });
    } catch (error) {
      const reason =
        error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : "";
      return record({ ...delivery, status: null, error: reason || String(error), attemptedAt });
    }
  };

  const record = (attempt: DeliveryAttempt) => {
    attempts.push(attempt);
    return attempt;
  };

  return {
    setMode(value) {
      mode = value;
    },

    async dispatch(event) {
      const deliveries = options.subscriptions
        .subscribedTo(event.trigger, event.eventTypeId)
        .map((webhook): PendingDelivery => {
          const { body, contentType } = webhook.payloadTemplate
            ? renderPayloadTemplate(webhook.payloadTemplate, event.templateData)
            : { body: JSON.stringify(event.body), contentType: "application/json" };
          return {
            id: nextId++,
            trigger: event.trigger,
            webhookId: webhook.id,
            subscriberUrl: webhook.subscriberUrl,
            bookingUid: event.bookingUid,
            body,
            headers: {
              "Content-Type": contentType,
              [SIGNATURE_HEADER]: signWebhookBody(body, webhook.secret),
              ...(withVersionHeader() ? { "X-Cal-Webhook-Version": WEBHOOK_VERSION } : {}),
            },
          };
        });
      if (mode === "manual") {
        queue.push(...deliveries);
        return;
      }
      await Promise.all(deliveries.map(send));
    },

    pending: () => queue.map((delivery) => ({ ...delivery, headers: { ...delivery.headers } })),

    async deliver(deliverOptions = {}) {
      const taken = queue;
      queue = [];
      const dropped = new Set(deliverOptions.drop ?? []);
      const ordered = taken.map((delivery, position) => ({ delivery, position }));
      if (deliverOptions.order === "reverse") ordered.reverse();
      const results: DeliveryAttempt[] = [];
      let first = true;
      for (const { delivery, position } of ordered) {
        for (let copy = 0; copy < (deliverOptions.duplicate ? 2 : 1); copy++) {
          if (!first && deliverOptions.delayMs)
            await new Promise((done) => setTimeout(done, deliverOptions.delayMs));
          first = false;
          if (dropped.has(position)) {
            results.push(
              record({ ...delivery, status: null, dropped: true, attemptedAt: options.now().toISOString() }),
            );
          } else {
            results.push(await send(delivery));
          }
        }
      }
      return results;
    },

    log: () => attempts.map((attempt) => ({ ...attempt, headers: { ...attempt.headers } })),
  };
}
