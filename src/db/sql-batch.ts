import type { Queryable } from "./database.ts";

/**
 * Parameters per statement that both engines take: SQLite's limit (SQLITE_MAX_VARIABLE_NUMBER, 32766) is the
 * lower one (pg's protocol allows 65535).
 */
export const MAX_PARAMS = 32_766;

/**
 * Rows per multi-row statement, at most. A fixed size keeps the SQL text of full batches the same, so SQLite
 * prepares it once per connection; larger statements save it little more. PostgreSQL parses and plans every
 * statement it is sent, and each is a round trip: there, fewer and larger ones cut a 100,000-lead first run's
 * database time by about a fifth (measured 1.9 -> 1.55 s).
 */
const MAX_ROWS_PER_STATEMENT = { sqlite: 500, postgres: 2_000 } as const;

/** "($1, $2, now()), ($3, $4, now())…": `rows` tuples of `columns` parameters from $start, each ending in `tail`. */
export function valueRows(
  rows: number,
  columns: number,
  options: { start?: number; tail?: string } = {},
): string {
  const start = options.start ?? 1;
  const tail = options.tail ? `, ${options.tail}` : "";
  const tuples: string[] = [];
  for (let row = 0; row < rows; row++) {
    const first = start + row * columns;
    tuples.push(`(${placeholders(columns, first)}${tail})`);
  }
  return tuples.join(", ");
}

/** "$1, $2, $3": `count` placeholders from $start, e.g. for `where id in (…)`. */
export function placeholders(count: number, start = 1): string {
  const list: string[] = [];
  for (let index = 0; index < count; index++) list.push(`$${start + index}`);
  return list.join(", ");
}

/**
 * Runs `run` on successive batches of `items`, each small enough for one statement (`paramsPerItem` parameters
 * an item, plus `fixedParams` for the statement). Several batches on a Database run in one transaction, so the
 * write stays all or nothing, as one statement is (and SQLite commits once).
 */
export async function inBatches<T>(
  db: Queryable,
  items: readonly T[],
  paramsPerItem: number,
  run: (q: Queryable, batch: readonly T[]) => Promise<void>,
  fixedParams = 0,
): Promise<void> {
  const rowsAtMost = MAX_ROWS_PER_STATEMENT[kindOf(db)];
  const size = Math.max(
    1,
    Math.min(rowsAtMost, Math.floor((MAX_PARAMS - fixedParams) / Math.max(1, paramsPerItem))),
  );
  if (items.length <= size) {
    if (items.length > 0) await run(db, items);
    return;
  }
  const all = async (q: Queryable) => {
    for (let offset = 0; offset < items.length; offset += size) {
      // SQLite answers synchronously: without a pause between batches, a save of 100,000 rows would keep the
      // event loop (a server's requests, timers) waiting until it is done.
      if (offset > 0) await new Promise((resolve) => setImmediate(resolve));
      await run(q, items.slice(offset, offset + size));
    }
  };
  if (isDatabase(db)) await db.transaction(all);
  else await all(db);
}

/**
 * Reads in batches: `run` gets each batch of `keys` (at most MAX_PARAMS less `fixedParams`) and returns its
 * rows; the rows of all batches come back together.
 */
export async function selectInBatches<K, R>(
  keys: readonly K[],
  run: (batch: readonly K[]) => Promise<R[]>,
  fixedParams = 0,
): Promise<R[]> {
  const size = MAX_PARAMS - fixedParams;
  if (keys.length <= size) return keys.length > 0 ? run(keys) : [];
  const rows: R[] = [];
  for (let offset = 0; offset < keys.length; offset += size) {
    for (const row of await run(keys.slice(offset, offset + size))) rows.push(row);
  }
  return rows;
}

/** The engine, when `db` says (a Database does; a transaction's handle may not): else SQLite's sizes. */
function kindOf(db: Queryable): "sqlite" | "postgres" {
  return (db as { kind?: unknown }).kind === "postgres" ? "postgres" : "sqlite";
}

function isDatabase(
  db: Queryable,
): db is Queryable & { transaction: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T> } {
  return typeof (db as { transaction?: unknown }).transaction === "function";
}
