import type { Queryable } from "./database.ts";

/**
 * The message a dashboard form leaves for the next page (table dashboard_flashes, migration 0005). It names
 * leads ("Booked Mark Greenall for…"), so it stays on the server; the browser holds only its random id.
 */
export type StoredFlash = { kind: "ok" | "error"; text: string };

export async function putFlash(
  db: Queryable,
  flash: StoredFlash & { id: string; expiresAt: Date },
): Promise<void> {
  await db.query("insert into dashboard_flashes (id, kind, message, expires_at) values ($1, $2, $3, $4)", [
    flash.id,
    flash.kind,
    flash.text,
    flash.expiresAt.toISOString(),
  ]);
}

/** The flash with this id, once: reading it deletes it. Null when unknown, already read or expired. */
export async function takeFlash(db: Queryable, id: string, now: Date): Promise<StoredFlash | null> {
  const rows = await db.query<{ kind: string; message: string; expires_at: string }>(
    "delete from dashboard_flashes where id = $1 returning kind, message, expires_at",
    [id],
  );
  const row = rows[0];
  if (!row || row.expires_at <= now.toISOString()) return null;
  if (row.kind !== "ok" && row.kind !== "error") return null;
  return { kind: row.kind, text: row.message };
}

export async function pruneExpiredFlashes(db: Queryable, now: Date): Promise<void> {
  await db.query("delete from dashboard_flashes where expires_at < $1", [now.toISOString()]);
}
