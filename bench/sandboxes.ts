/**
 * The three sandboxes as the bench needs them: seeded with a case's leads and bookings, with the real quotas
 * (or lifted ones), their own request counts, and a booker who books at a steady rate (or one booking at a
 * time) while the time each booking's cell appears in the sheet is taken. Runs inside the sandbox-server child
 * in the bench (so no measured process shares an event loop or a CPU budget with them) and in-process in the
 * smoke test.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { Hono } from "hono";
import { type LocalServer, serveLocal } from "../src/http/serve-local.ts";
import { type CalcomSandbox, startCalcomSandbox } from "../src/sandboxes/calcom/index.ts";
import { type SanitySandbox, startSanitySandbox } from "../src/sandboxes/sanity/sandbox.ts";
import { type SheetsSandbox, startSheetsSandbox } from "../src/sandboxes/sheets/sandbox.ts";
import {
  benchBase,
  bookings,
  COLUMN,
  EVENT_TYPE_ID,
  hasFullIdentity,
  LEAD_HEADER,
  type Lead,
  leadAt,
  leadRows,
  SHEET_TITLE,
} from "./seed.ts";

export type SandboxSpec = {
  latencyMs: number;
  /** `real`: Sheets 60 reads + 60 writes per minute, Cal.com 120 per minute, Sanity 25 mutations/s. */
  quotas: "real" | "lifted";
  leads: number;
  bookings: number;
};

export type SystemStats = {
  calcom: { calls: number; refused: number };
  sheets: { calls: number; reads: number; writes: number; refused: number };
  sanity: { calls: number; mutateCalls: number; mutations: number; refused: number };
};

export type DriveOptions = {
  /** Bookings go to the leads with both phone and email from this index on, one each. */
  firstLead: number;
  count: number;
  /** At most this many bookings a second (the burst: exactly this rate). */
  perSecond: number;
  /**
   * Each booking alone: the next is made only once the previous one's cell is in the sheet (or LONE_WAIT_MS
   * passed), and still no sooner than 1/perSecond after it, so no delivery ever waits behind another.
   */
  lone?: boolean;
  /** How long to wait, after the last booking, for cells still missing. */
  drainTimeoutMs: number;
};

export type DriveResult = {
  /** Per booking, webhook sent → cell written, in ms; null when the cell never appeared. */
  latenciesMs: (number | null)[];
  /** Epoch ms of each Sheets write call received while driving (for writes per minute). */
  writeTimes: number[];
  sheets: { reads: number; writes: number; refused: number };
  /** Deliveries Cal.com could not hand over (no 2xx). */
  deliveryFailures: number;
  /** First booking → last cell (or drain timeout). */
  durationMs: number;
};

export type BenchSandboxes = {
  /** The environment a calsync runtime needs to talk to these sandboxes. */
  env: Record<string, string>;
  stats(): Promise<SystemStats>;
  resetStats(): Promise<void>;
  /** Subscribes `url` to booking webhooks, delivered after the same simulated network delay. */
  subscribe(url: string, secret: string): Promise<void>;
  drive(options: DriveOptions): Promise<DriveResult>;
  close(): Promise<void>;
};

const LIFTED = 1_000_000_000;
/** call_booked, where calsync writes the booking time (column X of the lead list). */
const BOOKING_COLUMN = String.fromCharCode(65 + COLUMN.booking);
const POLL_MS = 5;
/** In lone mode, how long a booking's cell is waited for before the next booking goes anyway. */
const LONE_WAIT_MS = 10_000;

