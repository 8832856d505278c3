import { AsyncLocalStorage } from "node:async_hooks";

/**
 * Which databases the current async call chain is inside a transaction of. The embedded database's one
 * connection keeps other statements out while a transaction runs, so `db.query` issued from inside
 * `db.transaction` waits for the transaction, which waits for it: a silent hang. On PostgreSQL the same code would quietly run outside the transaction. Both are bugs; this turns them
 * into an immediate error.
 */
type OpenTransaction = { database: object; open: boolean };

const openTransactions = new AsyncLocalStorage<readonly OpenTransaction[]>();

export async function runInTransactionOf<T>(database: object, fn: () => Promise<T>): Promise<T> {
  const transaction: OpenTransaction = { database, open: true };
  try {
    return await openTransactions.run([...(openTransactions.getStore() ?? []), transaction], fn);
  } finally {
    // Work started inside the transaction but finishing after it (a timer, an unawaited promise) keeps this
    // context; once the transaction is over, it may use the database again.
    transaction.open = false;
  }
}

export function assertNotInTransactionOf(database: object, operation: string): void {
  const inside = openTransactions.getStore()?.some((entry) => entry.open && entry.database === database);
  if (inside) {
    throw new Error(
      `db.${operation}() was called inside db.transaction(): use the transaction's own tx.query/tx.exec ` +
        "(on the embedded database this call would wait forever for the transaction to end).",
    );
  }
}
