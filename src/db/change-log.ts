import type {
  CalcomActionChange,
  CellChange,
  CellField,
  Change,
  ChangeSource,
  DocumentChange,
  Recorded,
} from "../core/change-log.ts";
import type { Queryable } from "./database.ts";
import { inBatches, placeholders, selectInBatches, valueRows } from "./sql-batch.ts";

/**
 * The change log (migration 0008, see change-log-schema.ts) and the run records it belongs to. A run is
 * written when it starts (so what it changes can name it as it lands) and completed when it ends; a run
 * whose record has no `finished_at` is running, or stopped without finishing (its changes are all here).
 */

export type RunRow = {
  id: number;
  kind: string;
  trigger: string;
  startedAt: string;
  finishedAt: string | null;
  success: boolean;
  result: unknown;
};

export async function beginRun(
  db: Queryable,
  run: { kind: string; trigger: string; startedAt: Date },
): Promise<number> {
  const rows = await db.query<{ id: number }>(
    `insert into sync_runs (kind, trigger, started_at, finished_at, success, result)
     values ($1, $2, $3, null, false, $4) returning id`,
    [run.kind, run.trigger, run.startedAt.toISOString(), "{}"],
  );
  return Number(rows[0]?.id);
}

export async function finishRun(
  db: Queryable,
  id: number,
  run: { success: boolean; result: unknown; finishedAt: Date },
): Promise<void> {
  await db.query("update sync_runs set finished_at = $1, success = $2, result = $3 where id = $4", [
    run.finishedAt.toISOString(),
    run.success,
    JSON.stringify(run.result),
    id,
  ]);
}

export async function loadRun(db: Queryable, id: number): Promise<RunRow | null> {
  const rows = await db.query<RunDbRow>(
    "select id, kind, trigger, started_at, finished_at, success, result from sync_runs where id = $1",
    [id],
  );
  return rows[0] ? fromRunRow(rows[0]) : null;
}

/** The newest runs first (every kind), at most `limit`. */
export async function latestRuns(db: Queryable, limit: number): Promise<RunRow[]> {
  const rows = await db.query<RunDbRow>(
    "select id, kind, trigger, started_at, finished_at, success, result from sync_runs order by id desc limit $1",
    [limit],
  );
  return rows.map(fromRunRow);
}

type RunDbRow = {
  id: number;
  kind: string;
  trigger: string;
  started_at: string;
  finished_at: string | null;
  success: boolean;
  result: unknown;
};

function fromRunRow(row: RunDbRow): RunRow {
  return {
    id: Number(row.id),
    kind: row.kind,
    trigger: row.trigger,
    startedAt: new Date(row.started_at).toISOString(),
    finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
    success: row.success,
    result: row.result,
  };
}

const CHANGE_COLUMNS = 18;

/** Appends changes of run `runId`, in order, in multi-row statements. */
export async function recordChanges(
  db: Queryable,
  runId: number,
  at: Date,
  changes: readonly Change[],
): Promise<void> {
  await inBatches(db, changes, CHANGE_COLUMNS, async (q, batch) => {
    const params: unknown[] = [];
    for (const change of batch) params.push(runId, at.toISOString(), ...columnsOf(change));
    await q.query(
      `insert into change_log (run_id, at, kind, sheet_row, field, column_header, before_value, after_value,
                               lead_key, lead_name, identity_phone, identity_email, booking_uid, action, source,
                               source_ref, reason, detail)
       values ${valueRows(batch.length, CHANGE_COLUMNS)}`,
      params,
    );
  });
}

function columnsOf(change: Change): unknown[] {
  switch (change.kind) {
    case "cell":
      return [
        "cell",
        change.row,
        change.field,
        change.column,
        change.before,
        change.after,
        change.leadKey,
        change.leadName,
        change.identity.phone,
        change.identity.email,
        change.bookingUid,
        change.action,
        change.source,
        change.sourceRef,
        change.reason,
        change.appended ? JSON.stringify({ appended: true }) : null,
      ];
    case "calcom":
      return [
        "calcom",
        change.row,
        null,
        null,
        null,
        change.to,
        change.leadKey,
        change.leadName,
        null,
        null,
        change.bookingUid,
        change.action,
        change.source,
        change.sourceRef,
        change.reason,
        change.newBookingUid ? JSON.stringify({ newBookingUid: change.newBookingUid }) : null,
      ];
    case "document":
      return [
        "document",
        change.row,
        null,
        null,
        null,
        change.after,
        change.leadKey,
        change.leadName,
        null,
        null,
        change.bookingUid,
        change.action,
        change.source,
        change.sourceRef,
        change.reason,
        JSON.stringify({ documentId: change.documentId }),
      ];
  }
}

