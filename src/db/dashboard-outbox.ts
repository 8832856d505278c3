import type { LeadDocumentUpdate } from "../core/lead-document.ts";
import { contentHash } from "../core/lead-identity.ts";
import type { Queryable } from "./database.ts";

/**
 * Lead documents waiting to reach Sanity. A document is queued only when its content changed since it was
 * last sent, and stays queued until Sanity accepts it, so a Sanity outage delays the dashboard but loses nothing.
 */
export async function queueChangedDocuments(
  db: Queryable,
  updates: readonly LeadDocumentUpdate[],
): Promise<number> {
  if (updates.length === 0) return 0;
  const known = await db.query<{ doc_id: string; sent_hash: string | null; pending_hash: string | null }>(
    "select doc_id, sent_hash, pending_hash from dashboard_outbox where doc_id = any($1::text[])",
    [updates.map((u) => u.id)],
  );
  const byId = new Map(known.map((row) => [row.doc_id, row]));
  const changed = updates
    .map((update) => ({ update, hash: contentHash(update.fields) }))
    .filter(({ update, hash }) => {
      const row = byId.get(update.id);
      return row?.pending_hash ? row.pending_hash !== hash : row?.sent_hash !== hash;
    });
  if (changed.length === 0) return 0;
  await db.query(
    `insert into dashboard_outbox (doc_id, lead_key, pending, pending_hash, queued_at)
     select r.doc_id, r.lead_key, r.pending, r.pending_hash, now()
       from jsonb_to_recordset($1::jsonb) as r(doc_id text, lead_key text, pending jsonb, pending_hash text)
     on conflict (doc_id) do update set
       lead_key = excluded.lead_key, pending = excluded.pending, pending_hash = excluded.pending_hash,
       queued_at = now()`,
    [
      JSON.stringify(
        changed.map(({ update, hash }) => ({
          doc_id: update.id,
          lead_key: update.leadKey,
          pending: update.fields,
          pending_hash: hash,
        })),
      ),
    ],
  );
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
  if (sent.length === 0) return;
  await db.query(
    `update dashboard_outbox o set sent_hash = r.hash, sent_at = now(), pending = null, pending_hash = null
       from jsonb_to_recordset($1::jsonb) as r(doc_id text, hash text)
      where o.doc_id = r.doc_id and o.pending_hash = r.hash`,
    [JSON.stringify(sent.map((doc) => ({ doc_id: doc.id, hash: doc.hash })))],
  );
}

export async function countPendingDocuments(db: Queryable): Promise<number> {
  const rows = await db.query<{ n: number }>(
    "select count(*)::int as n from dashboard_outbox where pending is not null",
  );
  return Number(rows[0]?.n ?? 0);
}
