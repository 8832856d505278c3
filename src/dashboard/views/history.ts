import type { WebhookHealth } from "../../core/webhook-health.ts";
import type { Reachability } from "../reachability.ts";
import type { HistoryReport } from "../run-reports.ts";
import { dateTime, duration } from "./format.ts";
import { type Html, html } from "./html.ts";
import { KIND_LABEL } from "./run.ts";
import { webhookHealthText } from "./webhooks.ts";

export type HistoryView = {
  report: HistoryReport;
  reachability: { checkedAt: string; systems: Reachability[] };
  schedules: { bookingSync: string; sheetCopy: string };
  timeZone: string;
  webhooks: WebhookHealth;
};

/** Sync history and health: is every system answering, what did the last runs do, are webhooks flowing. */
export function historyBody(view: HistoryView): Html {
  const { report } = view;
  return html`<h1>Sync history and health</h1>
<div class="grid two">
<section class="card" id="systems" aria-labelledby="systems-title">
<h2 id="systems-title">Systems</h2>
<ul class="list">${view.reachability.systems.map(
    (
      system,
    ) => html`<li><div class="when"><span class="badge ${system.ok ? "ok" : "bad"}">${system.ok ? "up" : "down"}</span></div>
<div class="grow"><span class="name">${system.system}</span><div class="meta">${system.detail}</div></div></li>`,
  )}</ul>
<p class="meta">Checked ${dateTime(view.reachability.checkedAt, view.timeZone)}.</p>
</section>
<section class="card" id="jobs" aria-labelledby="jobs-title">
<h2 id="jobs-title">Jobs and webhooks</h2>
<dl class="fields">
<dt>Booking sync</dt><dd>${scheduleText(view.schedules.bookingSync)}</dd>
<dt>Sheet copy</dt><dd>${scheduleText(view.schedules.sheetCopy)}${
    report.lastSheetCopy
      ? html`<div class="meta">last ran ${dateTime(report.lastSheetCopy.at, view.timeZone)}: ${
          report.lastSheetCopy.success
            ? `${report.lastSheetCopy.written} copied, ${report.lastSheetCopy.archived} archived`
            : "failed"
        }</div>`
      : html`<div class="meta">has not run yet</div>`
  }</dd>
<dt>Webhook events</dt><dd>${report.events.received} received in the last 24 hours, ${report.events.pending} pending${
    report.events.failing > 0 ? html`, <span class="badge bad">${report.events.failing} failing</span>` : ""
  }</dd>
<dt>Webhooks</dt><dd id="webhook-status">${webhookHealthText(view.webhooks)} <a href="/dashboard/webhooks">Deliveries</a></dd>
</dl>
</section>
</div>
<section class="card" id="runs" aria-labelledby="runs-title" style="margin-top:16px">
<h2 id="runs-title">Recent runs</h2>
${
  report.runs.length === 0
    ? html`<p class="empty">No runs yet.</p>`
    : html`<div class="scroll"><table>
<thead><tr><th>Time</th><th>Job</th><th>Trigger</th><th>Result</th><th>What happened</th><th>API calls</th><th>Duration</th></tr></thead>
<tbody>${report.runs.map(
        (run) => html`<tr>
<td class="num"><a href="/dashboard/runs/${run.id}">${dateTime(run.startedAt, view.timeZone)}</a></td>
<td>${KIND_LABEL[run.kind] ?? run.kind}</td>
<td>${run.trigger}</td>
<td>${
          run.finished
            ? html`<span class="badge ${run.success ? "ok" : "bad"}">${run.success ? "ok" : "failed"}</span>`
            : html`<span class="badge warn">running</span>`
        }</td>
<td>${run.summary}${run.error ? html`<div class="meta">${run.error}</div>` : ""}</td>
<td class="num">Cal.com ${run.apiCalls.calcom} · Sheets ${run.apiCalls.sheets} · Sanity ${run.apiCalls.sanity}</td>
<td class="num">${duration(run.durationMs)}</td>
</tr>`,
      )}</tbody>
</table></div>`
}
<p class="meta">Sheet copies that changed nothing are not listed. Open a run for every cell it changed, and to undo it.</p>
</section>`;
}

function scheduleText(schedule: string): string {
  return schedule === "off" ? "not scheduled (off)" : `scheduled: ${schedule}`;
}
