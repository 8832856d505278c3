import type { SheetCopyState } from "../core/sheet-copy.ts";
import type { Queryable } from "./database.ts";
import { inBatches, valueRows } from "./sql-batch.ts";

/** What the sheet copy last wrote to Sanity, per lead document. */
export async function loadSheetCopyState(db: Queryable): Promise<Map<string, SheetCopyState>> {
  const rows = await db.query<{
    doc_id: string;
    lead_key: string | null;
    content_hash: string | null;
    archived: boolean;
  }>("select doc_id, lead_key, content_hash, archived from sheet_copy_documents");
  return new Map(
    rows.map((row) => [
      row.doc_id,
      { id: row.doc_id, leadKey: row.lead_key, hash: row.content_hash, archived: row.archived },
    ]),
  );
}

/**
 * Records documents Sanity has accepted. Called after each committed transaction, so a copy that fails
 * halfway keeps what landed and the next copy sends only the rest.
 */
export async function saveSheetCopyState(db: Queryable, entries: readonly SheetCopyState[]): Promise<void> {
  await inBatches(db, entries, 4, async (q, batch) => {
    const params: unknown[] = [];
    for (const e of batch) params.push(e.id, e.leadKey, e.hash, e.archived);
    await q.query(
      `insert into sheet_copy_documents (doc_id, lead_key, content_hash, archived, copied_at)
       values ${valueRows(batch.length, 4, { tail: "now()" })}
       on conflict (doc_id) do update set
         lead_key = coalesce(excluded.lead_key, sheet_copy_documents.lead_key),
         content_hash = excluded.content_hash, archived = excluded.archived, copied_at = now()`,
      params,
    );
  });
}
