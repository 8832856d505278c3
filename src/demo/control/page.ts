import { type Html, html } from "../../dashboard/views/html.ts";
import { csrfField } from "../../dashboard/views/layout.ts";
import type { BookingLine, ControlView, RunLine, SheetView } from "./view.ts";

/**
 * The demo's control page: plain server-rendered HTML and forms (no script), readable on a phone. Every
 * form posts back here with the session's CSRF token (the dashboard's guard checks it), and the answer redirects to the page with a notice.
 */
export function renderControlPage(view: ControlView): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>calsync demo controls</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>calsync demo controls</h1>
<nav>${view.links.map((link) => html`<a href="${link.url}">${link.label}</a> `)}</nav>
<p class="hint">Act as the people around calsync: bookers in Cal.com and the team in the sheet. Times are in ${view.timeZone}.</p>
</header>
<main>
${view.notice ? noticeBox(view.notice) : ""}
<section id="sync">
<form method="post" action="${view.basePath}/sync">${token(view)}<button>Run sync now</button></form>
</section>
${scenariosSection(view)}
${bookingsSection(view)}
${sheetSection(view)}
${activitySection(view)}
</main>
</body>
</html>
`.toString();
}

function token(view: ControlView): Html {
  return csrfField(view.csrfToken);
}

function noticeBox(notice: NonNullable<ControlView["notice"]>): Html {
  return html`<section class="notice ${notice.kind}" role="status">
<strong>${notice.title}</strong>
${notice.lines.length > 0 ? html`<pre>${notice.lines.join("\n")}</pre>` : ""}
</section>`;
}

function scenariosSection(view: ControlView): Html {
  if (view.scenarios.length === 0) return html``;
  return html`<section id="scenarios">
<h2>What to look at</h2>
<ul class="scenarios">${view.scenarios.map(
    (s) => html`<li><a href="${view.basePath}#row-${s.row}">Row ${s.row}</a>: ${s.label}</li>`,
  )}</ul>
</section>`;
}

function bookingsSection(view: ControlView): Html {
  if (view.bookings === null) {
    return html`<section id="bookings"><h2>Cal.com</h2>
<p>Cal.com is your real account (CALCOM_API_KEY is set): book, move and cancel calls there.</p></section>`;
  }
  return html`<section id="bookings">
<h2>Cal.com bookings (sandbox)</h2>
<p class="hint">Each action is a booker's own, as on Cal.com's booking page: Cal.com sends calsync a webhook.</p>
<ul class="bookings">${view.bookings.map((line) => bookingItem(view, line))}</ul>
<h3>Book a call</h3>
<form method="post" action="${view.basePath}/book" class="stack">${token(view)}
<label>Name <input name="name" required maxlength="100" autocomplete="off"></label>
<label>Email <input name="email" type="email" required maxlength="200" autocomplete="off"></label>
<label>Phone <input name="phone" type="tel" maxlength="40" placeholder="+447700900123" autocomplete="off"></label>
<label>Time <input name="start" type="datetime-local" required step="900" value="${view.bookDefault}"></label>
<button>Book</button>
</form>
</section>`;
}

function bookingItem(view: ControlView, line: BookingLine): Html {
  const status =
    line.state === "rescheduled"
      ? html`rescheduled${line.movedTo ? html` → ${line.movedTo}` : ""}`
      : html`${line.state}${line.isPast ? " (past)" : ""}`;
  const changeable = (line.state === "booked" || line.state === "pending") && !line.isPast;
  return html`<li class="${line.state}${line.isPast ? " past" : ""}">
<div><strong>${line.when}</strong> · ${status}</div>
<div>${line.name} <small>${line.email ?? ""}${line.phone ? html` · ${line.phone}` : ""}</small></div>
${
  changeable
    ? html`<div class="actions"><form method="post" action="${view.basePath}/cancel" class="inline">${token(view)}
<input type="hidden" name="uid" value="${line.uid}"><button>Cancel</button></form>
<form method="post" action="${view.basePath}/reschedule" class="inline">${token(view)}
<input type="hidden" name="uid" value="${line.uid}">
<input name="start" type="datetime-local" required step="900" value="${line.rescheduleDefault}" aria-label="New time">
<button>Reschedule</button></form></div>`
    : ""
}
</li>`;
}

function sheetSection(view: ControlView): Html {
  const sheet = view.sheet;
  if (sheet === null) {
    return html`<section id="sheet"><h2>Lead sheet</h2>
<p>The sheet is your real Google Sheet (GOOGLE_SHEETS_SPREADSHEET_ID is set): edit it in Google Sheets.</p></section>`;
  }
  const toggle = sheet.allColumns
    ? html`<a href="${view.basePath}#sheet">Show fewer columns</a>`
    : html`<a href="${view.basePath}?cols=all#sheet">Show all columns</a>`;
  return html`<section id="sheet">
