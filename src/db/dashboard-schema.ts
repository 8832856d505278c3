/**
 * The dashboard's server-side state (migration 0005) and the indexes retention needs (0006). Written for
 * both PostgreSQL and SQLite: text columns, instants as ISO 8601 text (`Date.toISOString()`, so they sort
 * and compare as text), no serials, jsonb or now() defaults.
 */

/**
 * `dashboard_sessions`: one row per logged-in session, keyed by the SHA-256 of the cookie's nonce (the
 * table never holds what a cookie holds). `password_tag` is a slow hash of the password the session logged
 * in with: a changed DASHBOARD_PASSWORD no longer matches it, which ends the session. Logging out deletes
 * the row. `dashboard_flashes`: the one-off message a form leaves for the next page, so the cookie that
 * carries it holds only a random id, never what the message says about a lead.
 */
export const DASHBOARD_SESSION_TABLES = `
create table if not exists dashboard_sessions (
  id_hash text primary key,
  password_tag text not null,
  created_at text not null,
  expires_at text not null
);
create index if not exists dashboard_sessions_expires_at on dashboard_sessions (expires_at);

create table if not exists dashboard_flashes (
  id text primary key,
  kind text not null,
  message text not null,
  expires_at text not null
);
create index if not exists dashboard_flashes_expires_at on dashboard_flashes (expires_at);
`;

/**
 * Pruning deletes by age, and the history page counts the last day's deliveries: both read an index range
 * instead of the whole table.
 */
export const RETENTION_INDEXES = `
create index if not exists webhook_events_received_at on webhook_events (received_at);
create index if not exists sync_runs_started_at on sync_runs (started_at);
`;
