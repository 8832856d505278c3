import type { Queryable } from "./database.ts";

const SESSION_SECRET_KEY = "dashboard_session_secret";

/**
 * The secret dashboard sessions are signed with when SESSION_SECRET is unset: generated once and kept in
 * calsync_meta, so sessions survive restarts and every instance on the database agrees. The first writer
 * wins (`on conflict do nothing`), so two instances starting at once end up with the same secret.
 */
export async function loadOrCreateSessionSecret(db: Queryable, generate: () => string): Promise<string> {
  await db.query("insert into calsync_meta (key, value) values ($1, $2) on conflict (key) do nothing", [
    SESSION_SECRET_KEY,
    generate(),
  ]);
  const rows = await db.query<{ value: string }>("select value from calsync_meta where key = $1", [
    SESSION_SECRET_KEY,
  ]);
  const secret = rows[0]?.value;
  if (!secret) throw new Error("the dashboard session secret could not be stored in calsync_meta");
  return secret;
}
