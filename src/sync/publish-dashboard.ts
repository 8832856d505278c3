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
): Promise<{ sent: number; waiting: number; warnings: string[] }> {
  await queueChangedDocuments(ctx.db, updates);
  const queued = await pendingDocuments(ctx.db);
  if (queued.length === 0) return { sent: 0, waiting: 0, warnings: [] };
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
      warnings: [
        `The dashboard (Sanity) was not updated: ${reason}. ${queued.length} lead(s) will be sent next run.`,
      ],
    };
  }
  await markDocumentsSent(ctx.db, queued);
  return { sent: queued.length, waiting: 0, warnings: [] };
}
