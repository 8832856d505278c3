import type { WebhookHealth } from "../core/webhook-health.ts";
import { type DeliveryLine, deliveryOutcomeText, listDeliveries } from "../db/webhook-deliveries.ts";
import { readWebhookHealth } from "../db/webhook-health.ts";
import { redactDeep } from "../log/redact.ts";
import { printFromDatabase } from "./print-from-database.ts";

/** What `calsync webhooks deliveries` does (its options are in webhooks-deliveries-command.ts). */
export function runWebhookDeliveries(options: { json?: boolean; limit: string }): Promise<void> {
  return printFromDatabase(options, async (runtime, limit) => {
    const [deliveries, health] = await Promise.all([
      listDeliveries(runtime.db, limit),
      readWebhookHealth(runtime.db, {
        now: runtime.ctx.clock(),
        silenceHours: runtime.config.webhookSilenceHours,
        configured: Boolean(runtime.config.calcom.webhookSecret),
      }),
    ]);
    const answer = redactDeep({
      success: true,
      webhooks: health,
      deliveries: deliveries.map(deliveryJson),
    });
    return options.json ? JSON.stringify(answer) : formatDeliveries(answer.webhooks, deliveries);
  });
}

/** One delivery as `--json` prints it. */
export function deliveryJson(line: DeliveryLine) {
  return {
    id: line.id,
    receivedAt: line.receivedAt,
    trigger: line.trigger,
    bookingUid: line.bookingUid,
    signature: line.signature,
    stored: line.outcome === "stored",
    duplicate: line.outcome === "duplicate",
    outcome: line.outcome,
    eventId: line.eventId,
    appliedAt: line.appliedAt,
    latencyMs: line.latencyMs,
    error: line.error ?? (line.outcome === "rejected" || line.outcome === "unreadable" ? line.detail : null),
    detail: line.detail,
  };
}

function formatDeliveries(health: WebhookHealth, deliveries: readonly DeliveryLine[]): string {
  const lines = [
    `Webhooks ${health.status}: ${health.received24h} delivery(ies) received and ${health.missed24h} change(s) missed in the last 24 hours.`,
  ];
  if (health.status === "degraded") {
    lines.push(
      `  No delivery for ${health.silenceHours} hours while polls found ${health.missedInSilence} change(s): the subscription is probably gone. Re-register it with \`calsync webhooks register --url https://<your host>\`.`,
    );
  }
  if (deliveries.length === 0) lines.push("No deliveries received yet.");
  for (const line of redactDeep(deliveries)) {
    const latency = line.latencyMs === null ? "" : ` in ${line.latencyMs} ms`;
    lines.push(
      `  #${line.id}  ${line.receivedAt}  ${line.trigger ?? "(unknown)"}  ${line.bookingUid ?? "-"}  signature ${line.signature}  ${deliveryOutcomeText(line)}${line.appliedAt ? ` at ${line.appliedAt}${latency}` : ""}`,
    );
  }
  return lines.join("\n");
}
