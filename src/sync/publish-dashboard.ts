import type { LeadDocumentUpdate } from "../core/lead-document.ts";
import { markDocumentsSent, pendingDocuments, queueChangedDocuments } from "../db/dashboard-outbox.ts";
import type { SyncContext } from "./context.ts";

/**
 * Queues the lead documents whose content changed, then sends everything queued (this run's and any a
 * Sanity outage left behind) in one transaction. A Sanity failure is a warning, not a failed run: the sheet
 * is already right and the queue is sent by the next run.
 */
export async function publishLeadDocuments(
  ctx: SyncContext,
  updates: readonly LeadDocumentUpdate[],
  /** Documents of leads that moved to a new key: archived, so no second document shows their call. */
  retired: readonly string[] = [],
): Promise<PublishOutcome> {
  let archived: readonly string[] = [];
  if (retired.length > 0) {
    archived = await ctx.dashboard.retire(retired).then(
      () => retired,
      (error: unknown) => {
        // The sheet copy archives documents whose lead left the sheet, so this is only sooner, not the only way.
        ctx.log.warn("could not archive the documents of leads that moved to a new key", {
          count: retired.length,
          reason: error instanceof Error ? error.message : String(error),
        });
        return [];
      },
    );
  }
  await queueChangedDocuments(ctx.db, updates);
  const queued = await pendingDocuments(ctx.db);
  if (queued.length === 0) return { sent: 0, waiting: 0, warnings: [], published: [], retired: archived };
  try {
    await ctx.dashboard.publish(queued);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    ctx.log.warn("sanity publish failed; documents kept for the next run", {
      waiting: queued.length,
      reason,
    });
    return {
      sent: 0,
      waiting: queued.length,
      published: [],
      retired: archived,
      warnings: [
        `The dashboard (Sanity) was not updated: ${reason}. ${queued.length} lead(s) will be sent next run.`,
      ],
    };
  }
  await markDocumentsSent(ctx.db, queued);
  return { sent: queued.length, waiting: 0, warnings: [], published: queued, retired: archived };
}

export type PublishOutcome = {
  sent: number;
  waiting: number;
  warnings: string[];
  /** The documents Sanity accepted (this run's and any an outage had kept waiting). */
  published: readonly LeadDocumentUpdate[];
  /** The documents archived. */
  retired: readonly string[];
};
