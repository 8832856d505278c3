import type { BookingSnapshot } from "../core/booking.ts";
import type { BookingNews } from "../core/booking-news.ts";
import type { LeadDocumentUpdate } from "../core/lead-document.ts";
import type { SyncRules } from "../core/plan-booking-sync.ts";
import type { ApiCalls } from "../core/run-report.ts";
import type { LiveLeadDocument, SheetCopyDocument } from "../core/sheet-copy.ts";
import type { SheetHeaders } from "../core/sheet-layout.ts";
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

/*
 * Sheets has no compare-and-set, so calsync writes through row anchors: developer metadata on a row, which
 * the server resolves when the write lands. An anchor follows its row through inserts and deletes, but not
 * through a sort (a sort moves values, not rows), so every write still reports who the row is afterwards.
 * https://developers.google.com/workspace/sheets/api/guides/metadata
 */

/** One of calsync's row anchors: its metadata id, its short tag, and the row (1-based) it sits on. */
export type RowAnchor = { anchorId: number; tag: string; row: number };

/**
 * Where a write lands: the row holding anchor `anchorId`, wherever that row is now; or the row `row`, and
 * only while an anchor tagged `tag` still sits on it (an anchor from an earlier run, which a sort since may
 * have left on another lead's row).
 */
export type AnchorTarget = { anchorId: number } | { tag: string; row: number };

/** Cells of one row by 0-based column, written RAW; `""` clears a cell, columns not given are left alone. */
export type AnchoredWrite = { target: AnchorTarget; cells: ReadonlyMap<number, string> };

export type AnchoredWriteOutcome = {
  /** Row 1 as it was when the cells landed: the columns they were written under. */
  header: string[];
  /** Per write: the row it landed on and that row's cells right after, or null when no anchor matched. */
  landed: ({ row: number; cells: string[] } | null)[];
};

/** The lead tab: its name (for A1 ranges) and its sheetId (for anchors and inserted rows). */
export type SheetTab = { title: string; sheetId: number };

/** One spreadsheets.batchUpdate: anchors removed and created, and new rows added, all or nothing. */
export type SheetPreparation = {
  removeAnchors: readonly number[];
  /** Anchors to create on rows as read; the answer shows whom each one landed on. */
  anchorRows: readonly { tag: string; row: number }[];
  /** New rows inserted before `beforeRow` (their cells from column A), each anchored with its tag if given. */
  insertRows?: { beforeRow: number; rows: readonly { tag?: string; cells: readonly string[] }[] };
};

export type PreparedSheet = {
  /** Row 1 right after the batch: the columns inserted rows were written under. */
  header: string[];
  /** The anchors created: those of `anchorRows` in order, then those of the tagged inserted rows. */
  anchors: RowAnchor[];
  /** Every anchored and inserted row's cells right after the batch. */
  rows: Map<number, string[]>;
};

/** What a write made of its row, for the change log: the cells written there and the row right after. */
export type WriteCheck = { write: OwnedCellsWrite; landed: boolean; rowCells: string[] };

/** The lead sheet: read it, write through row anchors with a check of each row, add new leads. */
export type LeadSheet = {
  read(): Promise<{ sheetTitle: string; grid: string[][] }>;
  /**
   * Row 1 and only the given columns (0-based) of a named tab, in one call, as a grid whose other cells are
   * missing, plus every cell of the rows calsync's anchors sit on (`fullRows`): the rows it will most likely
   * write, known whole in case columns move under a write.
   */
  readColumns(
    sheetTitle: string,
    columns: readonly number[],
  ): Promise<{ sheetTitle: string; grid: string[][]; fullRows: number[] }>;
  /** The tab's sheetId, which anchors and inserted rows are addressed by; null when there is no such tab. */
  sheetId(sheetTitle: string): Promise<number | null>;
  prepare(tab: SheetTab, preparation: SheetPreparation): Promise<PreparedSheet>;
  /** One values.batchUpdateByDataFilter: each write lands on its anchor's row or nowhere. */
  writeAnchored(tab: SheetTab, writes: readonly AnchoredWrite[]): Promise<AnchoredWriteOutcome>;
  /** calsync's anchors on the tab, and how many characters of its metadata budget other entries use. */
  anchorCensus(sheetId: number): Promise<{ anchors: RowAnchor[]; othersCharacters: number }>;
  /** Characters of the tab's developer metadata budget (30,000) one anchor tagged `tag` takes. */
  anchorCharacters(tag: string): number;
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
