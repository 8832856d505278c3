import type { WebhookHealth } from "../../core/webhook-health.ts";
import { type DeliveryLine, deliveryOutcomeText } from "../../db/webhook-deliveries.ts";
import { dateTime, duration } from "./format.ts";
import { type Html, html } from "./html.ts";
import { csrfField } from "./layout.ts";

/** The webhook health in a sentence or two, with what to do when it is not ok. */
export function webhookHealthText(health: WebhookHealth): Html {
  const counts = html`${health.received24h} received and ${health.missed24h} missed in the last 24 hours`;
  if (health.status === "off")
    return html`<span class="badge">off</span> calsync takes no webhooks until CALCOM_WEBHOOK_SECRET is set; the
scheduled sync catches every change.`;
  if (health.status === "degraded")
    return html`<span class="badge bad">degraded</span> ${counts}. ${degradedAdvice(health)}`;
  return html`<span class="badge ok">ok</span> ${counts}.`;
}

export function degradedAdvice(health: WebhookHealth): Html {
  return html`No webhook delivery has arrived for ${health.silenceHours} hours (WEBHOOK_SILENCE_HOURS), while polls
found ${health.missedInSilence} booking change(s) Cal.com should have sent: the subscription is probably gone.
Re-register it with <code>calsync webhooks register --url https://&lt;your host&gt;</code> (see <code>calsync webhooks list</code>).`;
}

/** Every delivery the webhook route received, newest first, with a replay for the stored ones. */
export function webhooksBody(view: {
  health: WebhookHealth;
  deliveries: readonly DeliveryLine[];
  timeZone: string;
  csrf: string;
}): Html {
  return html`<h1>Webhook deliveries</h1>
<section class="card" id="webhook-health" aria-labelledby="webhook-health-title">
<h2 id="webhook-health-title">Are webhooks arriving?</h2>
<p>${webhookHealthText(view.health)}</p>
<p class="meta">A change counts as missed when a poll of Cal.com finds a booking created, cancelled or rescheduled that
no delivery reported.${
    view.health.lastReceivedAt
      ? html` Last delivery: ${dateTime(view.health.lastReceivedAt, view.timeZone)}.`
      : ""
  }</p>
</section>
<section class="card" id="deliveries" aria-labelledby="deliveries-title" style="margin-top:16px">
<h2 id="deliveries-title">Deliveries</h2>
${
  view.deliveries.length === 0
    ? html`<p class="empty">No delivery received yet.</p>`
    : html`<div class="scroll"><table>
<thead><tr><th>Received</th><th>Trigger</th><th>Booking</th><th>Signature</th><th>Stored</th><th>Applied</th><th>Latency</th><th>Outcome</th><th></th></tr></thead>
<tbody>${view.deliveries.map(
        (line) => html`<tr data-delivery="${line.id}">
<td class="num">${dateTime(line.receivedAt, view.timeZone)}</td>
<td>${line.trigger ?? html`<span class="muted">—</span>`}</td>
<td>${line.bookingUid ?? html`<span class="muted">—</span>`}</td>
<td><span class="badge ${line.signature === "valid" ? "ok" : "bad"}">${line.signature}</span></td>
<td>${line.outcome === "stored" ? `stored #${line.eventId}` : line.outcome === "duplicate" ? `duplicate of #${line.eventId}` : "—"}</td>
<td class="num">${line.appliedAt ? dateTime(line.appliedAt, view.timeZone) : "—"}</td>
<td class="num">${line.latencyMs === null ? "—" : duration(line.latencyMs)}</td>
<td>${deliveryOutcomeText(line)}</td>
<td>${
          line.replayable && line.eventId !== null && line.outcome === "stored"
            ? html`<form method="post" action="/dashboard/webhooks/${line.eventId}/replay" class="inline">${csrfField(view.csrf)}<button type="submit" class="secondary">Replay</button></form>`
            : ""
        }</td>
</tr>`,
      )}</tbody></table></div>`
}
<p class="meta">Deliveries with a bad signature keep no body; at most 100 an hour are listed.</p>
</section>`;
}
