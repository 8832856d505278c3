/**
 * The schema, as an ordered list of steps. Append only: a step that has run somewhere must never change (the
 * runner compares checksums and refuses), so a change to the schema is a new step at the end. Ids sort in
 * order ("0002_…", "0003_…"). A step is one SQL text both engines run, or one text per engine when their
 * dialects differ (types, defaults); the checksum is of the text the engine ran. Use unqualified table names
 * (PostgreSQL tests run in their own schema through search_path). Instants: timestamptz on PostgreSQL, ISO text
 * on SQLite (see type-parsers.ts), so they come back as the same ISO string.
 */
import { AUDIT_TABLES, SQLITE_AUDIT_TABLES } from "./change-log-schema.ts";
import { DASHBOARD_SESSION_TABLES, RETENTION_INDEXES } from "./dashboard-schema.ts";
import type { DatabaseKind } from "./database.ts";
import { SQLITE_SYNC_TABLES, SQLITE_WEBHOOK_TABLES, SYNC_TABLES, WEBHOOK_TABLES } from "./schema.ts";
import { SHEET_COPY_TABLES, SQLITE_SHEET_COPY_TABLES } from "./sheet-copy-schema.ts";

export type MigrationSql = string | { readonly [kind in DatabaseKind]: string };

export type Migration = { readonly id: string; readonly sql: MigrationSql };

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
  { id: "0002_sync_ledger", sql: { postgres: SYNC_TABLES, sqlite: SQLITE_SYNC_TABLES } },
  { id: "0003_webhook_events", sql: { postgres: WEBHOOK_TABLES, sqlite: SQLITE_WEBHOOK_TABLES } },
  { id: "0004_sheet_copy", sql: { postgres: SHEET_COPY_TABLES, sqlite: SQLITE_SHEET_COPY_TABLES } },
  { id: "0005_dashboard_sessions", sql: DASHBOARD_SESSION_TABLES },
  { id: "0006_history_retention", sql: RETENTION_INDEXES },
  {
    // What only some bookings carry: the host's request for another time (webhooks only), and the seat of
    // a seated event (several people on one Cal.com booking uid). The lead ledger keeps the identity it saw.
    id: "0007_booking_details",
    sql: {
      postgres: `
        alter table bookings add column reschedule_requested boolean not null default false;
        alter table bookings add column seat jsonb;
        alter table lead_ledger add column phone text;
        alter table lead_ledger add column email text;
      `,
      sqlite: `
        alter table bookings add column reschedule_requested boolean not null default 0;
        alter table bookings add column seat json_text;
        alter table lead_ledger add column phone text;
        alter table lead_ledger add column email text;
      `,
    },
  },
  // The change log, what Cal.com reported per run, and every webhook delivery (see change-log-schema.ts).
  { id: "0008_change_log", sql: { postgres: AUDIT_TABLES, sqlite: SQLITE_AUDIT_TABLES } },
];

/** The SQL of `migration` for one engine. */
export function migrationSql(migration: Migration, kind: DatabaseKind): string {
  return typeof migration.sql === "string" ? migration.sql : migration.sql[kind];
}
