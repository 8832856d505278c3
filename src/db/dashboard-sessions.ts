import type { Queryable } from "./database.ts";

/**
 * Logged-in dashboard sessions, on the server (table dashboard_sessions, migration 0005): a signed cookie
 * alone cannot be ended before it expires, so logging out (or changing the password) could not end it.
 * Rows are keyed by a hash of the session's nonce; instants are ISO text.
 */
export async function recordSession(
  db: Queryable,
  session: { idHash: string; passwordTag: string; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db.query(
    `insert into dashboard_sessions (id_hash, password_tag, created_at, expires_at) values ($1, $2, $3, $4)
     on conflict (id_hash) do update set password_tag = excluded.password_tag, expires_at = excluded.expires_at`,
    [session.idHash, session.passwordTag, session.createdAt.toISOString(), session.expiresAt.toISOString()],
  );
}

/** Whether the session is still live: logged in with this password, not logged out, not expired. */
export async function isSessionLive(
  db: Queryable,
  session: { idHash: string; passwordTag: string; now: Date },
): Promise<boolean> {
  const rows = await db.query(
    "select 1 as live from dashboard_sessions where id_hash = $1 and password_tag = $2 and expires_at > $3",
    [session.idHash, session.passwordTag, session.now.toISOString()],
  );
  return rows.length > 0;
}

export async function endSession(db: Queryable, idHash: string): Promise<void> {
  await db.query("delete from dashboard_sessions where id_hash = $1", [idHash]);
}

export async function pruneExpiredSessions(db: Queryable, now: Date): Promise<void> {
  await db.query("delete from dashboard_sessions where expires_at < $1", [now.toISOString()]);
}
