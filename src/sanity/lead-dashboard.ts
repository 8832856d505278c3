import type { SanityClient } from "@sanity/client";
import type { LeadDocumentUpdate } from "../core/lead-document.ts";
import { ARCHIVED_FIELDS } from "../core/sheet-copy.ts";
import type { BackoffOptions } from "../http/backoff.ts";
import type { LeadDashboard } from "../sync/context.ts";
import { sanityCall } from "./sanity-call.ts";

/**
 * Sends lead documents to Sanity. Each lead is `createIfNotExists` + `patch.set` of the booking fields, so
 * fields other jobs own (the sheet copy's `sheetFields`, `archived`) are never overwritten. A large batch is
 * split into transactions small enough for Sanity's request limits, each one atomic.
 *
 * Sanity takes 25 mutation requests a second and bodies up to 4 MB: at 250 leads a transaction, 10,000 leads
 * were 40 requests, at least 1.6 s of rate limit. A transaction now holds up to 1,000 leads, and is cut
 * sooner once its documents' JSON reaches 1 MB (the request, two mutations a lead, stays well under 4 MB).
 * https://www.sanity.io/docs/content-lake/technical-limits
 */
const LEADS_PER_TRANSACTION = 1_000;
const DOCUMENT_CHARACTERS_PER_TRANSACTION = 1_000_000;
const TRANSACTIONS_AT_ONCE = 3;

export function createLeadDashboard(client: SanityClient, backoff?: BackoffOptions): LeadDashboard {
  return {
    async publish(documents) {
      const chunks = transactionsOf(documents);
      // A few transactions in flight at a time (a rolling pool): much faster over a slow link, and still
      // under Sanity's 25 mutation requests per second (each transaction is one request).
      let next = 0;
      const worker = async () => {
        while (next < chunks.length) {
          const chunk = chunks[next++] as LeadDocumentUpdate[];
          await sanityCall(() => commit(client, chunk), backoff);
        }
      };
      await Promise.all(Array.from({ length: Math.min(TRANSACTIONS_AT_ONCE, chunks.length) }, worker));
    },

    async retire(documentIds) {
      if (documentIds.length === 0) return;
      // A patch of a document Sanity does not have fails the whole transaction: patch only those it has.
      const existing = await sanityCall(
        () => client.fetch<string[]>("*[_id in $ids]._id", { ids: [...documentIds] }),
        backoff,
      );
      if (existing.length === 0) return;
      await sanityCall(() => {
        const transaction = client.transaction();
        for (const id of existing) {
          transaction.patch(id, (patch) =>
            patch.set({ ...ARCHIVED_FIELDS, callBooked: null, callBookedAt: null, waitingToRebook: false }),
          );
        }
        return transaction.commit({ visibility: "async", returnDocuments: false });
      }, backoff);
    },
  };
}

async function commit(client: SanityClient, documents: readonly LeadDocumentUpdate[]): Promise<void> {
  const transaction = client.transaction();
  for (const doc of documents) {
    transaction.createIfNotExists({ _id: doc.id, _type: "dbrLead" });
    transaction.patch(doc.id, (patch) => patch.set({ ...doc.fields }));
  }
  await transaction.commit({ visibility: "async", returnDocuments: false });
}

/** The documents in order, cut into transactions by count and by size (see LEADS_PER_TRANSACTION). */
function transactionsOf(documents: readonly LeadDocumentUpdate[]): LeadDocumentUpdate[][] {
  const chunks: LeadDocumentUpdate[][] = [];
  let chunk: LeadDocumentUpdate[] = [];
  let characters = 0;
  for (const doc of documents) {
    const size = doc.id.length + JSON.stringify(doc.fields).length;
    if (
      chunk.length > 0 &&
      (chunk.length >= LEADS_PER_TRANSACTION || characters + size > DOCUMENT_CHARACTERS_PER_TRANSACTION)
    ) {
      chunks.push(chunk);
      chunk = [];
      characters = 0;
    }
    chunk.push(doc);
    characters += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
