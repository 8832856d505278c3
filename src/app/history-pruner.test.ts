import { afterEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/support/db-harness.ts";
import { pageClient } from "../../test/support/page-client.ts";
import { LOOPBACK, type System, startSystem } from "../../test/support/system.ts";
import { recordBookingNews } from "../db/booking-news.ts";
import { recordChanges } from "../db/change-log.ts";
import { recentRuns } from "../db/run-history.ts";
import { recordRunOfKind } from "../db/run-records.ts";
import { recordDelivery } from "../db/webhook-deliveries.ts";
import { storeEvent } from "../db/webhook-events.ts";
import { type RunningServer, startServer } from "./start-server.ts";

const DAY = 86_400_000;

/**
 * Item 9 of issue 14: history older than HISTORY_DAYS is pruned, and the history page counts a day; issue 15:
 * the change log, the deliveries received and Cal.com's reports follow the same retention.
 */
describeEachDatabase("history retention", (getDb) => {
  let system: System | undefined;
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.stop();
    await system?.close();
  });

  const daysAgo = (days: number) => new Date(Date.now() - days * DAY);
  const run = (kind: string, trigger: string, days: number, success: boolean) =>
    recordRunOfKind(getDb(), { kind, trigger, startedAt: daysAgo(days), success, result: { success } });
  const delivery = async (key: string, days: number, applied: boolean) => {
    await storeEvent(getDb(), { idempotencyKey: key, trigger: "BOOKING_CREATED", bookingUid: key, body: {} });
    await getDb().query(
      "update webhook_events set received_at = $2, applied_at = $3 where idempotency_key = $1",
      [key, daysAgo(days).toISOString(), applied ? daysAgo(days).toISOString() : null],
    );
  };

  it("prunes runs, applied deliveries and the change log older than HISTORY_DAYS when the server starts", async () => {
    await run("booking-sync", "cli", 50, true);
    await run("booking-sync", "schedule", 40, true); // the newest successful booking sync: kept
    await run("booking-sync", "http", 35, false);
    await run("sheet-copy", "dashboard", 5, true);
    await delivery("old-applied", 40, true);
    await delivery("old-never-applied", 40, false); // still owed to the sheet: kept
    await delivery("last-week", 7, true);
    await delivery("today", 0, true);

    // The audit tables: changes follow their run; deliveries received and Cal.com's reports go by age.
    const runIds = await getDb().query<{ id: number; trigger: string }>("select id, trigger from sync_runs");
    const runOf = (trigger: string) => Number(runIds.find((run) => run.trigger === trigger)?.id);
    const change = (runId: number, days: number, reason: string) =>
      recordChanges(getDb(), runId, daysAgo(days), [
        {
          kind: "calcom",
          action: "cancel",
          bookingUid: reason,
          newBookingUid: null,
          to: null,
          row: 2,
          leadKey: null,
          leadName: "",
          source: "sheet-edit",
          sourceRef: null,
          reason,
        },
      ]);
    await change(runOf("cli"), 50, "of a pruned run");
    await change(runOf("schedule"), 40, "of the kept run");
    await change(runOf("dashboard"), 5, "of a recent run");
    for (const [days, signature] of [
      [40, "valid"],
      [2, "invalid"],
    ] as const) {
      await recordDelivery(getDb(), {
        receivedAt: daysAgo(days),
        trigger: null,
        bookingUid: null,
        signature,
        outcome: "rejected",
        eventId: null,
        detail: null,
      });
    }
    const news = (uid: string) => ({
      bookingUid: uid,
      calcomUid: uid,
      kind: "created" as const,
      status: "accepted" as const,
      start: null,
      rescheduledFromUid: null,
      source: "poll" as const,
      deliveryId: null,
    });
    await recordBookingNews(getDb(), null, daysAgo(40), [news("old")], { expectWebhook: true });
    await recordBookingNews(getDb(), null, daysAgo(1), [news("new")], { expectWebhook: true });

    system = await startSystem({ db: getDb(), rows: [], env: { HISTORY_DAYS: "30", PORT: "0" } });
    server = await startServer(system.runtime, LOOPBACK);

    expect((await recentRuns(getDb())).map((r) => `${r.kind} ${r.trigger}`)).toEqual([
      "sheet-copy dashboard",
      "booking-sync schedule",
    ]);
    const kept = await getDb().query<{ idempotency_key: string }>(
      "select idempotency_key from webhook_events order by idempotency_key",
    );
    expect(kept.map((row) => row.idempotency_key)).toEqual(["last-week", "old-never-applied", "today"]);

    const reasons = await getDb().query<{ reason: string }>("select reason from change_log order by id");
    expect(reasons.map((row) => row.reason)).toEqual(["of the kept run", "of a recent run"]);
    const deliveries = await getDb().query<{ signature: string }>("select signature from webhook_deliveries");
    expect(deliveries.map((row) => row.signature)).toEqual(["invalid"]);
    const reported = await getDb().query<{ booking_uid: string }>("select booking_uid from booking_news");
    expect(reported.map((row) => row.booking_uid)).toEqual(["new"]);

    const page = await (await pageClient(server.url).get("/dashboard/history")).text();
    expect(page).toContain("1 received in the last 24 hours, 1 pending");
  });
});