type ChangeRow = {
  id: number;
  run_id: number;
  at: string;
  kind: string;
  sheet_row: number | null;
  field: string | null;
  column_header: string | null;
  before_value: string | null;
  after_value: string | null;
  lead_key: string | null;
  lead_name: string | null;
  identity_phone: string | null;
  identity_email: string | null;
  booking_uid: string | null;
  action: string;
  source: string;
  source_ref: string | null;
  reason: string;
  detail: string | null;
};

const SELECT_CHANGES = `select id, run_id, at, kind, sheet_row, field, column_header, before_value, after_value,
  lead_key, lead_name, identity_phone, identity_email, booking_uid, action, source, source_ref, reason, detail
  from change_log`;

function fromChangeRow(row: ChangeRow): Recorded {
  const detail = parseDetail(row.detail);
  const base = {
    id: Number(row.id),
    runId: Number(row.run_id),
    at: new Date(row.at).toISOString(),
    source: row.source as ChangeSource,
    sourceRef: row.source_ref,
    reason: row.reason,
    leadKey: row.lead_key,
    leadName: row.lead_name ?? "",
  };
  if (row.kind === "calcom") {
    return {
      ...base,
      kind: "calcom",
      action: row.action as CalcomActionChange["action"],
      bookingUid: row.booking_uid ?? "",
      newBookingUid: typeof detail.newBookingUid === "string" ? detail.newBookingUid : null,
      to: row.after_value,
      row: row.sheet_row,
    };
  }
  if (row.kind === "document") {
    return {
      ...base,
      kind: "document",
      action: row.action as DocumentChange["action"],
      documentId: typeof detail.documentId === "string" ? detail.documentId : "",
      bookingUid: row.booking_uid,
      row: row.sheet_row,
      after: row.after_value,
    };
  }
  return {
    ...base,
    kind: "cell",
    row: Number(row.sheet_row),
    field: (row.field ?? "other") as CellField,
    column: row.column_header ?? "",
    before: row.before_value,
    after: row.after_value ?? "",
    identity: { phone: row.identity_phone, email: row.identity_email },
    bookingUid: row.booking_uid,
    action: row.action,
    ...(detail.appended === true ? { appended: true } : {}),
  };
}

function parseDetail(text: string | null): Record<string, unknown> {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** Every change of one run, in the order it was made. */
export async function runChanges(db: Queryable, runId: number): Promise<Recorded[]> {
  const rows = await db.query<ChangeRow>(`${SELECT_CHANGES} where run_id = $1 order by id`, [runId]);
  return rows.map(fromChangeRow);
}

/** The changes of several runs, by run id (each in the order made). */
export async function changesOfRuns(
  db: Queryable,
  runIds: readonly number[],
): Promise<Map<number, Recorded[]>> {
  const rows = await selectInBatches(runIds, (batch) =>
    db.query<ChangeRow>(
      `${SELECT_CHANGES} where run_id in (${placeholders(batch.length)}) order by id`,
      batch,
    ),
  );
  const byRun = new Map<number, Recorded[]>(runIds.map((id) => [id, []]));
  for (const row of rows) byRun.get(Number(row.run_id))?.push(fromChangeRow(row));
  return byRun;
}

/** Cell changes made after change `afterId` to the cells of these leads (an undo's "changed since"). */
export async function laterCellChanges(
  db: Queryable,
  afterId: number,
  leadKeys: readonly string[],
): Promise<Recorded<CellChange>[]> {
  const rows = await selectInBatches(
    [...new Set(leadKeys)],
    (batch) =>
      db.query<ChangeRow>(
        `${SELECT_CHANGES} where kind = 'cell' and id > $1 and lead_key in (${placeholders(batch.length, 2)})
         order by id`,
        [afterId, ...batch],
      ),
    1,
  );
  return rows.map(fromChangeRow) as Recorded<CellChange>[];
}

/** A lead's cells and Cal.com actions, newest first (the lead page's timeline). */
export async function leadChanges(
  db: Queryable,
  leadKeys: readonly string[],
  limit = 200,
): Promise<Recorded<CellChange | CalcomActionChange>[]> {
  if (leadKeys.length === 0) return [];
  const rows = await db.query<ChangeRow>(
    `${SELECT_CHANGES} where kind in ('cell', 'calcom') and lead_key in (${placeholders(leadKeys.length, 2)})
     order by id desc limit $1`,
    [limit, ...leadKeys],
  );
  return rows.map(fromChangeRow) as Recorded<CellChange | CalcomActionChange>[];
}
