import { type WebhookHealth, webhookHealth } from "../core/webhook-health.ts";
import { countMissed } from "./booking-news.ts";
import type { Queryable } from "./database.ts";
import { deliveryActivity } from "./webhook-deliveries.ts";

const DAY_MS = 86_400_000;

/**
 * Deliveries received and changes missed over the last 24 hours, and whether polls have kept finding
 * changes through a silence of WEBHOOK_SILENCE_HOURS (see core/webhook-health.ts). A few indexed counts:
 * the health route, the dashboard's banner and the history page all read it.
 */
export async function readWebhookHealth(
  db: Queryable,
  options: { now: Date; silenceHours: number; configured: boolean },
): Promise<WebhookHealth> {
  const { now } = options;
  const dayAgo = new Date(now.getTime() - DAY_MS);
  const silenceStart = new Date(now.getTime() - options.silenceHours * 3_600_000);
  const [activity, missed24h, missedInSilence] = await Promise.all([
    deliveryActivity(db, dayAgo),
    countMissed(db, dayAgo),
    countMissed(db, silenceStart),
  ]);
  return webhookHealth({
    configured: options.configured,
    received24h: activity.received,
    missed24h,
    lastReceivedAt: activity.lastReceivedAt,
    missedInSilence,
    now,
    silenceHours: options.silenceHours,
  });
}
