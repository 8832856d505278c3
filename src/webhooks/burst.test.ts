import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/support/db-harness.ts";
import { inDays } from "../../test/support/system.ts";
import { startWebhookSystem, type WebhookSystem } from "../../test/support/webhook-server.ts";
import { eventCounts } from "../db/webhook-events.ts";
import { SERVER_PACING } from "./event-worker.ts";

const KNOWN = 250;
const UNKNOWN = 250;
const leads = Array.from({ length: KNOWN }, (_, i) => [
  "WARM",
  `Lead${i}`,
  "Known",
  `07700 ${String(200_000 + i).padStart(6, "0")}`,
  `lead${i}@example.com`,
]);

describeEachDatabase(
  "a campaign burst of webhooks",
  (getDb) => {
    let system: WebhookSystem;
    beforeAll(async () => {
      // The worker's production pacing, not the fast test pacing.
      system = await startWebhookSystem({
        db: getDb(),
        rows: leads,
        worker: { ...SERVER_PACING, retryBaseMs: 1_000 },
      });
    });
    afterAll(async () => {
      await system.close();
    });

    it("applies 500 bookings made within 10 seconds, within the Sheets write quota, losing none", async () => {
      const first = inDays(3, 8).getTime();
      const books: Promise<unknown>[] = [];
      for (let i = 0; i < KNOWN + UNKNOWN; i++) {
        const attendee =
          i < KNOWN
            ? { name: `Lead${i} Known`, phone: `+447700${200_000 + i}`, email: `lead${i}@example.com` }
            : { name: `Walk In${i}`, phone: `+447711${300_000 + i}`, email: `walkin${i}@example.com` };
        books.push(system.calcom.book({ start: new Date(first + i * 15 * 60_000), attendee }));
        if (i % 50 === 49) await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      await Promise.all(books);
      await system.worker.idle();

      const grid = system.grid();
      const booked = grid.slice(1).filter((cells) => cells[0] === "CALL_BOOKED" && cells[7] !== "");
      expect(booked).toHaveLength(KNOWN + UNKNOWN);
      expect(grid).toHaveLength(1 + KNOWN + UNKNOWN);
      expect(await eventCounts(getDb())).toMatchObject({ received: KNOWN + UNKNOWN, pending: 0 });

      const sheetRequests = system.sheets.stats().requests;
      expect(sheetRequests.filter((r) => r.status === 429)).toEqual([]);
      // The whole burst fits in one minute of quota: at most 60 writes however many bookings.
      expect(sheetRequests.filter((r) => r.kind === "write").length).toBeLessThanOrEqual(60);
    });
  },
  { engines: ["sqlite"] },
);
