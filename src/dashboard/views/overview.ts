import {
  type DashboardBooking,
  type DashboardLead,
  displayName,
  type UpcomingCall,
} from "../../core/dashboard-lists.ts";
import { calcomBookingUrl, clockTime, dateTime, dayLabel, phoneText } from "./format.ts";
import { type Html, html } from "./html.ts";
import { statusBadge } from "./layout.ts";

export type OverviewView = {
  now: Date;
  timeZone: string;
  calcomApiUrl: string;
  hotStatuses: readonly string[];
  calls: UpcomingCall[];
  hot: { lead: DashboardLead; next: DashboardBooking | null }[];
  /** The host asked these leads to pick another time; they have not booked again yet. */
  waitingToRebook: DashboardLead[];
  attentionCount: number;
};

/**
 * The sales dashboard's front page: "Upcoming Calls" for the next 7 days, "Hot Leads" with their next call,
 * and, when there are any, the leads waiting to rebook after the host asked for another time.
 */
export function overviewBody(view: OverviewView): Html {
  return html`<h1>Overview</h1>
${
  view.attentionCount > 0
    ? html`<div class="notice error" role="status"><a href="/dashboard/attention">${view.attentionCount} booking(s) need attention</a>: they matched no lead, or more than one.</div>`
    : ""
}
<div class="grid two">
<section class="card" id="upcoming-calls" aria-labelledby="upcoming-title">
<h2 id="upcoming-title">Upcoming Calls <span class="muted small">next 7 days</span></h2>
${view.calls.length === 0 ? html`<p class="empty">No calls booked in the next 7 days.</p>` : callsByDay(view)}
</section>
<section class="card" id="hot-leads" aria-labelledby="hot-title">
<h2 id="hot-title">Hot Leads <span class="muted small">${view.hotStatuses.join(", ")}</span></h2>
${
  view.hot.length === 0
    ? html`<p class="empty">No leads with a hot status.</p>`
    : html`<ul class="list">${view.hot.map(({ lead, next }) => hotItem(view, lead, next))}</ul>`
}
</section>
</div>
${view.waitingToRebook.length === 0 ? "" : rebookSection(view)}`;
}

function rebookSection(view: OverviewView): Html {
  return html`<section class="card" id="waiting-to-rebook" aria-labelledby="rebook-title">
<h2 id="rebook-title">Waiting to rebook <span class="muted small">the host asked for another time</span></h2>
<ul class="list">${view.waitingToRebook.map(
    (lead) => html`<li><div class="grow">
<a class="name" href="/dashboard/leads/${encodeURIComponent(lead.id)}">${displayName(lead) || "(no name)"}</a>
${statusBadge(lead.contactStatus, view.hotStatuses)}
<div class="meta">${lead.phone ? html`<a href="tel:${lead.phone}">${phoneText(lead.phone)}</a>` : "no phone"}${
      lead.sheetRow ? html` · row ${lead.sheetRow}` : ""
    }</div>
</div></li>`,
  )}</ul>
</section>`;
}

function callsByDay(view: OverviewView): Html {
  const days = new Map<string, UpcomingCall[]>();
  for (const call of view.calls) {
    const label = dayLabel(call.booking.start as string, view.timeZone, view.now);
    days.set(label, [...(days.get(label) ?? []), call]);
  }
  return html`${[...days].map(
    ([label, calls]) =>
      html`<h3>${label}</h3><ul class="list">${calls.map((call) => callItem(view, call))}</ul>`,
  )}`;
}

function callItem(view: OverviewView, { lead, booking }: UpcomingCall): Html {
  return html`<li data-booking="${booking.uid}">
<div class="when">${clockTime(booking.start, view.timeZone)}</div>
<div class="grow">
<a class="name" href="/dashboard/leads/${encodeURIComponent(lead.id)}">${displayName(lead) || "(no name)"}</a>
${statusBadge(lead.contactStatus, view.hotStatuses)}
${booking.status === "pending" ? html`<span class="badge warn">awaiting confirmation</span>` : ""}
<div class="meta">${lead.phone ? html`<a href="tel:${lead.phone}">${phoneText(lead.phone)}</a>` : "no phone"}${
    lead.email ? html` · ${lead.email}` : ""
  }</div>
<div class="meta"><a href="${calcomBookingUrl(view.calcomApiUrl, booking.uid)}" rel="noopener noreferrer" target="_blank">Open in Cal.com</a></div>
</div>
</li>`;
}

function hotItem(view: OverviewView, lead: DashboardLead, next: DashboardBooking | null): Html {
  return html`<li>
<div class="grow">
<a class="name" href="/dashboard/leads/${encodeURIComponent(lead.id)}">${displayName(lead) || "(no name)"}</a>
${statusBadge(lead.contactStatus, view.hotStatuses)}
<div class="meta">${lead.phone ? html`<a href="tel:${lead.phone}">${phoneText(lead.phone)}</a>` : "no phone"}${
    lead.sheetRow ? html` · row ${lead.sheetRow}` : ""
  }</div>
<div class="meta">${next ? html`Next call: ${dateTime(next.start, view.timeZone)}` : "No call booked"}</div>
</div>
</li>`;
}
