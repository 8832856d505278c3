import { type Context, Hono } from "hono";
import type { Runtime } from "../../app/runtime.ts";
import { formatSyncResult } from "../../core/format-sync-result.ts";
import { type DashboardAccess, type DashboardEnv, dashboardGuard } from "../../dashboard/guard.ts";
import { dashboardBodyLimit } from "../../dashboard/routes.ts";
import { recentRuns } from "../../db/run-history.ts";
import { redactText } from "../../log/redact.ts";
import type { CalcomSandbox, DeliveryAttempt } from "../../sandboxes/calcom/index.ts";
import type { SheetsSandbox } from "../../sandboxes/sheets/index.ts";
import { runBookingSync } from "../../sync/run-booking-sync.ts";
import { freeSlots } from "../demo-schedule.ts";
import { clockTime, displayTime, parseLocalInput, toLocalInput } from "./local-time.ts";
import { createNoticeBoard, type Notice } from "./notices.ts";
import { renderControlPage } from "./page.ts";
import {
  bookingLines,
  type ControlView,
  isBookingSync,
  runLabel,
  runLines,
  runMessage,
  scenarioLabels,
  sheetView,
} from "./view.ts";

export type ControlPageDeps = {
  /** Where the page lives, e.g. `/demo`. */
  basePath: string;
  /** Null when Cal.com is the real account: the page never acts on it. */
  calcom: CalcomSandbox | null;
  /** Null when the sheet is the real Google Sheet. */
  sheet: { sandbox: SheetsSandbox; spreadsheetId: string; title: string } | null;
  runtime: Runtime;
  links: { label: string; url: string }[];
  /** Resolves once calsync has applied the webhooks an action caused (or a bounded wait ran out). */
  settle(): Promise<void>;
  /** Where each action's outcome is also printed, so the terminal tells the story too. */
  print(text: string): void;
};

type Form = Record<string, string | File | (string | File)[]>;

/**
 * Mounts the control page and its forms; meant for createApp's `extraRoutes`. The dashboard's guard stands
 * in front of them: the same access rules, session and CSRF token as the dashboard's own forms. The demo
 * mounts it only when every system is a sandbox it started (see start-demo.ts).
 */
export function controlPageRoutes(deps: ControlPageDeps): (app: Hono, access: DashboardAccess) => void {
  const notices = createNoticeBoard();
  const { basePath, runtime } = deps;
  const timeZone = runtime.config.timeZone;

  const page = async (c: Context<DashboardEnv>) => {
    const view = await buildView(deps, {
      csrf: c.get("csrf"),
      notice: notices.read(c.req.query("notice")),
      edit: c.req.query("edit") ?? null,
      allColumns: c.req.query("cols") === "all",
    });
    secureHeaders(c);
    return c.html(renderControlPage(view));
  };

  /** A form's POST (the guard checked its token): act, remember the outcome, send the person back to the page. */
  const action = (handler: (form: Form) => Promise<Notice>) => async (c: Context<DashboardEnv>) => {
    const form = await c.req.parseBody({ all: true });
    secureHeaders(c);
    let notice: Notice;
    try {
      notice = await handler(form);
    } catch (error) {
      const title = redactText(error instanceof Error ? error.message : String(error));
      notice = { kind: "error", title, lines: [] };
    }
    deps.print([`demo: ${notice.title}`, ...notice.lines.map((line) => `  ${line}`)].join("\n"));
    return c.redirect(`${basePath}?notice=${notices.post(notice)}`, 303);
  };

  /** Runs a booker's action and reports what Cal.com sent calsync and what calsync then did. */
  const observed = async (calcom: CalcomSandbox, title: string, act: () => Promise<unknown>) => {
    const lastRun = (await recentRuns(runtime.db, 1))[0]?.id ?? 0;
    const sent = calcom.deliveryLog().length;
    await act();
    await deps.settle();
    const deliveries = calcom.deliveryLog().slice(sent);
    const runs = (await recentRuns(runtime.db, 10)).filter((run) => run.id > lastRun).reverse();
    return {
      kind: "ok" as const,
      title,
      lines: [
        ...deliveries.map(describeDelivery),
        ...runs.map(
          (run) =>
            `calsync (${runLabel(run)}): ${isBookingSync(run) ? formatSyncResult(run.result) : runMessage(run)}`,
        ),
      ],
    };
  };

  return (root, access) => {
    const app = new Hono<DashboardEnv>();
    // The dashboard's body limit and guard: 413 before anything reads a form, then the same access rules.
    app.use("*", dashboardBodyLimit());
    app.use("*", dashboardGuard(runtime, access));
    app.get("/", page);

    app.post(
      "/sync",
      action(async () => {
        const result = await runBookingSync(runtime.ctx, { trigger: "http" });
        return {
          kind: result.success ? "ok" : "error",
          title: result.message,
          lines: [formatSyncResult(result)],
        };
      }),
    );

    const { calcom, sheet } = deps;
    if (calcom) {
      app.post(
        "/book",
        action(async (form) => {
          const name = text(form, "name");
          const email = text(form, "email");
          const phone = text(form, "phone");
          if (!name || !email.includes("@")) throw new Error("A booking needs a name and an email address.");
          const start = startOf(form, timeZone);
          return observed(calcom, `Booked a call for ${name} at ${wallText(start, timeZone)}`, () =>
            calcom.book({ start, attendee: { name, email, ...(phone ? { phone } : {}) } }),
          );
        }),
      );
      app.post(
        "/cancel",
        action(async (form) => {
          const booking = calcom.booking(text(form, "uid"));
          if (!booking) throw new Error("There is no such booking.");
          const who = booking.attendees[0]?.name ?? "the booker";
          return observed(
            calcom,
            `${who} cancelled the call at ${wallText(new Date(booking.start), timeZone)}`,
            () => calcom.cancel(booking.uid, "Cancelled on the demo control page"),
          );
        }),
      );
      app.post(
        "/reschedule",
        action(async (form) => {
          const booking = calcom.booking(text(form, "uid"));
          if (!booking) throw new Error("There is no such booking.");
          const start = startOf(form, timeZone);
          const who = booking.attendees[0]?.name ?? "the booker";
          return observed(calcom, `${who} moved their call to ${wallText(start, timeZone)}`, () =>
            calcom.reschedule(booking.uid, start, "Moved on the demo control page"),
          );
        }),
      );
    }
    if (sheet) {
      app.post(
        "/cell",
        action(async (form) => {
          const cell = text(form, "cell").toUpperCase();
          if (!/^[A-Z]{1,2}[1-9]\d{0,5}$/.test(cell)) throw new Error(`"${cell}" is not a cell such as A45.`);
          const value = rawText(form, "value");
          sheet.sandbox.typeCell(sheet.spreadsheetId, sheet.title, cell, value);
          const shown = sheet.sandbox.cell(sheet.spreadsheetId, `'${sheet.title}'!${cell}`);
          return {
            kind: "ok",
            title: value === "" ? `Cleared ${cell}` : `Typed "${value}" into ${cell}`,
            lines: [
              `${cell} now holds ${shown === null ? "nothing" : JSON.stringify(shown)}.`,
              `calsync reads the sheet at its next sync (${runtime.config.syncSchedule}), or press "Run sync now".`,
            ],
          };
        }),
      );
    }
    root.route(basePath, app);
  };
}