<h2>Lead sheet “${sheet.title}” (sandbox)</h2>
${editForm(view, sheet)}
<p class="hint">Tap a cell to edit it. ${toggle}</p>
<div class="scroll"><table class="sheet">
<thead><tr><th>#</th>${sheet.columns.map((c) => html`<th>${c.letter}</th>`)}<th>scenario</th></tr></thead>
<tbody>${sheet.rows.map((row) => sheetRow(view, sheet, row))}</tbody>
</table></div>
</section>`;
}

function editForm(view: ControlView, sheet: SheetView): Html {
  return html`<form id="edit" method="post" action="${view.basePath}/cell" class="stack">${token(view)}
<label>Cell <input name="cell" required maxlength="8" pattern="[A-Za-z]{1,2}[0-9]{1,6}" placeholder="A45" value="${sheet.edit?.cell ?? ""}" autocomplete="off"></label>
<label>Type <input name="value" maxlength="500" value="${sheet.edit?.value ?? ""}" autocomplete="off"></label>
<button>Enter</button>
<small>Typed as a person types in Google Sheets: <code>07700 900123</code> becomes a number, a leading <code>'</code> keeps text, nothing clears the cell.</small>
</form>`;
}

function sheetRow(view: ControlView, sheet: SheetView, row: SheetView["rows"][number]): Html {
  const cells = row.cells.map((text, i) => {
    const a1 = `${sheet.columns[i]?.letter ?? "A"}${row.row}`;
    const query = `?edit=${a1}${sheet.allColumns ? "&cols=all" : ""}#edit`;
    return html`<td><a href="${view.basePath}${query}">${text === "" ? "·" : text}</a></td>`;
  });
  return html`<tr id="row-${row.row}"${row.scenario ? html` class="scenario"` : ""}><th>${row.row}</th>${cells}<td class="label">${row.scenario ?? ""}</td></tr>`;
}

function activitySection(view: ControlView): Html {
  return html`<section id="activity">
<h2>What calsync did</h2>
${view.runs.length === 0 ? html`<p>No sync runs yet.</p>` : html`<ul>${view.runs.map(runItem)}</ul>`}
${
  view.deliveries.length > 0
    ? html`<h3>Webhooks Cal.com sent</h3><ul>${view.deliveries.map(
        (d) =>
          html`<li>${d.at} ${d.trigger} → ${d.status === null ? "not delivered" : `HTTP ${d.status}`}</li>`,
      )}</ul>`
    : ""
}
</section>`;
}

function runItem(run: RunLine): Html {
  const updates = run.updates.map(
    (u) => html`<li>row ${u.row} ${u.name} ${u.bookingTime || "(cleared)"} · ${u.action}</li>`,
  );
  return html`<li><strong>${run.at}</strong> ${run.label}: ${run.message}${
    updates.length > 0 ? html`<ul>${updates}</ul>` : ""
  }</li>`;
}

const STYLE = html`
body{font:15px/1.4 system-ui,sans-serif;margin:0;padding:0 12px 40px;color:#1d232a;background:#fafafa}
header,main{max-width:1100px;margin:0 auto}
h1{font-size:1.3em;margin:12px 0 4px} h2{font-size:1.1em;margin-top:28px} h3{font-size:1em}
nav a{margin-right:10px}
.hint{color:#5b6570;font-size:.9em}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;border:1px solid #ddd;background:#fff}
table{border-collapse:collapse;width:100%} th,td{padding:4px 6px;border-bottom:1px solid #eee;text-align:left;vertical-align:top;white-space:nowrap}
table.sheet td a{color:inherit;text-decoration:none;display:block}
tr.scenario{background:#fff8dc} td.label{color:#7a5b00;font-size:.85em}
ul.bookings{list-style:none;padding:0;margin:0;border:1px solid #ddd;background:#fff}
ul.bookings li{padding:6px 8px;border-bottom:1px solid #eee} ul.bookings small{color:#5b6570}
li.cancelled,li.rescheduled,li.past{color:#8a939b}
ul.scenarios{padding-left:18px}
form.inline{display:inline-flex;flex-wrap:wrap;gap:4px;align-items:center;margin:4px 6px 2px 0}
form.stack{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-end;background:#fff;border:1px solid #ddd;padding:8px}
form.stack label{display:flex;flex-direction:column;font-size:.9em}
input,button{font:inherit;padding:6px 8px} button{cursor:pointer}
.notice{border-left:4px solid #2e7d32;background:#eef7ee;padding:8px 12px;margin:12px 0}
.notice.error{border-color:#c62828;background:#fdecea}
.notice pre{white-space:pre-wrap;margin:6px 0 0;font-size:.85em}
`;
