import type { SyncRunResult } from "../core/run-report.ts";
import type { Queryable } from "./database.ts";

export type RunRecord = {
  id: number;
  kind: string;
  trigger: string;
  startedAt: string;
  success: boolean;
  result: SyncRunResult;
};

/** Every run is kept with its answer, for the dashboard's history and for people asking "what happened at 10:00?". */
export async function recordRun(
  db: Queryable,
  run: { trigger: string; startedAt: Date; result: SyncRunResult; kind?: string },
): Promise<void> {
  await db.query(
    `insert into sync_runs (kind, trigger, started_at, finished_at, success, result)
     values ($1, $2, $3, now(), $4, $5)`,
    [
      run.kind ?? "booking-sync",
      run.trigger,
      run.startedAt.toISOString(),
      run.result.success,
      JSON.stringify(run.result),
    ],
  );
}

export async function recentRuns(db: Queryable, limit = 20): Promise<RunRecord[]> {
  const rows = await db.query<{
    id: number;
    kind: string;
    trigger: string;
    started_at: string;
    success: boolean;
    result: SyncRunResult;
  }>("select id, kind, trigger, started_at, success, result from sync_runs order by id desc limit $1", [
    limit,
  ]);
  return rows.map((row) => ({
    id: Number(row.id),
    kind: row.kind,
    trigger: row.trigger,
    startedAt: new Date(row.started_at).toISOString(),
    success: row.success,
    result: row.result,
  }));
}
