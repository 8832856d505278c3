import {
  type BookingKind,
  classifyBookings,
  type DashboardLead,
  displayName,
} from "../../core/dashboard-lists.ts";
import type { TimelineItem } from "../../core/lead-timeline.ts";
import type { LeadPageDocument } from "../queries.ts";
import { calcomBookingUrl, dateTime, localInputValue, phoneText } from "./format.ts";
import { type Html, html } from "./html.ts";
import { csrfField, statusBadge } from "./layout.ts";

export type LeadView = {
  lead: LeadPageDocument;
  now: Date;
  timeZone: string;
  calcomApiUrl: string;
  hotStatuses: readonly string[];
  csrf: string;
  /** What the event type field starts with: see defaultEventTypeId. */
  defaultEventTypeId: number | null;
  /** What Cal.com reported and what calsync did, newest first. */
  timeline: readonly TimelineItem[];
};

const KIND_TONE: Record<BookingKind, string> = {
  upcoming: "ok",
  "awaiting confirmation": "warn",
  past: "",
  cancelled: "bad",
  rejected: "bad",
  rescheduled: "warn",
};

/** A lead's page: who they are, every booking they have had, their sheet row, and booking a call. */
export function leadBody(view: LeadView): Html {
  const { lead } = view;
  const name = displayName(lead) || "(no name)";
  return html`<h1>${name} ${statusBadge(lead.contactStatus, view.hotStatuses)}</h1>
<p class="meta">${lead.archived ? html`<span class="badge bad">archived</span> no longer in the sheet` : html`Sheet row ${lead.sheetRow ?? "?"}`}
${lead.phone ? html` · <a href="tel:${lead.phone}">${phoneText(lead.phone)}</a>` : ""}${lead.email ? html` · ${lead.email}` : ""}</p>
<div class="grid two">
<div class="grid">
${bookCallCard(view)}
<section class="card" id="bookings" aria-labelledby="bookings-title">
<h2 id="bookings-title">Bookings</h2>
${bookingList(view)}
</section>
</div>
<div class="grid">
<section class="card" id="sheet-row" aria-labelledby="row-title">
<h2 id="row-title">Sheet row${lead.sheetRow ? html` ${lead.sheetRow}` : ""}</h2>
${
  (lead.sheetFields ?? []).length === 0
    ? html`<p class="empty">The sheet copy has not brought this row over yet.</p>`
    : html`<dl class="fields">${(lead.sheetFields ?? []).map(
        (field) =>
          html`<dt>${field.header}</dt><dd>${field.value === "" ? html`<span class="muted">—</span>` : field.value}</dd>`,
      )}</dl>`
}
</section>
${timelineCard(view)}
</div>
</div>`;
}

const TIMELINE_LABEL: Record<TimelineItem["kind"], string> = {
  booking: "Cal.com",
  cell: "sheet",
  "put-back": "put back",
  calcom: "Cal.com action",
};

function timelineCard(view: LeadView): Html {
  return html`<section class="card" id="timeline" aria-labelledby="timeline-title">
<h2 id="timeline-title">Timeline</h2>
${
  view.timeline.length === 0
    ? html`<p class="empty">Nothing recorded for this lead yet.</p>`
    : html`<ol class="timeline">${view.timeline.map(
        (item) => html`<li class="${item.kind}">
<div><span class="badge">${TIMELINE_LABEL[item.kind]}</span> ${item.title}${
          item.missedWebhook ? html` <span class="badge warn">no webhook reported it</span>` : ""
        }</div>
<div class="meta">${item.detail}</div>
<div class="meta">${dateTime(item.at, view.timeZone)}${
          item.runId !== null ? html` · <a href="/dashboard/runs/${item.runId}">run ${item.runId}</a>` : ""
        }</div>
</li>`,
      )}</ol>`
}
</section>`;
}

function bookCallCard(view: LeadView): Html {
  const { lead } = view;
  const blocked = lead.archived
    ? "This lead is no longer in the sheet."
    : !lead.email
      ? "The sheet has no email for this lead, and Cal.com needs one to book."
      : null;
  const tomorrow = new Date(view.now.getTime() + 86_400_000);
  const defaultStart = `${localInputValue(tomorrow, view.timeZone).slice(0, 10)}T10:00`;
  return html`<section class="card" id="book-call" aria-labelledby="book-title">
<h2 id="book-title">Book a call</h2>
${
  blocked
    ? html`<p class="empty">${blocked}</p>`
    : html`<form method="post" action="/api/book-call">
${csrfField(view.csrf)}
<input type="hidden" name="leadId" value="${lead.id}">
<div class="row">
<div><label for="start">Start (${view.timeZone})</label>
<input type="datetime-local" id="start" name="start" required value="${defaultStart}" step="300"></div>
<div><label for="eventTypeId">Cal.com event type</label>
<input type="number" id="eventTypeId" name="eventTypeId" min="1" ${view.defaultEventTypeId === null ? "required" : ""} value="${view.defaultEventTypeId ?? ""}"></div>
<div><button type="submit">Book call</button></div>
</div>
<p class="meta">Books ${displayName(lead) || lead.email} (${lead.email}) in Cal.com; the sheet and this page show it straight away.</p>
</form>`
}
</section>`;
}

function bookingList(view: LeadView): Html {
  const bookings = classifyBookings(view.lead as DashboardLead, view.now);
  if (bookings.length === 0) return html`<p class="empty">No bookings yet.</p>`;
  return html`<ul class="list">${bookings.map(
    ({ booking, kind }) => html`<li data-booking="${booking.uid}">
<div class="grow">
<span class="name">${dateTime(booking.start, view.timeZone)}</span>
<span class="badge ${KIND_TONE[kind]}">${kind}</span>
<div class="meta"><a href="${calcomBookingUrl(view.calcomApiUrl, booking.uid)}" rel="noopener noreferrer" target="_blank">Open in Cal.com</a> · ${booking.uid}</div>
</div>
</li>`,
  )}</ul>`;
}

/** The leads list with its search box. */
export function leadsBody(view: {
  query: string;
  leads: DashboardLead[];
  hotStatuses: readonly string[];
}): Html {
  return html`<h1>Leads</h1>
<form method="get" action="/dashboard/leads" class="row" role="search">
<div class="grow"><label for="q">Find a lead</label>
<input type="search" id="q" name="q" value="${view.query}" placeholder="Name, email or phone"></div>
<div><button type="submit">Search</button></div>
</form>
<section class="card" style="margin-top:14px">
${
  view.leads.length === 0
    ? html`<p class="empty">${view.query ? "No lead matches." : "No leads on the dashboard yet: run a sync."}</p>`
    : html`<ul class="list">${view.leads.map(
        (lead) => html`<li><div class="grow">
<a class="name" href="/dashboard/leads/${encodeURIComponent(lead.id)}">${displayName(lead) || "(no name)"}</a>
${statusBadge(lead.contactStatus, view.hotStatuses)}
<div class="meta">row ${lead.sheetRow ?? "?"}${lead.phone ? html` · ${phoneText(lead.phone)}` : ""}${lead.email ? html` · ${lead.email}` : ""}</div>
</div></li>`,
      )}</ul>`
}
</section>`;
}
