import type { Queryable } from "./database.ts";

/** Small named values that outlive a run, e.g. when Cal.com was last read. */
export async function getMeta(db: Queryable, key: string): Promise<string | null> {
  const rows = await db.query<{ value: string }>("select value from calsync_meta where key = $1", [key]);
  return rows[0]?.value ?? null;
}

export async function setMeta(db: Queryable, key: string, value: string): Promise<void> {
  await db.query(
    "insert into calsync_meta (key, value) values ($1, $2) on conflict (key) do update set value = excluded.value",
    [key, value],
  );
}
