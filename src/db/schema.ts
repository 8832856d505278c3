/**
 * calsync's own tables, as migrations (see migrations.ts), once for each engine: the PostgreSQL text is what
 * was applied from the start and must not change (its checksum is recorded); the SQLite text says the same in
 * SQLite's terms (see type-parsers.ts: instants as ISO text, json_text parsed, boolean as 0/1). Times of bookings
 * are kept as Cal.com's ISO text (canonicalised), so both engines return them unchanged.
 */
export const SYNC_TABLES = `
create table if not exists bookings (
  uid text primary key,
  status text not null,
  start_at text,
  end_at text,
  event_type_id bigint,
  attendee jsonb not null,
  rescheduled_from_uid text,
  rescheduled_to_uid text,
  calcom_updated_at text,
  lead_key text,
  changed_at timestamptz not null default now()
);
create index if not exists bookings_lead_key on bookings (lead_key);

create table if not exists lead_ledger (
  lead_key text primary key,
  sheet_row integer,
  decision text not null,
  status_written text,
  booking_written text,
  booking_uid text,
  updated_at timestamptz not null default now()
);

create table if not exists dashboard_outbox (
  doc_id text primary key,
  lead_key text not null,
  sent_hash text,
  sent_at timestamptz,
  pending jsonb,
  pending_hash text,
  queued_at timestamptz
);

create table if not exists sync_runs (
  id bigserial primary key,
  kind text not null,
  trigger text not null,
  started_at timestamptz not null,
  finished_at timestamptz,
  success boolean not null,
  result jsonb not null
);
`;

/** An instant, now, as SQLite column defaults write it: the text type-parsers.ts promises. */
export const SQLITE_NOW = "(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))";

export const SQLITE_SYNC_TABLES = `
create table bookings (
  uid text primary key,
  status text not null,
  start_at text,
  end_at text,
  event_type_id integer,
  attendee json_text not null,
  rescheduled_from_uid text,
  rescheduled_to_uid text,
  calcom_updated_at text,
  lead_key text,
  changed_at text not null default ${SQLITE_NOW}
);
create index bookings_lead_key on bookings (lead_key);

create table lead_ledger (
  lead_key text primary key,
  sheet_row integer,
  decision text not null,
  status_written text,
  booking_written text,
  booking_uid text,
  updated_at text not null default ${SQLITE_NOW}
);

create table dashboard_outbox (
  doc_id text primary key,
  lead_key text not null,
  sent_hash text,
  sent_at text,
  pending json_text,
  pending_hash text,
  queued_at text
);

create table sync_runs (
  id integer primary key autoincrement,
  kind text not null,
  trigger text not null,
  started_at text not null,
  finished_at text,
  success boolean not null,
  result json_text not null
);
`;

/** Webhook deliveries, stored before they are acknowledged and kept until applied (see webhook-events.ts). */
export const WEBHOOK_TABLES = `
create table if not exists webhook_events (
  id bigserial primary key,
  idempotency_key text not null unique,
  trigger text not null,
  booking_uid text,
  body jsonb not null,
  received_at timestamptz not null default now(),
  applied_at timestamptz,
  attempts integer not null default 0,
  next_attempt_at timestamptz not null default now(),
  last_error text
);
create index if not exists webhook_events_pending on webhook_events (next_attempt_at) where applied_at is null;
`;

export const SQLITE_WEBHOOK_TABLES = `
create table webhook_events (
  id integer primary key autoincrement,
  idempotency_key text not null unique,
  trigger text not null,
  booking_uid text,
  body json_text not null,
  received_at text not null default ${SQLITE_NOW},
  applied_at text,
  attempts integer not null default 0,
  next_attempt_at text not null default ${SQLITE_NOW},
  last_error text
);
create index webhook_events_pending on webhook_events (next_attempt_at) where applied_at is null;
`;
