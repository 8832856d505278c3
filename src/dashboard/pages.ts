import type { Context, Hono } from "hono";
import type { Runtime } from "../app/runtime.ts";
import { formatBookingTime } from "../core/booking-time.ts";
import { hotLeads, nextCall, upcomingCalls } from "../core/dashboard-lists.ts";
import { leadDocumentId } from "../core/lead-identity.ts";
import { leadTimeline, type TimelineItem } from "../core/lead-timeline.ts";
import { type RunDetails, runDetails } from "../core/run-details.ts";
import type { WebhookHealth } from "../core/webhook-health.ts";
import { newsOfLeads } from "../db/booking-news.ts";
import { leadChanges, loadRun, runChanges } from "../db/change-log.ts";
import { listDeliveries } from "../db/webhook-deliveries.ts";
import { readWebhookHealth } from "../db/webhook-health.ts";
import { redactDeep } from "../log/redact.ts";
import { defaultEventTypeId } from "../sync/book-call.ts";
import { undoRun } from "../sync/undo-run.ts";
import { takeFlash } from "./flash.ts";
import { type DashboardEnv, errorPage } from "./guard.ts";
import {
  hotLeadDocuments,
  type LeadPageDocument,
  leadDocument,
  leadsWaitingToRebook,
  leadsWithCallsBetween,
  searchLeads,
} from "./queries.ts";
import type { ReachabilityProbe } from "./reachability.ts";
import { attentionReport, historyReport } from "./run-reports.ts";
import { attentionBody } from "./views/attention.ts";
import { historyBody } from "./views/history.ts";
import { type Frame, page } from "./views/layout.ts";
import { leadBody, leadsBody } from "./views/lead.ts";
import { overviewBody } from "./views/overview.ts";
import { runBody, undoConfirmBody } from "./views/run.ts";
import { webhooksBody } from "./views/webhooks.ts";

const WEEK_MS = 7 * 86_400_000;

/** The dashboard's pages (GET): each reads, renders, and writes nothing. */
export function dashboardPages(app: Hono<DashboardEnv>, runtime: Runtime, probe: ReachabilityProbe): void {
  const { config } = runtime;
  const hot = config.statuses.hot;

  app.get("/", async (c) => {
    const now = runtime.ctx.clock();
    const [callLeads, hotDocs, rebooking, attention] = await Promise.all([
      leadsWithCallsBetween(runtime.sanity, now, new Date(now.getTime() + WEEK_MS)),
      hotLeadDocuments(runtime.sanity, hot),
      leadsWaitingToRebook(runtime.sanity),
      attentionReport(runtime.db),
    ]);
    const body = overviewBody({
      now,
      timeZone: config.timeZone,
      calcomApiUrl: config.calcom.apiUrl,
      hotStatuses: hot,
      calls: upcomingCalls(callLeads, now, 7),
      hot: hotLeads(hotDocs, hot).map((lead) => ({ lead, next: nextCall(lead, now) })),
      waitingToRebook: rebooking,
      attentionCount: attention.unmatched.length + attention.ambiguous.length,
    });
    return c.html(page(await frameOf(c, runtime), { title: "Overview", active: "overview", body }));
  });

  app.get("/leads", async (c) => {
    const query = (c.req.query("q") ?? "").slice(0, 100);
    const leads = await searchLeads(runtime.sanity, query, config.defaultPhoneRegion);
    const body = leadsBody({ query, leads, hotStatuses: hot });
    return c.html(page(await frameOf(c, runtime), { title: "Leads", active: "leads", body }));
  });

  app.get("/leads/:id", async (c) => {
    const lead = await leadDocument(runtime.sanity, c.req.param("id"));
    if (!lead) return c.html(errorPage("No such lead", "This lead is not on the dashboard."), 404);
    const body = leadBody({
      timeline: await timelineOf(runtime, lead),
      lead,
      now: runtime.ctx.clock(),
      timeZone: config.timeZone,
      calcomApiUrl: config.calcom.apiUrl,
      hotStatuses: hot,
      csrf: c.get("csrf"),
      defaultEventTypeId: await defaultEventTypeId(runtime.ctx),
    });
    const title = `${lead.firstName ?? ""} ${lead.lastName ?? ""}`.trim() || "Lead";
    return c.html(page(await frameOf(c, runtime), { title, active: "leads", body }));
  });

  app.get("/attention", async (c) => {
    const body = attentionBody({
      report: await attentionReport(runtime.db),
      timeZone: config.timeZone,
      csrf: c.get("csrf"),
    });
    return c.html(page(await frameOf(c, runtime), { title: "Needs attention", active: "attention", body }));
  });

  app.get("/history", async (c) => {
    const [report, reachability, frame] = await Promise.all([
      historyReport(runtime.db, runtime.ctx.clock()),
      probe.check(),
      frameOf(c, runtime),
    ]);
    const body = historyBody({
      report,
      reachability,
      schedules: { bookingSync: config.syncSchedule, sheetCopy: config.sheetsSyncSchedule },
      timeZone: config.timeZone,
      webhooks: frame.webhooks as WebhookHealth,
    });
    return c.html(page(frame, { title: "Sync history", active: "history", body }));
  });

  app.get("/runs/:id", async (c) => {
    const run = await runDetailsOf(runtime, c.req.param("id"));
    if (!run) return c.html(errorPage("No such run", "This run is not in the history."), 404);
    const body = runBody({ run, timeZone: config.timeZone });
    return c.html(page(await frameOf(c, runtime), { title: `Run ${run.id}`, active: "history", body }));
  });

  app.get("/runs/:id/undo", async (c) => {
    const run = await runDetailsOf(runtime, c.req.param("id"));
    if (!run) return c.html(errorPage("No such run", "This run is not in the history."), 404);
    // A dry run: the sheet is read (one call) and nothing is written.
    const preview = await undoRun(runtime.ctx, {
      runId: String(run.id),
      trigger: "dashboard",
      dryRun: true,
      calcomApiUrl: config.calcom.apiUrl,
    });
    const body = undoConfirmBody({ run, preview, csrf: c.get("csrf") });
    return c.html(page(await frameOf(c, runtime), { title: `Undo run ${run.id}`, active: "history", body }));
  });

  app.get("/webhooks", async (c) => {
    const [deliveries, frame] = await Promise.all([listDeliveries(runtime.db, 200), frameOf(c, runtime)]);
    const body = webhooksBody({
      health: frame.webhooks as WebhookHealth,
      deliveries: redactDeep(deliveries),
      timeZone: config.timeZone,
      csrf: c.get("csrf"),
    });
    return c.html(page(frame, { title: "Webhook deliveries", active: "history", body }));
  });
}

