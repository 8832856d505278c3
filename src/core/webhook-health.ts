/**
 * Whether Cal.com's webhooks are arriving. A poll that finds a booking created, cancelled or rescheduled
 * that no delivery reported counts it as missed; when polls keep finding such changes while no delivery has
 * arrived for WEBHOOK_SILENCE_HOURS, the subscription is probably gone: `degraded`. Without
 * CALCOM_WEBHOOK_SECRET calsync takes no webhooks at all: `off`.
 */
export type WebhookStatus = "ok" | "degraded" | "off";

export type WebhookHealth = {
  received24h: number;
  missed24h: number;
  status: WebhookStatus;
  /** The last delivery Cal.com signed, if any is remembered. */
  lastReceivedAt: string | null;
  /** Changes polls found that no delivery reported, within the last WEBHOOK_SILENCE_HOURS. */
  missedInSilence: number;
  silenceHours: number;
};

export function webhookHealth(input: {
  configured: boolean;
  received24h: number;
  missed24h: number;
  lastReceivedAt: string | null;
  missedInSilence: number;
  now: Date;
  silenceHours: number;
}): WebhookHealth {
  const silenceStart = input.now.getTime() - input.silenceHours * 3_600_000;
  const silent = input.lastReceivedAt === null || Date.parse(input.lastReceivedAt) < silenceStart;
  const status: WebhookStatus = !input.configured
    ? "off"
    : silent && input.missedInSilence > 0
      ? "degraded"
      : "ok";
  return {
    received24h: input.received24h,
    missed24h: input.missed24h,
    status,
    lastReceivedAt: input.lastReceivedAt,
    missedInSilence: input.missedInSilence,
    silenceHours: input.silenceHours,
  };
}
