/**
 * The audit tables (migration 0008), once per engine (types differ; see schema.ts):
 * - `change_log`: every cell calsync wrote, Cal.com action it took and Sanity document it wrote, with its run
 *   (sync_runs.id), the lead, the value before and after, and why (see core/change-log.ts);
 * - `booking_news`: what Cal.com reported about bookings, per run (poll or webhook delivery), with when a
 *   webhook would have had to arrive for a poll's finding to count as reported (`grace_until`);
 * - `webhook_deliveries`: every POST to the webhook route once a secret is set: signature result, what was
 *   done with it, and the stored delivery (webhook_events) it is, or repeats.
 * Runs are written when they start now (`finished_at` null while running), so their changes can name them.
 */
export const AUDIT_TABLES = `
create table change_log (
  id bigserial primary key,
  run_id bigint not null,
  at timestamptz not null,
  kind text not null,
  sheet_row integer,
  field text,
  column_header text,
  before_value text,
  after_value text,
  lead_key text,
  lead_name text,
  identity_phone text,
  identity_email text,
  booking_uid text,
  action text not null,
  source text not null,
  source_ref text,
  reason text not null,
  detail text
);
create index change_log_run on change_log (run_id, id);
create index change_log_lead on change_log (lead_key, id);
create index change_log_at on change_log (at);

create table booking_news (
  id bigserial primary key,
  run_id bigint,
  found_at timestamptz not null,
  booking_uid text not null,
  calcom_uid text not null,
  kind text not null,
  status text not null,
  start_at text,
  rescheduled_from_uid text,
  source text not null,
  delivery_id bigint,
  expect_webhook boolean not null,
  reported_by text not null,
  grace_until timestamptz not null
);
create index booking_news_found_at on booking_news (found_at);
create index booking_news_booking on booking_news (booking_uid);

create table webhook_deliveries (
  id bigserial primary key,
  received_at timestamptz not null,
  trigger text,
  booking_uid text,
  signature text not null,
  outcome text not null,
  event_id bigint,
  detail text
);
create index webhook_deliveries_received_at on webhook_deliveries (received_at);
create index webhook_events_booking_uid on webhook_events (booking_uid, received_at);
`;

export const SQLITE_AUDIT_TABLES = `
create table change_log (
  id integer primary key autoincrement,
  run_id integer not null,
  at text not null,
  kind text not null,
  sheet_row integer,
  field text,
  column_header text,
  before_value text,
  after_value text,
  lead_key text,
  lead_name text,
  identity_phone text,
  identity_email text,
  booking_uid text,
  action text not null,
  source text not null,
  source_ref text,
  reason text not null,
  detail text
);
create index change_log_run on change_log (run_id, id);
create index change_log_lead on change_log (lead_key, id);
create index change_log_at on change_log (at);

create table booking_news (
  id integer primary key autoincrement,
  run_id integer,
  found_at text not null,
  booking_uid text not null,
  calcom_uid text not null,
  kind text not null,
  status text not null,
  start_at text,
  rescheduled_from_uid text,
  source text not null,
  delivery_id integer,
  expect_webhook boolean not null,
  reported_by text not null,
  grace_until text not null
);
create index booking_news_found_at on booking_news (found_at);
create index booking_news_booking on booking_news (booking_uid);

create table webhook_deliveries (
  id integer primary key autoincrement,
  received_at text not null,
  trigger text,
  booking_uid text,
  signature text not null,
  outcome text not null,
  event_id integer,
  detail text
);
create index webhook_deliveries_received_at on webhook_deliveries (received_at);
create index webhook_events_booking_uid on webhook_events (booking_uid, received_at);
`;