async function buildView(
  deps: ControlPageDeps,
  query: { csrf: string; notice: Notice | null; edit: string | null; allColumns: boolean },
): Promise<ControlView> {
  const { runtime, calcom, sheet } = deps;
  const timeZone = runtime.config.timeZone;
  const now = runtime.ctx.clock();
  const bookings = calcom?.bookings() ?? [];
  const taken = bookings.filter((b) => b.status === "accepted").map((b) => new Date(b.start));
  const firstFree = freeSlots({ now, timeZone, days: 14, taken })[0] ?? new Date(now.getTime() + 86_400_000);
  return {
    basePath: deps.basePath,
    csrfToken: query.csrf,
    timeZone,
    notice: query.notice,
    links: deps.links,
    bookings: calcom ? bookingLines(bookings, now, timeZone) : null,
    bookDefault: toLocalInput(firstFree, timeZone),
    sheet: sheet
      ? sheetView({
          title: sheet.title,
          values: sheet.sandbox.values(sheet.spreadsheetId, sheet.title),
          allColumns: query.allColumns,
          edit: query.edit,
        })
      : null,
    scenarios: sheet ? [...scenarioLabels()].map(([row, label]) => ({ row, label })) : [],
    runs: runLines(await recentRuns(runtime.db, 8), timeZone),
    deliveries: (calcom?.deliveryLog() ?? [])
      .slice(-8)
      .reverse()
      .map((d) => ({
        trigger: d.trigger,
        status: d.status,
        at: clockTime(new Date(d.attemptedAt), timeZone),
      })),
  };
}

function describeDelivery(delivery: DeliveryAttempt): string {
  const outcome =
    delivery.status === null ? `not delivered (${delivery.error ?? "dropped"})` : `HTTP ${delivery.status}`;
  return `Cal.com → calsync: ${delivery.trigger} webhook, ${outcome}`;
}

function startOf(form: Form, timeZone: string): Date {
  const parsed = parseLocalInput(text(form, "start"), timeZone);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

/** A form field's text, trimmed; "" when it is absent or a file. */
function text(form: Form, name: string): string {
  return rawText(form, name).trim();
}

/** A form field exactly as typed: a sheet cell keeps its spaces, as Sheets keeps them. */
function rawText(form: Form, name: string): string {
  const value = form[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" ? first : "";
}

function wallText(instant: Date, timeZone: string): string {
  return displayTime(instant, timeZone);
}

/** No script runs on the page, forms post only here, and no other site may frame it. */
function secureHeaders(c: Context): void {
  c.header(
    "Content-Security-Policy",
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
  c.header("X-Content-Type-Options", "nosniff");
  c.header("Referrer-Policy", "no-referrer");
  c.header("Cache-Control", "no-store");
}
