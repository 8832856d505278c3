import type { SyncRunResult } from "../core/run-report.ts";
import { requeueEvent } from "../db/webhook-events.ts";
import { type ActionFailure, refuse } from "./action-outcome.ts";
import type { SyncContext } from "./context.ts";
import { runBookingSync } from "./run-booking-sync.ts";

/**
 * Replays a stored webhook delivery: it is made due again and applied at once, through the same path as any
 * delivery. Folding it into the ledger again changes nothing the ledger already has, so a replay is safe;
 * it helps a delivery whose application failed, or a ledger restored from an older backup.
 */
export async function replayDelivery(
  ctx: SyncContext,
  eventId: number,
): Promise<{ ok: true; sync: SyncRunResult } | ActionFailure> {
  if (!(await requeueEvent(ctx.db, eventId, ctx.clock()))) {
    return refuse(
      404,
      `Delivery #${eventId} is no longer stored (deliveries applied are kept HISTORY_DAYS).`,
    );
  }
  ctx.log.info("replaying a stored webhook delivery", { id: eventId });
  const sync = await runBookingSync(ctx, { trigger: "dashboard", source: "webhook-events" });
  return { ok: true, sync };
}
