import type { Context, Hono } from "hono";
import type { Runtime } from "../app/runtime.ts";
import type { ActionFailure } from "../sync/action-outcome.ts";
import { copySheetAfterAction, copySheetToSanity } from "../sync/copy-sheet-to-sanity.ts";
import { replayDelivery } from "../sync/replay-delivery.ts";
import { type AttentionSuccess, addBookerAsLead, linkBookingToRow } from "../sync/resolve-attention.ts";
import { runBookingSync } from "../sync/run-booking-sync.ts";
import { undoRun } from "../sync/undo-run.ts";
import { setFlash } from "./flash.ts";
import type { DashboardEnv } from "./guard.ts";

/**
 * The dashboard's forms (POST; the guard has checked the session and the CSRF token). Each translates the
 * form into one orchestration call, leaves a message for the next page and redirects (post/redirect/get).
 */
export function dashboardActions(app: Hono<DashboardEnv>, runtime: Runtime): void {
  app.post("/sync", async (c) => {
    const form = await c.req.parseBody();
    // "Confirm" on Needs attention: a person checked the held sheet edits and lets them act on Cal.com.
    const confirmReverse = form.confirmReverse === "1";
    const sync = await runBookingSync(runtime.ctx, { trigger: "dashboard", confirmReverse });
    const copy = await copySheetToSanity(runtime.ctx, { trigger: "dashboard" });
    const failed = [sync, copy].find((result) => !result.success);
    await setFlash(
      c,
      runtime,
      failed
        ? { kind: "error", text: failed.message }
        : { kind: "ok", text: `${sync.message}. ${copy.message}.` },
    );
    return c.redirect(backTo(c), 303);
  });

  app.post("/runs/:id/undo", async (c) => {
    const id = c.req.param("id");
    const result = await undoRun(runtime.ctx, {
      runId: id,
      trigger: "dashboard",
      calcomApiUrl: runtime.config.calcom.apiUrl,
    });
    if (!result.success) {
      await setFlash(c, runtime, { kind: "error", text: result.message });
      return c.redirect(`/dashboard/runs/${encodeURIComponent(id)}`, 303);
    }
    // The dashboard's documents take the restored statuses from the sheet.
    if (result.restored.length > 0) await copySheetAfterAction(runtime.ctx);
    const notUndone =
      result.notUndone.length > 0
        ? ` ${result.notUndone.length} Cal.com action(s) were not undone: cancel or rebook them in Cal.com.`
        : "";
    await setFlash(c, runtime, { kind: "ok", text: `${result.message}.${notUndone}` });
    return c.redirect(`/dashboard/runs/${result.runId ?? encodeURIComponent(id)}`, 303);
  });

  app.post("/webhooks/:id/replay", async (c) => {
    const id = c.req.param("id");
    const outcome = /^\d{1,15}$/.test(id)
      ? await replayDelivery(runtime.ctx, Number(id))
      : ({ ok: false, status: 404, message: "No such delivery." } as const);
    await setFlash(
      c,
      runtime,
      !outcome.ok
        ? { kind: "error", text: outcome.message }
        : outcome.sync.success
          ? { kind: "ok", text: `Replayed delivery #${id}: ${outcome.sync.message}.` }
          : { kind: "error", text: `Replaying delivery #${id} failed: ${outcome.sync.message}` },
    );
    return c.redirect("/dashboard/webhooks", 303);
  });

  app.post("/attention/add-lead", async (c) => {
    const form = await c.req.parseBody();
    const outcome = await addBookerAsLead(runtime.ctx, String(form.uid ?? ""));
    return afterAttention(
      c,
      runtime,
      outcome,
      (done) => `Added ${done.name} to the sheet as row ${done.row}.`,
    );
  });

  app.post("/attention/link", async (c) => {
    const form = await c.req.parseBody();
    const row = Number(form.row);
    if (!Number.isInteger(row) || row < 2) {
      await setFlash(c, runtime, { kind: "error", text: "Choose a row to link the booking to." });
      return c.redirect("/dashboard/attention", 303);
    }
    const outcome = await linkBookingToRow(runtime.ctx, String(form.uid ?? ""), row);
    return afterAttention(
      c,
      runtime,
      outcome,
      (done) => `Linked the booking to row ${done.row} (${done.name}).`,
    );
  });
}

async function afterAttention(
  c: Context<DashboardEnv>,
  runtime: Runtime,
  outcome: AttentionSuccess | ActionFailure,
  describe: (done: AttentionSuccess) => string,
): Promise<Response> {
  if (!outcome.ok) {
    await setFlash(c, runtime, { kind: "error", text: outcome.message });
    return c.redirect("/dashboard/attention", 303);
  }
  await copySheetAfterAction(runtime.ctx);
  const text = outcome.sync.success
    ? describe(outcome)
    : `${describe(outcome)} The sync that follows failed (${outcome.sync.message}); the next one will finish it.`;
  await setFlash(c, runtime, { kind: outcome.sync.success ? "ok" : "error", text });
  return c.redirect("/dashboard/attention", 303);
}

/** Back to the dashboard page the form was on (Referer), never elsewhere. */
function backTo(c: Context): string {
  const referer = c.req.header("referer");
  if (!referer) return "/dashboard";
  try {
    const url = new URL(referer);
    const sameHost = url.host === (c.req.header("host") ?? new URL(c.req.url).host);
    return sameHost && url.pathname.startsWith("/dashboard") ? url.pathname + url.search : "/dashboard";
  } catch {
    return "/dashboard";
  }
}
