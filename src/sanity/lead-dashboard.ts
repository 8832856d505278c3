import type { SanityClient } from "@sanity/client";
import type { LeadDocumentUpdate } from "../core/lead-document.ts";
import { RateLimitedError, UpstreamError } from "../errors.ts";
import { type BackoffOptions, withBackoff } from "../http/backoff.ts";
import type { LeadDashboard } from "../sync/context.ts";

/**
 * Sends lead documents to Sanity. Each lead is `createIfNotExists` + `patch.set` of the booking fields, so
 * fields other jobs own (the sheet copy's `sheetFields`, `archived`) are never overwritten. A large batch is
 * split into transactions small enough for Sanity's request limits, each one atomic.
 */
const LEADS_PER_TRANSACTION = 250;

export function createLeadDashboard(client: SanityClient, backoff?: BackoffOptions): LeadDashboard {
  return {
    async publish(documents) {
      for (let i = 0; i < documents.length; i += LEADS_PER_TRANSACTION) {
        const chunk = documents.slice(i, i + LEADS_PER_TRANSACTION);
        await withBackoff(() => commit(client, chunk), retrySanity, backoff).catch((error: unknown) => {
          throw toCalsyncError(error);
        });
      }
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

type ClientErrorLike = { statusCode?: number; message?: string; responseBody?: string };

function retrySanity(error: unknown) {
  const status = (error as ClientErrorLike)?.statusCode;
  if (status === 429 || (status !== undefined && status >= 500)) return { retry: true as const };
  return { retry: false as const };
}

function toCalsyncError(error: unknown): Error {
  const e = error as ClientErrorLike;
  if (e?.statusCode === 429) return new RateLimitedError("sanity", 1_000);
  const hint =
    e?.statusCode === 401 || e?.statusCode === 403
      ? " (check SANITY_TOKEN: it needs write access to the dataset)"
      : e?.statusCode === 404
        ? " (check SANITY_PROJECT_ID and SANITY_DATASET)"
        : "";
  return new UpstreamError("sanity", `${e?.message ?? String(error)}${hint}`, e?.statusCode, {
    cause: error,
  });
}