/** A run with its changes, as the run page and its undo show it; null when there is no such run. */
async function runDetailsOf(runtime: Runtime, idText: string): Promise<RunDetails | null> {
  if (!/^\d{1,15}$/.test(idText)) return null;
  const run = await loadRun(runtime.db, Number(idText));
  if (!run) return null;
  return redactDeep(runDetails(run, await runChanges(runtime.db, run.id), runtime.config.calcom.apiUrl));
}

/** A lead page's timeline: what Cal.com reported of its bookings, and what calsync did to its row. */
async function timelineOf(runtime: Runtime, lead: LeadPageDocument): Promise<TimelineItem[]> {
  // The document's id is derived from the lead key, which is its phone, or its email.
  const keys = [lead.phone ? `tel:${lead.phone}` : null, lead.email ? `mailto:${lead.email}` : null].filter(
    (key): key is string => key !== null && leadDocumentId(key) === lead.id,
  );
  const [changes, news] = await Promise.all([leadChanges(runtime.db, keys), newsOfLeads(runtime.db, keys)]);
  const timeZone = runtime.config.timeZone;
  return redactDeep(
    leadTimeline({
      changes,
      news,
      formatTime: (iso) => (iso ? formatBookingTime(iso, timeZone) : "an unknown time"),
    }),
  ).slice(0, 200);
}

export async function frameOf(c: Context<DashboardEnv>, runtime: Runtime): Promise<Frame> {
  const { config } = runtime;
  const [flash, webhooks] = await Promise.all([
    takeFlash(c, runtime),
    // A few indexed counts: every page says so when the webhook subscription seems to be gone.
    readWebhookHealth(runtime.db, {
      now: runtime.ctx.clock(),
      silenceHours: config.webhookSilenceHours,
      configured: Boolean(config.calcom.webhookSecret),
    }).catch(() => null),
  ]);
  return {
    csrf: c.get("csrf"),
    timeZone: config.timeZone,
    canLogOut: c.get("mode") === "password",
    flash,
    webhooks,
  };
}
