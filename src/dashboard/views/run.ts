import type { RunDetails } from "../../core/run-details.ts";
import type { UndoResult } from "../../sync/undo-run.ts";
import { dateTime } from "./format.ts";
import { type Html, html } from "./html.ts";
import { csrfField } from "./layout.ts";

export const KIND_LABEL: Record<string, string> = {
  "booking-sync": "Cal.com → sheet",
  "sheet-copy": "Sheet → Sanity",
  undo: "Undo",
};

const SOURCE_LABEL: Record<string, string> = {
  poll: "poll",
  webhook: "webhook",
  "sheet-edit": "sheet edit",
  dashboard: "dashboard",
  "put-back": "put back",
  undo: "undo",
  repair: "repair",
  "sheet-copy": "sheet copy",
};

/** How a cell value reads on a page: empty cells say so. */
function cellText(value: string | null): Html {
  if (value === null) return html`<span class="muted">(unknown)</span>`;
  return value === "" ? html`<span class="muted">(empty)</span>` : html`<code>${value}</code>`;
}

function stateBadge(run: RunDetails): Html {
  if (run.finishedAt === null) return html`<span class="badge warn">running or stopped</span>`;
  return html`<span class="badge ${run.success ? "ok" : "bad"}">${run.success ? "ok" : "failed"}</span>`;
}

/**
 * One run: its counts at the top, then every cell it changed (before, after, why), every Cal.com action it
 * took, its warnings and conflicts, and the Sanity documents it wrote; with the way to undo it.
 */
export function runBody(view: { run: RunDetails; timeZone: string }): Html {
  const { run } = view;
  const c = run.counts;
  const undoable = c.changes > 0 && run.finishedAt !== null;
  return html`<h1>Run ${run.id} ${stateBadge(run)}</h1>
<p class="meta">${KIND_LABEL[run.kind] ?? run.kind} · trigger ${run.trigger} · started ${dateTime(run.startedAt, view.timeZone)}${
    run.finishedAt ? html` · finished ${dateTime(run.finishedAt, view.timeZone)}` : ""
  }${run.undoes !== null ? html` · undoes <a href="/dashboard/runs/${run.undoes}">run ${run.undoes}</a>` : ""}</p>
<p>${run.message}</p>
<section class="card" id="counts" aria-labelledby="counts-title">
<h2 id="counts-title" class="visually-hidden">Counts</h2>
<ul class="counts">
<li><span class="count">${c.changes}</span> cell change(s)</li>
<li><span class="count">${c.calcomActions}</span> Cal.com action(s)</li>
<li><span class="count">${c.documents}</span> Sanity document(s)</li>
<li><span class="count">${c.warnings}</span> warning(s)</li>
<li><span class="count">${c.conflicts}</span> conflict(s)</li>
</ul>
${
  undoable
    ? html`<p><a class="button" href="/dashboard/runs/${run.id}/undo">Undo this run…</a>
<span class="meta">shows what would change first; never calls Cal.com</span></p>`
    : ""
}
</section>
<section class="card" id="changes" aria-labelledby="changes-title">
<h2 id="changes-title">Cell changes</h2>
${
  run.changes.length === 0
    ? html`<p class="empty">This run changed no cell.</p>`
    : html`<div class="scroll"><table>
<thead><tr><th>Row</th><th>Lead</th><th>Column</th><th>Before</th><th>After</th><th>Why</th></tr></thead>
<tbody>${run.changes.map(
        (change) => html`<tr>
<td class="num">${change.row}</td><td>${change.lead || html`<span class="muted">—</span>`}</td><td>${change.column}</td>
<td>${cellText(change.before)}</td><td>${cellText(change.after)}</td>
<td><span class="badge">${SOURCE_LABEL[change.source] ?? change.source}</span> ${change.reason}</td>
</tr>`,
      )}</tbody></table></div>`
}
</section>
<section class="card" id="calcom-actions" aria-labelledby="actions-title">
<h2 id="actions-title">Cal.com actions</h2>
${
  run.calcomActions.length === 0
    ? html`<p class="empty">This run took no action in Cal.com.</p>`
    : html`<ul class="list">${run.calcomActions.map(
        (action) => html`<li><div class="grow"><span class="name">${action.action}</span> ${action.lead}${
          action.row ? html` · row ${action.row}` : ""
        }${action.to ? html` · ${action.to}` : ""}
<div class="meta">${action.reason}</div>
<div class="meta">booking ${action.newBookingUid ?? action.bookingUid} · <a href="${action.url}" rel="noopener noreferrer" target="_blank">Open in Cal.com</a></div></div></li>`,
      )}</ul>`
}
</section>
<section class="card" id="warnings" aria-labelledby="warnings-title">
<h2 id="warnings-title">Warnings</h2>
${
  run.warnings.length === 0
    ? html`<p class="empty">None.</p>`
    : html`<ul class="list">${run.warnings.map((warning) => html`<li>${warning}</li>`)}</ul>`
}
</section>
<section class="card" id="conflicts" aria-labelledby="conflicts-title">
<h2 id="conflicts-title">Conflicts and edits put back</h2>
${
  run.conflicts.length + run.editsPutBack.length === 0
    ? html`<p class="empty">None.</p>`
    : html`<ul class="list">${run.conflicts.map(
        (conflict) =>
          html`<li>Row ${conflict.row} (${conflict.name}): the sheet said "${conflict.sheetValue}", Cal.com "${conflict.calcomValue || "cleared"}": Cal.com won.</li>`,
      )}${run.editsPutBack.map(
        (edit) =>
          html`<li>Row ${edit.row} (${edit.name}): "${edit.typed}" was put back to "${edit.restoredTo}": ${edit.reason}</li>`,
      )}</ul>`
}
</section>
${
  run.documents.length === 0
    ? ""
    : html`<section class="card" id="documents" aria-labelledby="documents-title">
<h2 id="documents-title">Sanity documents</h2>
<ul class="list">${run.documents
        .slice(0, 200)
        .map(
          (doc) =>
            html`<li><div class="grow">${doc.action} <span class="name">${doc.lead || doc.documentId}</span>${
              doc.row ? html` · row ${doc.row}` : ""
            }${doc.after ? html` · ${doc.after}` : ""}<div class="meta">${doc.reason}</div></div></li>`,
        )}</ul>${run.documents.length > 200 ? html`<p class="meta">and ${run.documents.length - 200} more.</p>` : ""}
</section>`
}`;
}

