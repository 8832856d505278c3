import type { BookingSnapshot } from "../core/booking.ts";
import type { BookingNews } from "../core/booking-news.ts";
import type { LeadDocumentUpdate } from "../core/lead-document.ts";
import type { SyncRules } from "../core/plan-booking-sync.ts";
import type { ApiCalls } from "../core/run-report.ts";
import type { LiveLeadDocument, SheetCopyDocument } from "../core/sheet-copy.ts";
import type { SheetHeaders, SheetLayout } from "../core/sheet-layout.ts";
import type { Database } from "../db/database.ts";
import type { Logger } from "../log/logger.ts";

/*
 * The ports: what the sync needs from each outside system, in the core's own types. The adapters
 * (src/calcom/, src/sheets/, src/sanity/, src/webhooks/) implement them against the real APIs, and src/app/
 * wires them in; the sync itself never imports an adapter.
 */

/** The booking list filters the sync uses (Cal.com API v2 `GET /bookings`). */
export type BookingQuery = {
  status: readonly ("upcoming" | "cancelled")[];
  eventTypeIds?: readonly number[];
  afterStart?: Date;
  afterUpdatedAt?: Date;
  sortStart?: "asc" | "desc";
};

/** Who a call is booked for, and when (Cal.com `POST /bookings`). */
export type NewBooking = {
  start: Date;
  eventTypeId: number;
  attendee: { name: string; email: string; timeZone: string; phoneNumber?: string };
  metadata?: Record<string, string>;
};

/**
 * Cal.com's bookings. Failures are UpstreamError (with Cal.com's status and message) or RateLimitedError;
 * `getBooking` of a booking Cal.com does not have is an UpstreamError with status 404.
 */
export type BookingSystem = {
  /** Every booking matching the query, all pages. */
  listBookings(query: BookingQuery): Promise<BookingSnapshot[]>;
  getBooking(uid: string): Promise<BookingSnapshot>;
  createBooking(booking: NewBooking): Promise<BookingSnapshot>;
  cancelBooking(uid: string, reason: string): Promise<BookingSnapshot>;
  /** Returns the NEW booking: a reschedule gives the booking a new uid. */
  rescheduleBooking(uid: string, change: { start: Date; reason: string }): Promise<BookingSnapshot>;
};

/** Owned cells of one row (status, booking time, note); every other cell of the row is left untouched. */
export type OwnedCellsWrite = {
  row: number;
  /** Who the row must still be: the write is checked against these identity cells. */
  identity: { phone: string | null; email: string | null };
  status?: string | undefined;
  booking?: string | undefined;
  note?: string | undefined;
};

/** What a written row held right after the write: whether it is still the lead, and its cells. */
export type WriteCheck = { write: OwnedCellsWrite; landed: boolean; rowCells: string[] };

/** The lead sheet: read it, write owned cells with a check of each row's identity, append new leads. */
export type LeadSheet = {
  read(): Promise<{ sheetTitle: string; grid: string[][] }>;
  /**
   * Row 1 and only the given columns (0-based) of a named tab, in one call, as a grid whose other cells are
   * missing: a quarter of a 24-column sheet's size when calsync needs six of them.
   */
  readColumns(
    sheetTitle: string,
    columns: readonly number[],
  ): Promise<{ sheetTitle: string; grid: string[][] }>;
  writeCells(
    sheetTitle: string,
    writes: readonly OwnedCellsWrite[],
    layout: SheetLayout,
  ): Promise<WriteCheck[]>;
  /** Appends rows below `afterRow`; answers the row each one landed on. */
  appendRows(sheetTitle: string, rows: readonly string[][], afterRow: number): Promise<number[]>;
};

/** Where the booking sync's lead documents go: Sanity in production, its sandbox in tests and the demo. */
export type LeadDashboard = {
  publish(documents: readonly LeadDocumentUpdate[]): Promise<void>;
  /** Archives documents by id (a lead that moved to a new key): they drop off every list. */
  retire(documentIds: readonly string[]): Promise<void>;
};

/** Where the sheet copy's lead documents go (the same Sanity dataset, other fields). */
export type SheetCopyTarget = {
  /** Every `dbrLead` document Sanity holds now, archived or not. */
  listDocuments(): Promise<LiveLeadDocument[]>;
  /** One transaction (one mutation request): all of it lands or none. */
  commit(batch: { writes: readonly SheetCopyDocument[]; archives: readonly string[] }): Promise<void>;
};

/**
 * The stored webhook deliveries: those that are due are folded into the booking ledger by `ingestDue`,
 * which answers their ids (to mark applied, or defer, once the run has ended), the most attempts any
 * of them has had, which booking each delivery is about (so a change can name the delivery behind it), and
 * what they told that the ledger did not know yet.
 */
export type WebhookEventSource = {
  ingestDue(now: Date): Promise<{
    ids: number[];
    attempts: number;
    deliveries: { id: number; bookingUid: string | null }[];
    news: BookingNews[];
  }>;
};

/** Everything a sync run needs, built once by the composition root (src/app/) from the configuration. */
export type SyncContext = {
  calcom: BookingSystem;
  sheet: LeadSheet;
  dashboard: LeadDashboard;
  sheetCopy: SheetCopyTarget;
  webhookEvents: WebhookEventSource;
  db: Database;
  rules: SyncRules;
  headers: SheetHeaders;
  eventTypeIds: readonly number[];
  /** Sheet edits that act on Cal.com: the words that mean "cancel", and the per-run guard. */
  reverse: { cancelWords: readonly string[]; maxActionsPerRun: number };
  lockTimeoutMs: number;
  /**
   * Whether Cal.com sends calsync webhooks (CALCOM_WEBHOOK_SECRET is set): only then is a change a poll
   * finds, and no delivery reported, a missed webhook.
   */
  webhooksExpected: boolean;
  clock: () => Date;
  log: Logger;
  /** Running totals of HTTP requests per system, incremented by each client. */
  apiCalls: ApiCalls;
};
