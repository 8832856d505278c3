/**
 * The schema, as an ordered list of steps. Append only: a step that has run somewhere must never change (the
 * runner compares checksums and refuses), so a change to the schema is a new step at the end. Ids sort in
 * order ("0002_…", "0003_…"). Write plain Postgres that PGlite also runs, with unqualified table names (tests
 * run in their own schema through search_path). Prefer timestamptz for instants: it comes back as an ISO string.
 */
import { DASHBOARD_SESSION_TABLES, RETENTION_INDEXES } from "./dashboard-schema.ts";
import { SYNC_TABLES, WEBHOOK_TABLES } from "./schema.ts";
import { SHEET_COPY_TABLES } from "./sheet-copy-schema.ts";

export type Migration = { readonly id: string; readonly sql: string };

export const MIGRATIONS: readonly Migration[] = [
  {
    id: "0001_initial",
    sql: `
      create table calsync_meta (
        key text primary key,
        value text
      );
    `,
  },
  { id: "0002_sync_ledger", sql: SYNC_TABLES },
  { id: "0003_webhook_events", sql: WEBHOOK_TABLES },
  { id: "0004_sheet_copy", sql: SHEET_COPY_TABLES },
  { id: "0005_dashboard_sessions", sql: DASHBOARD_SESSION_TABLES },
  { id: "0006_history_retention", sql: RETENTION_INDEXES },
  {
    // What only some bookings carry: the host's request for another time (webhooks only), and the seat of
    // a seated event (several people on one Cal.com booking uid). The lead ledger keeps the identity it saw.
    id: "0007_booking_details",
    sql: `
      alter table bookings add column reschedule_requested boolean not null default false;
      alter table bookings add column seat jsonb;
      alter table lead_ledger add column phone text;
      alter table lead_ledger add column email text;
    `,
  },
];
