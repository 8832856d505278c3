import type { CalcomClient } from "../calcom/client.ts";
import type { LeadDocumentUpdate } from "../core/lead-document.ts";
import type { SyncRules } from "../core/plan-booking-sync.ts";
import type { SheetHeaders } from "../core/sheet-layout.ts";
import type { Database } from "../db/database.ts";
import type { Logger } from "../log/logger.ts";
import type { LeadSheet } from "../sheets/lead-sheet.ts";
import type { ApiCalls } from "./sync-result.ts";

/** Where lead documents go: Sanity in production, its sandbox in tests and the demo. */
export type LeadDashboard = { publish(documents: readonly LeadDocumentUpdate[]): Promise<void> };

/** Everything a sync run needs, built once by the composition root from the configuration. */
export type SyncContext = {
  calcom: CalcomClient;
  sheet: LeadSheet;
  dashboard: LeadDashboard;
  db: Database;
  rules: SyncRules;
  headers: SheetHeaders;
  eventTypeIds: readonly number[];
  /** Sheet edits that act on Cal.com: the words that mean "cancel", and the per-run guard. */
  reverse: { cancelWords: readonly string[]; maxActionsPerRun: number };
  lockTimeoutMs: number;
  clock: () => Date;
  log: Logger;
  /** Running totals of HTTP requests per system, incremented by each client. */
  apiCalls: ApiCalls;
};