export async function startBenchSandboxes(spec: SandboxSpec): Promise<BenchSandboxes> {
  const lifted = spec.quotas === "lifted";
  const latency = { latencyMs: spec.latencyMs };
  const calcom: CalcomSandbox = await startCalcomSandbox({
    ...latency,
    ...(lifted ? { rateLimit: { limit: LIFTED, windowMs: 60_000 } } : {}),
  });
  const sheets: SheetsSandbox = await startSheetsSandbox({
    ...latency,
    ...(lifted ? { quota: { readsPerMinute: LIFTED, writesPerMinute: LIFTED } } : {}),
  });
  const sanity: SanitySandbox = await startSanitySandbox({
    ...latency,
    ...(lifted ? { mutationsPerSecond: LIFTED } : {}),
  });

  const spreadsheetId = sheets.createSpreadsheet({
    title: "Leads",
    sheets: [{ title: SHEET_TITLE, rows: [LEAD_HEADER, ...leadRows(spec.leads)] }],
  });
  const base = benchBase(new Date());
  for (const booking of bookings(spec.bookings, spec.leads, base)) {
    calcom.addBooking({
      start: booking.start,
      eventTypeId: EVENT_TYPE_ID,
      attendee: booking.attendee,
      phoneIn: booking.phoneIn,
    });
  }
  // Webhook bookings take the slots after the seeded ones: Cal.com refuses overlapping bookings.
  let nextSlot = spec.bookings;
  const proxies: LocalServer[] = [];

  const env: Record<string, string> = {
    CALCOM_API_KEY: calcom.apiKey,
    CALCOM_API_URL: calcom.url,
    CALCOM_EVENT_TYPE_IDS: String(EVENT_TYPE_ID),
    GOOGLE_SHEETS_SPREADSHEET_ID: spreadsheetId,
    GOOGLE_SHEETS_SHEET_NAME: SHEET_TITLE,
    GOOGLE_SHEETS_API_URL: sheets.url,
    GOOGLE_ACCESS_TOKEN: "sandbox-token",
    SANITY_PROJECT_ID: sanity.connection.projectId,
    SANITY_DATASET: sanity.connection.dataset,
    SANITY_TOKEN: sanity.connection.token,
    SANITY_API_HOST: sanity.url,
  };

  const bookingCell = (row: number) =>
    sheets.cell(spreadsheetId, `'${SHEET_TITLE}'!${BOOKING_COLUMN}${row}`) ?? "";

  return {
    env,
    async stats() {
      const calcomRequests = calcom.requests();
      const sheetsStats = sheets.stats();
      const sanityStats = sanity.stats();
      return {
        calcom: {
          calls: calcomRequests.length,
          refused: calcomRequests.filter((r) => r.status === 429).length,
        },
        sheets: {
          calls: sheetsStats.requests.length,
          reads: sheetsStats.reads,
          writes: sheetsStats.writes,
          refused: sheetsStats.requests.filter((r) => r.status === 429).length,
        },
        sanity: {
          calls: sanityStats.requests.length,
          mutateCalls: sanityStats.mutateRequests,
          mutations: sanityStats.mutations,
          refused: sanityStats.requests.filter((r) => r.status === 429).length,
        },
      };
    },
    async resetStats() {
      calcom.resetRequests();
      sheets.resetStats();
      sanity.resetStats();
    },
    async subscribe(url, secret) {
      const proxy = await delayingProxy(url, spec.latencyMs);
      proxies.push(proxy);
      calcom.addWebhook({
        subscriberUrl: proxy.url,
        triggers: ["BOOKING_CREATED", "BOOKING_CANCELLED", "BOOKING_RESCHEDULED"],
        secret,
      });
    },
    async drive(options) {
      const targets: Lead[] = [];
      for (let i = options.firstLead; targets.length < options.count && i < spec.leads; i++) {
        const lead = leadAt(i);
        if (hasFullIdentity(lead)) targets.push(lead);
      }
      if (targets.length < options.count) {
        throw new Error(`only ${targets.length} leads from ${options.firstLead} can be booked`);
      }
      const writeTimes: number[] = [];
      const stopHook = sheets.onRequest((request) => {
        if (request.kind === "write") writeTimes.push(Date.now());
      });
      const before = sheets.stats();
      const logBefore = calcom.deliveryLog().length;
      const uidOfRow = new Map<number, string>();
      // When Cal.com sent a booking's first delivery: the start of its latency.
      const sentAtOf = (uid: string | undefined) => {
        if (uid === undefined) return undefined;
        const delivery = calcom
          .deliveryLog()
          .slice(logBefore)
          .find((d) => d.bookingUid === uid);
        return delivery ? Date.parse(delivery.attemptedAt) : undefined;
      };
      const appearedAt = new Map<number, number>();
      const waiting = new Set<number>();
      // Cheap: only the rows booked and not yet seen are looked at, every 5 ms.
      const poller = setInterval(() => {
        for (const row of waiting) {
          if (bookingCell(row) !== "") {
            appearedAt.set(row, Date.now());
            waiting.delete(row);
          }
        }
      }, POLL_MS);

      const started = Date.now();
      const booked: Promise<void>[] = [];
      for (let k = 0; k < targets.length; k++) {
        const lead = targets[k] as Lead;
        const due = started + (k * 1000) / options.perSecond;
        if (due > Date.now()) await sleep(due - Date.now());
        if (options.lone && k > 0) {
          const previous = targets[k - 1] as Lead;
          await booked.at(-1);
          const giveUp = Date.now() + LONE_WAIT_MS;
          while (waiting.has(previous.row) && Date.now() < giveUp) await sleep(POLL_MS);
          const lastSent = sentAtOf(uidOfRow.get(previous.row));
          const spaced = (lastSent ?? Date.now()) + 1000 / options.perSecond;
          if (spaced > Date.now()) await sleep(spaced - Date.now());
        }
        const start = new Date(base.getTime() + nextSlot++ * 30 * 60_000);
        waiting.add(lead.row);
        booked.push(
          calcom
            .book({
              start,
              attendee: {
                name: `${lead.first} ${lead.last}`,
                email: lead.email,
                phone: `+44${lead.nationalDigits}`,
              },
            })
            .then((booking) => {
              uidOfRow.set(lead.row, booking.uid);
            }),
        );
      }
      await Promise.all(booked);
      const deadline = Date.now() + options.drainTimeoutMs;
      while (waiting.size > 0 && Date.now() < deadline) await sleep(50);
      clearInterval(poller);
      stopHook();
      const durationMs = Date.now() - started;

      const deliveries = calcom.deliveryLog().slice(logBefore);
      const sentAt = new Map<string, number>();
      for (const delivery of deliveries) {
        if (delivery.bookingUid && !sentAt.has(delivery.bookingUid)) {
          sentAt.set(delivery.bookingUid, Date.parse(delivery.attemptedAt));
        }
      }
      const latenciesMs = targets.map((lead) => {
        const uid = uidOfRow.get(lead.row);
        const sent = uid ? sentAt.get(uid) : undefined;
        const appeared = appearedAt.get(lead.row);
        return sent === undefined || appeared === undefined ? null : appeared - sent;
      });
      const after = sheets.stats();
      const refusedAfter = after.requests.filter((r) => r.status === 429).length;
      const refusedBefore = before.requests.filter((r) => r.status === 429).length;
      return {
        latenciesMs,
        writeTimes,
        sheets: {
          reads: after.reads - before.reads,
          writes: after.writes - before.writes,
          refused: refusedAfter - refusedBefore,
        },
        deliveryFailures: deliveries.filter((d) => d.status === null || d.status >= 300).length,
        durationMs,
      };
    },
    async close() {
      await Promise.all([
        ...proxies.map((proxy) => proxy.close()),
        calcom.close(),
        sheets.close(),
        sanity.close(),
      ]);
    },
  };
}

/**
 * Cal.com's deliveries cross the same simulated network as every API call: a local hop that waits
 * `latencyMs`, then forwards the request byte for byte (the signature covers the exact body).
 */
async function delayingProxy(target: string, latencyMs: number): Promise<LocalServer> {
  const app = new Hono();
  app.all("*", async (c) => {
    if (latencyMs > 0) await sleep(latencyMs);
    const headers = new Headers();
    for (const name of ["content-type", "x-cal-signature-256", "x-cal-webhook-version"]) {
      const value = c.req.header(name);
      if (value !== undefined) headers.set(name, value);
    }
    const response = await fetch(target, {
      method: c.req.method,
      headers,
      body: await c.req.arrayBuffer(),
    });
    return new Response(await response.arrayBuffer(), {
      status: response.status,
      headers: { "content-type": response.headers.get("content-type") ?? "application/json" },
    });
  });
  return serveLocal(app);
}
