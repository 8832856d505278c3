import { createHmac } from "node:crypto";
import { afterEach, beforeEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/support/db-harness.ts";
import { inDays, WEBHOOK_SECRET } from "../../test/support/system.ts";
import { startWebhookSystem, type WebhookSystem } from "../../test/support/webhook-server.ts";
import { formatBookingTime } from "../core/booking-time.ts";
import { eventCounts } from "../db/webhook-events.ts";
import { runBookingSync } from "../sync/run-booking-sync.ts";

const LEADS = [
  ["HOT", "Anna", "Smith", "07700 111111", "anna@example.com"],
  ["HOT", "Mark", "Greenall", "07700123456", "mark.greenall@example.com"],
];
const mark = { name: "Mark Greenall", email: "mark.greenall@example.com", phone: "+447700123456" };
const london = (date: Date) => formatBookingTime(date, "Europe/London");
const sign = (body: string, secret = WEBHOOK_SECRET) =>
  createHmac("sha256", secret).update(body).digest("hex");

describeEachDatabase(
  "Cal.com webhooks",
  (getDb) => {
    let system: WebhookSystem;
    const post = (body: string, headers: Record<string, string> = {}) =>
      fetch(system.webhookUrl, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body,
      });
    const storedEvents = async () => (await eventCounts(getDb())).received;

    beforeEach(async () => {
      system = await startWebhookSystem({ db: getDb(), rows: LEADS });
    });
    afterEach(async () => {
      await system.close();
    });

    it("writes a booking to the lead's row and the dashboard as soon as Cal.com sends it", async () => {
      const start = inDays(2);
      await system.calcom.book({ start, attendee: mark });
      await system.worker.idle();
      expect(system.calcom.deliveryLog().map((d) => d.status)).toEqual([200]);
      expect(system.cell("A3")).toBe("CALL_BOOKED");
      expect(system.cell("H3")).toBe(london(start));
      expect(system.sanity.documents().find((d) => d._type === "dbrLead")).toMatchObject({
        callBooked: london(start),
      });
      // Cal.com was never asked: the delivery carried the news.
      expect(system.calcom.requests()).toEqual([]);
    });

    it("follows a reschedule and a cancellation delivered by webhook", async () => {
      const booking = await system.calcom.book({ start: inDays(2), attendee: mark });
      const moved = await system.calcom.reschedule(booking.uid, inDays(5, 14));
      await system.worker.idle();
      expect(system.cell("H3")).toBe(london(inDays(5, 14)));
      await system.calcom.cancel(moved.uid, "No longer needed");
      await system.worker.idle();
      expect(system.cell("A3")).toBe("CALL_CANCELLED");
      expect(system.cell("H3")).toBe("");
    });

    it.each([
      ["no signature", {}],
      ["Cal.com's no-secret-provided marker", { "x-cal-signature-256": "no-secret-provided" }],
      ["a signature made with another secret", { "x-cal-signature-256": "SIGN-WITH-OTHER" }],
    ] as [string, Record<string, string>][])(
      "answers 401 to a delivery with %s, and stores nothing",
      async (_what, headers) => {
        const body = JSON.stringify({
          triggerEvent: "BOOKING_CREATED",
          createdAt: new Date().toISOString(),
          payload: {},
        });
        const signed =
          headers["x-cal-signature-256"] === "SIGN-WITH-OTHER"
            ? { "x-cal-signature-256": sign(body, "other") }
            : headers;
        const response = await post(body, signed);
        expect(response.status).toBe(401);
        expect(await storedEvents()).toBe(0);
      },
    );

    it("answers 400 to a body that is not JSON or not a Cal.com payload, and stores nothing", async () => {
      for (const body of ["{not json", JSON.stringify({ hello: "world" }), JSON.stringify([1, 2])]) {
        const response = await post(body, { "x-cal-signature-256": sign(body) });
        expect(response.status, body).toBe(400);
      }
      const broken = JSON.stringify({ triggerEvent: "BOOKING_CREATED", createdAt: "x", payload: { uid: 1 } });
      expect((await post(broken, { "x-cal-signature-256": sign(broken) })).status).toBe(400);
      expect(await storedEvents()).toBe(0);
    });

    it("refuses an oversized body with 413 before reading it all, storing nothing", async () => {
      const body = JSON.stringify({
        triggerEvent: "BOOKING_CREATED",
        payload: { padding: "x".repeat(2 * 1024 * 1024) },
      });
      const response = await post(body, { "x-cal-signature-256": sign(body) });
      expect(response.status).toBe(413);
      expect(await storedEvents()).toBe(0);
    });

    it("answers PING with 200 and events it does not act on with 202, storing nothing", async () => {
      const ping = JSON.stringify({ triggerEvent: "PING", createdAt: new Date().toISOString(), payload: {} });
      expect((await post(ping, { "x-cal-signature-256": sign(ping) })).status).toBe(200);
      const booking = await system.calcom.book({ start: inDays(-0.5 + 1), attendee: mark });
      await system.worker.idle();
      system.calcom.addWebhook({
        subscriberUrl: system.webhookUrl,
        triggers: ["MEETING_ENDED"],
        secret: WEBHOOK_SECRET,
      });
      await system.calcom.endMeeting(booking.uid);
      const ended = system.calcom.deliveryLog().at(-1);
      expect(ended?.status).toBe(202);
      expect(await storedEvents()).toBe(1);
    });

    it("ignores (202) bookings of event types outside CALCOM_EVENT_TYPE_IDS", async () => {
      await system.close();
      system = await startWebhookSystem({ db: getDb(), rows: LEADS, env: { CALCOM_EVENT_TYPE_IDS: "999" } });
      await system.calcom.book({ start: inDays(2), attendee: mark });
      expect(system.calcom.deliveryLog().map((d) => d.status)).toEqual([202]);
      expect(await storedEvents()).toBe(0);
      expect(system.cell("A3")).toBe("HOT");
    });

    it("refuses every delivery with 503 until CALCOM_WEBHOOK_SECRET is set", async () => {
      await system.close();
      system = await startWebhookSystem({ db: getDb(), rows: LEADS, env: { CALCOM_WEBHOOK_SECRET: "" } });
      const body = JSON.stringify({ triggerEvent: "PING", createdAt: new Date().toISOString(), payload: {} });
      const response = await post(body, { "x-cal-signature-256": sign(body) });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({ error: expect.stringMatching(/CALCOM_WEBHOOK_SECRET/) });
    });

    it("changes nothing on a duplicate delivery", async () => {
      system.calcom.setWebhookMode("manual");
      await system.calcom.book({ start: inDays(2), attendee: mark });
      const attempts = await system.calcom.deliver({ duplicate: true });
      expect(attempts.map((a) => a.status)).toEqual([200, 200]);
      await system.worker.idle();
      expect(await storedEvents()).toBe(1);
      // One batch anchoring Mark's row and one write of his cells: nothing twice.
      expect(
        system.sheets
          .stats()
          .requests.filter((r) => r.kind === "write")
          .map((r) => r.path.split(":").pop()),
      ).toEqual(["batchUpdate", "batchUpdateByDataFilter"]);
      expect(system.cell("A3")).toBe("CALL_BOOKED");
    });

    it("ends cancelled when the cancellation arrives before the booking", async () => {
      system.calcom.setWebhookMode("manual");
      const booking = await system.calcom.book({ start: inDays(2), attendee: mark });
      await system.calcom.cancel(booking.uid, "Changed my mind");
      await system.calcom.deliver({ order: "reverse" });
      await system.worker.idle();
      expect(system.cell("A3")).toBe("CALL_CANCELLED");
      expect(system.cell("H3")).toBe("");
    });

    it("ends on the new time when a stale booking event arrives after its reschedule", async () => {
      system.calcom.setWebhookMode("manual");
      const booking = await system.calcom.book({ start: inDays(2), attendee: mark });
      await system.calcom.reschedule(booking.uid, inDays(3, 15));
      await system.calcom.deliver({ order: "reverse" });
      await system.worker.idle();
      expect(system.cell("H3")).toBe(london(inDays(3, 15)));
      expect(system.cell("A3")).toBe("CALL_BOOKED");
    });

    it("applies stored deliveries once Sheets is back after an outage", async () => {
      let sheetsDown = true;
      const stop = system.sheets.onRequest(() => {
        if (sheetsDown) system.sheets.failNext({ status: 503 });
      });
      await system.calcom.book({ start: inDays(2), attendee: mark });
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(system.cell("A3")).toBe("HOT");
      expect((await eventCounts(getDb())).pending).toBe(1);

      sheetsDown = false;
      stop();
      await system.worker.idle();
      expect(system.cell("A3")).toBe("CALL_BOOKED");
      expect((await eventCounts(getDb())).pending).toBe(0);
    });

    it("applies deliveries stored before a restart once the process is back", async () => {
      await system.worker.stop();
      await system.calcom.book({ start: inDays(2), attendee: mark });
      expect(system.calcom.deliveryLog().map((d) => d.status)).toEqual([200]);
      expect(system.cell("A3")).toBe("HOT");
      await system.restartWorker();
      await system.worker.idle();
      expect(system.cell("A3")).toBe("CALL_BOOKED");
    });

    it("catches a lost webhook on the next scheduled sync", async () => {
      system.calcom.setWebhookMode("manual");
      await system.calcom.book({ start: inDays(2), attendee: mark });
      await system.calcom.deliver({ drop: [0] });
      await system.worker.idle();
      expect(system.cell("A3")).toBe("HOT");
      await runBookingSync(system.runtime.ctx, { trigger: "schedule" });
      expect(system.cell("A3")).toBe("CALL_BOOKED");
    });
  },
  { engines: ["sqlite"] },
);
