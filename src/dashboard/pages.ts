import type { Context, Hono } from "hono";
import type { Runtime } from "../app/runtime.ts";
import { hotLeads, nextCall, upcomingCalls } from "../core/dashboard-lists.ts";
import { defaultEventTypeId } from "../sync/book-call.ts";
import { takeFlash } from "./flash.ts";
import { type DashboardEnv, errorPage } from "./guard.ts";
import {
  hotLeadDocuments,
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
    const [report, reachability] = await Promise.all([
      historyReport(runtime.db, runtime.ctx.clock()),
      probe.check(),
    ]);
    const body = historyBody({
      report,
      reachability,
      schedules: { bookingSync: config.syncSchedule, sheetCopy: config.sheetsSyncSchedule },
      timeZone: config.timeZone,
    });
    return c.html(page(await frameOf(c, runtime), { title: "Sync history", active: "history", body }));
  });
}

export async function frameOf(c: Context<DashboardEnv>, runtime: Runtime): Promise<Frame> {
  return {
    csrf: c.get("csrf"),
    timeZone: runtime.config.timeZone,
    canLogOut: c.get("mode") === "password",
    flash: await takeFlash(c, runtime),
  };
}
