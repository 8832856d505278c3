import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Which databases the current async call chain is inside a transaction of. PGlite runs one thing at a time,
 * so `db.query` issued from inside `db.transaction` waits for the transaction, which waits for it: a silent
 * hang. On PostgreSQL the same code would quietly run outside the transaction. Both are bugs; this turns them
 * into an immediate error.
 */
const openTransactions = new AsyncLocalStorage<ReadonlySet<object>>();

export function runInTransactionOf<T>(database: object, fn: () => Promise<T>): Promise<T> {
  const outer = openTransactions.getStore() ?? new Set<object>();
  return openTransactions.run(new Set([...outer, database]), fn);
}

export function assertNotInTransactionOf(database: object, operation: string): void {
  if (openTransactions.getStore()?.has(database)) {
    throw new Error(
      `db.${operation}() was called inside db.transaction(): use the transaction's own tx.query/tx.exec ` +
        "(on the embedded database this call would wait forever for the transaction to end).",
    );
  }
}