/** Before an undo: what it would restore, skip and leave to Cal.com, and the button that does it. */
export function undoConfirmBody(view: { run: RunDetails; preview: UndoResult; csrf: string }): Html {
  const { run, preview } = view;
  const now = (row: number, column: string) =>
    [...run.changes].reverse().find((change) => change.row === row && change.column === column)?.after ??
    null;
  return html`<h1>Undo run ${run.id}?</h1>
${preview.error ? html`<div class="notice error" role="alert">${preview.error.message}</div>` : ""}
<p>calsync puts back each cell of run ${run.id} that still holds what the run wrote, on a row that is still the same
lead. Cells changed since are left as they are. Cal.com is not called. When you confirm, the sheet is read again
and checked once more; the undo is itself a run, which you can undo.</p>
<section class="card" id="will-restore" aria-labelledby="restore-title">
<h2 id="restore-title">Will be restored (${preview.restored.length})</h2>
${
  preview.restored.length === 0
    ? html`<p class="empty">Nothing: no cell of this run still holds what it wrote.</p>`
    : html`<div class="scroll"><table>
<thead><tr><th>Row</th><th>Column</th><th>Now</th><th>Goes back to</th></tr></thead>
<tbody>${preview.restored.map(
        (cell) =>
          html`<tr><td class="num">${cell.row}</td><td>${cell.column}</td><td>${cellText(now(cell.row, cell.column))}</td><td>${cellText(cell.value)}</td></tr>`,
      )}</tbody></table></div>`
}
</section>
<section class="card" id="will-skip" aria-labelledby="skip-title">
<h2 id="skip-title">Will be left as they are (${preview.skipped.length})</h2>
${
  preview.skipped.length === 0
    ? html`<p class="empty">None.</p>`
    : html`<ul class="list">${preview.skipped.map(
        (cell) => html`<li>Row ${cell.row}, ${cell.column}: ${cell.reason}</li>`,
      )}</ul>`
}
</section>
<section class="card" id="not-undone" aria-labelledby="not-undone-title">
<h2 id="not-undone-title">Not undone in Cal.com (${preview.notUndone.length})</h2>
${
  preview.notUndone.length === 0
    ? html`<p class="empty">This run took no action in Cal.com.</p>`
    : html`<ul class="list">${preview.notUndone.map(
        (action) =>
          html`<li><div class="grow">${action.action} of booking ${action.newBookingUid ?? action.bookingUid}${
            action.row ? html` (row ${action.row}, ${action.name})` : ""
          }: ${action.reason} <a href="${action.url}" rel="noopener noreferrer" target="_blank">Open in Cal.com</a></div></li>`,
      )}</ul>`
}
</section>
<form method="post" action="/dashboard/runs/${run.id}/undo" class="row" style="margin-top:16px">
${csrfField(view.csrf)}
<button type="submit"${preview.restored.length === 0 ? html` disabled` : ""}>Restore ${preview.restored.length} cell(s)</button>
<a href="/dashboard/runs/${run.id}">Back to run ${run.id}</a>
</form>`;
}
