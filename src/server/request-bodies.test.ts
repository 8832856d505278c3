import { afterEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/support/db-harness.ts";
import { inDays, type System, startSystem } from "../../test/support/system.ts";
import { recentRuns } from "../db/run-history.ts";
import { createApp } from "./app.ts";

const LEADS = [["HOT", "Anna", "Smith", "07700 111111", "anna@example.com", "Acme", "", ""]];
const idle = { notify: () => undefined };

/** Item 5 of issue 14: the JSON routes that read a body cap it at 16 KB, before authentication. */
describeEachDatabase(
  "request bodies of the API routes",
  (getDb) => {
    let system: System;
    afterEach(async () => {
      await system?.close();
    });

    it("answers 413 to a body over 16 KB, with or without the bearer secret, and does nothing", async () => {
      system = await startSystem({ db: getDb(), rows: LEADS });
      const app = createApp(system.runtime, { webhooks: idle });
      const huge = JSON.stringify({
        leadKey: "tel:+447700111111",
        start: inDays(2).toISOString(),
        padding: "x".repeat(20 * 1024),
      });
      for (const path of [
        "/api/book-call",
        "/api/sheet-edited",
        "/api/sync-calcom-bookings",
        "/api/sync-sheets",
      ]) {
        for (const headers of [{}, { authorization: `Bearer ${system.env.SYNC_SECRET}` }]) {
          const response = await app.request(path, {
            method: "POST",
            headers: { "content-type": "application/json", ...headers },
            body: huge,
          });
          expect(response.status, path).toBe(413);
          expect(await response.json()).toEqual({
            success: false,
            message: "The request body is larger than 16 KB.",
          });
        }
      }
      expect(system.calcom.bookings()).toEqual([]);
      expect(await recentRuns(getDb())).toEqual([]);

      // A request of the usual size still goes through.
      const small = await app.request("/api/book-call", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${system.env.SYNC_SECRET}` },
        body: JSON.stringify({
          leadKey: "tel:+447700111111",
          start: inDays(2).toISOString(),
          eventTypeId: 3721996,
        }),
      });
      expect(small.status).toBe(201);
    });
  },
  { engines: ["sqlite"] },
);
