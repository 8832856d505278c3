import type { LeadDocumentUpdate } from "../core/lead-document.ts";
import { contentHash } from "../core/lead-identity.ts";
import type { Queryable } from "./database.ts";
import { inBatches, placeholders, selectInBatches, valueRows } from "./sql-batch.ts";

/**
 * Lead documents waiting to reach Sanity. A document is queued only when its content changed since it was
 * last sent, and stays queued until Sanity accepts it, so a Sanity outage delays the dashboard but loses nothing.
 */
export async function queueChangedDocuments(
  db: Queryable,
  updates: readonly LeadDocumentUpdate[],
): Promise<number> {
  if (updates.length === 0) return 0;
  const known = await selectInBatches(
    updates.map((u) => u.id),
    (ids) =>
      db.query<{ doc_id: string; sent_hash: string | null; pending_hash: string | null }>(
        `select doc_id, sent_hash, pending_hash from dashboard_outbox where doc_id in (${placeholders(ids.length)})`,
        ids,
      ),
  );
  const byId = new Map(known.map((row) => [row.doc_id, row]));
  const changed = updates
    .map((update) => ({ update, hash: contentHash(update.fields) }))
    .filter(({ update, hash }) => {
      const row = byId.get(update.id);
      return row?.pending_hash ? row.pending_hash !== hash : row?.sent_hash !== hash;
    });
  if (changed.length === 0) return 0;
  await inBatches(db, changed, 4, async (q, batch) => {
    const params: unknown[] = [];
    for (const { update, hash } of batch)
      params.push(update.id, update.leadKey, JSON.stringify(update.fields), hash);
    await q.query(
      `insert into dashboard_outbox (doc_id, lead_key, pending, pending_hash, queued_at)
       values ${valueRows(batch.length, 4, { tail: "now()" })}
       on conflict (doc_id) do update set
         lead_key = excluded.lead_key, pending = excluded.pending, pending_hash = excluded.pending_hash,
         queued_at = now()`,
      params,
    );
  });
  return changed.length;
}

export type QueuedDocument = LeadDocumentUpdate & { hash: string };

export async function pendingDocuments(db: Queryable): Promise<QueuedDocument[]> {
  const rows = await db.query<{
    doc_id: string;
    lead_key: string;
    pending: LeadDocumentUpdate["fields"];
    pending_hash: string;
  }>(
    "select doc_id, lead_key, pending, pending_hash from dashboard_outbox where pending is not null order by queued_at, doc_id",
  );
  return rows.map((row) => ({
    id: row.doc_id,
    leadKey: row.lead_key,
    fields: row.pending,
    hash: row.pending_hash,
  }));
}

/** Marks documents as sent, unless they were queued again with newer content meanwhile. */
export async function markDocumentsSent(db: Queryable, sent: readonly QueuedDocument[]): Promise<void> {
  await inBatches(db, sent, 2, async (q, batch) => {
    await q.query(
      `with r (doc_id, hash) as (values ${valueRows(batch.length, 2)})
       update dashboard_outbox as o set sent_hash = r.hash, sent_at = now(), pending = null, pending_hash = null
         from r
        where o.doc_id = r.doc_id and o.pending_hash = r.hash`,
      batch.flatMap((doc) => [doc.id, doc.hash]),
    );
  });
}

export async function countPendingDocuments(db: Queryable): Promise<number> {
  const rows = await db.query<{ n: number }>(
    "select count(*) as n from dashboard_outbox where pending is not null",
  );
  return Number(rows[0]?.n ?? 0);
}
