import type { Queryable } from "./database.ts";

/**
 * The newest run of one kind whose answer is kept in sync_runs, e.g. the last successful booking sync (its
 * unmatched and ambiguous bookings are what the dashboard's "Needs attention" shows). `result` is the run's
 * JSON answer as stored; its shape depends on the kind.
 */
export async function latestRunOf(
  db: Queryable,
  kind: string,
  options: { successfulOnly?: boolean } = {},
): Promise<{ id: number; trigger: string; startedAt: string; success: boolean; result: unknown } | null> {
  const rows = await db.query<{
    id: number;
    trigger: string;
    started_at: string;
    success: boolean;
    result: unknown;
  }>(
    `select id, trigger, started_at, success, result from sync_runs
      where kind = $1${options.successfulOnly ? " and success" : ""} order by id desc limit 1`,
    [kind],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    id: Number(row.id),
    trigger: row.trigger,
    startedAt: new Date(row.started_at).toISOString(),
    success: row.success,
    result: row.result,
  };
}

/** Keeps a run of any kind in sync_runs (recordRun in run-history.ts is the booking sync's typed version). */
export async function recordRunOfKind(
  db: Queryable,
  run: { kind: string; trigger: string; startedAt: Date; success: boolean; result: unknown },
): Promise<void> {
  await db.query(
    `insert into sync_runs (kind, trigger, started_at, finished_at, success, result)
     values ($1, $2, $3, now(), $4, $5)`,
    [run.kind, run.trigger, run.startedAt.toISOString(), run.success, JSON.stringify(run.result)],
  );
}
