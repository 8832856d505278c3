import type { AmbiguousReport, BookingReport } from "../../core/plan-booking-sync.ts";
import type { AttentionReport } from "../run-reports.ts";
import { dateTime } from "./format.ts";
import { type Html, html } from "./html.ts";
import { csrfField } from "./layout.ts";

export type AttentionView = { report: AttentionReport; timeZone: string; csrf: string };

/** Bookings the sync could not place by itself, and what went wrong lately, each with its way out. */
export function attentionBody(view: AttentionView): Html {
  const { report } = view;
  return html`<h1>Needs attention</h1>
<p class="meta">${
    report.runAt
      ? html`From the booking sync of ${dateTime(report.runAt, view.timeZone)}.`
      : "No booking sync has completed yet."
  }</p>
${
  report.heldReverseActions > 0
    ? html`<section class="card" id="held-actions" aria-labelledby="held-title">
<h2 id="held-title">${report.heldReverseActions} Cal.com action(s) from sheet edits are held</h2>
<p>More cancellations or reschedules were typed into the sheet in one go than MAX_REVERSE_ACTIONS_PER_RUN allows,
which is what a paste or a sort gone wrong looks like. Check the sheet first; if the edits are meant, confirm them.</p>
<form method="post" action="/dashboard/sync">${csrfField(view.csrf)}<input type="hidden" name="confirmReverse" value="1">
<button type="submit">Confirm and act on them in Cal.com</button></form>
</section>`
    : ""
}
<div class="grid">
<section class="card" id="unmatched" aria-labelledby="unmatched-title">
<h2 id="unmatched-title">Bookings that match no lead</h2>
${
  report.unmatched.length === 0
    ? html`<p class="empty">None.</p>`
    : html`<ul class="list">${report.unmatched.map((booking) => unmatchedItem(view, booking))}</ul>`
}
</section>
<section class="card" id="ambiguous" aria-labelledby="ambiguous-title">
<h2 id="ambiguous-title">Bookings that match more than one row</h2>
${
  report.ambiguous.length === 0
    ? html`<p class="empty">None.</p>`
    : html`<ul class="list">${report.ambiguous.map((booking) => ambiguousItem(view, booking))}</ul>`
}
</section>
<section class="card" id="pending" aria-labelledby="pending-title">
<h2 id="pending-title">Awaiting the host's confirmation in Cal.com</h2>
${
  report.pending.length === 0
    ? html`<p class="empty">None.</p>`
    : html`<ul class="list">${report.pending.map(
        (booking) => html`<li><div class="grow">${booker(view, booking)}
<div class="meta">${booking.row ? `row ${booking.row}` : "not in the sheet"} · confirm or decline it in Cal.com</div></div></li>`,
      )}</ul>`
}
</section>
<section class="card" id="problems" aria-labelledby="problems-title">
<h2 id="problems-title">Sheet edits put back, conflicts and failures</h2>
${
  report.problems.length === 0
    ? html`<p class="empty">Nothing in the recent runs.</p>`
    : html`<ul class="list">${report.problems.map(
        (
          problem,
        ) => html`<li><div class="when"><span class="badge ${problem.severity === "error" ? "bad" : "warn"}">${problem.severity}</span></div>
<div class="grow">${problem.text}<div class="meta">${dateTime(problem.at, view.timeZone)}</div></div></li>`,
      )}</ul>`
}
</section>
</div>`;
}

function booker(view: AttentionView, booking: BookingReport): Html {
  return html`<span class="name">${booking.name || "(no name)"}</span>
<div class="meta">${[booking.phone, booking.email].filter(Boolean).join(" · ") || "no phone or email"}</div>
<div class="meta">Call ${dateTime(booking.start, view.timeZone)} · booking ${booking.uid}</div>`;
}

function unmatchedItem(view: AttentionView, booking: BookingReport): Html {
  const addable = Boolean(booking.phone || booking.email);
  return html`<li><div class="grow">${booker(view, booking)}</div>
${
  addable
    ? html`<form method="post" action="/dashboard/attention/add-lead">${csrfField(view.csrf)}
<input type="hidden" name="uid" value="${booking.uid}"><button type="submit">Add as new lead</button></form>`
    : ""
}</li>`;
}

function ambiguousItem(view: AttentionView, booking: AmbiguousReport): Html {
  return html`<li><div class="grow">${booker(view, booking)}
<div class="row" style="margin-top:6px">${booking.candidateRows.map(
    (row) => html`<form method="post" action="/dashboard/attention/link">${csrfField(view.csrf)}
<input type="hidden" name="uid" value="${booking.uid}"><input type="hidden" name="row" value="${row}">
<button type="submit" class="secondary">Link to row ${row}</button></form>`,
  )}</div></div></li>`;
}
