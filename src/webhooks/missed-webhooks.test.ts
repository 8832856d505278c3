import { afterEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/support/db-harness.ts";
import { pageClient } from "../../test/support/page-client.ts";
import { inDays, LOOPBACK, SYNC_SECRET } from "../../test/support/system.ts";
import { startWebhookSystem, type WebhookSystem } from "../../test/support/webhook-server.ts";
import { runDetails } from "../core/run-details.ts";
import { loadRun, runChanges } from "../db/change-log.ts";
import { createApp } from "../server/app.ts";
import { runBookingSync } from "../sync/run-booking-sync.ts";

const LEADS = [
  ["HOT", "Anna", "Smith", "07700 111111", "anna@example.com"],
  ["HOT", "Mark", "Greenall", "07700123456", "mark.greenall@example.com"],
  ["WARM", "Dev", "Patel", "07700 444444", "dev@example.com"],
];
const person = (i: number) => {
  const lead = LEADS[i] as string[];
  return { name: `${lead[1]} ${lead[2]}`, email: lead[4] as string };
};
const HOUR = 3_600_000;

/**
 * Issue 15's webhook deliveries and missed webhooks, against the Cal.com sandbox's real deliveries: each
 * delivery is listed; a change a poll finds that no delivery reported counts as missed; a silence of
 * WEBHOOK_SILENCE_HOURS while polls keep finding changes turns the webhooks' health degraded.
 */
describeEachDatabase("webhook deliveries and missed webhooks", (getDb) => {
  let system: WebhookSystem;
  let now = Date.now();
  const start = (env: Record<string, string> = {}) =>
    startWebhookSystem({
      db: getDb(),
      rows: LEADS,
      env,
      calcom: { webhookMode: "manual" },
      clock: () => new Date(now),
    });
  const poll = () => runBookingSync(system.runtime.ctx, { trigger: "schedule" });
  const health = async () => {
    const response = await createApp(system.runtime, { webhooks: { notify: () => undefined } }).request(
      "/api/health",
      { headers: { authorization: `Bearer ${SYNC_SECRET}` } },
    );
    return ((await response.json()) as { webhooks?: unknown }).webhooks;
  };
  afterEach(async () => {
    await system?.close();
  });

  it("counts a dropped webhook as missed once the poll finds it, and a delivered one not", async () => {
    now = Date.now();
    system = await start();
    await poll(); // the first read: everything in it is new to calsync, nothing is missed
    const annaBooking = await system.calcom.book({ start: inDays(2), attendee: person(0) });
    await system.calcom.deliver();
    await system.worker.idle();
    const markBooking = await system.calcom.book({ start: inDays(3), attendee: person(1) });
    await system.calcom.deliver({ drop: [0] });
    await system.worker.idle();
    expect(system.cell("A3")).toBe("HOT");
    expect(await health()).toEqual({ received24h: 1, missed24h: 0, status: "ok" });

    const found = await poll();
    expect(system.cell("A3")).toBe("CALL_BOOKED");
    expect(await health()).toEqual({ received24h: 1, missed24h: 1, status: "ok" });

    // The delivered booking's cells name its delivery; the missed one's, the poll that found it.
    const run = await loadRun(getDb(), found.runId as number);
    const details = runDetails(
      run as NonNullable<typeof run>,
      await runChanges(getDb(), found.runId as number),
      "",
    );
    expect(details.changes.map((change) => [change.lead, change.source])).toEqual([
      ["Mark Greenall", "poll"],
      ["Mark Greenall", "poll"],
    ]);
    const [delivery] = await getDb().query<{ id: number }>("select id from webhook_events");
    const firstRuns = await getDb().query<{ id: number }>(
      "select id from sync_runs where trigger = 'webhook' order by id",
    );
    const byWebhook = await runChanges(getDb(), Number(firstRuns[0]?.id));
    expect(byWebhook.filter((change) => change.kind === "cell").map((change) => change.reason)).toEqual([
      expect.stringMatching(
        new RegExp(`^Cal\\.com webhook delivery #${delivery?.id}: call booked .*${annaBooking.uid}`),
      ),
      expect.stringMatching(new RegExp(`^Cal\\.com webhook delivery #${delivery?.id}: call booked`)),
    ]);

    // The deliveries page lists the one that arrived; the lead's page says no webhook reported Mark's.
    const browser = pageClient(
      createApp(system.runtime, { webhooks: { notify: () => undefined }, listenHost: LOOPBACK }),
    );
    const page = await (await browser.get("/dashboard/webhooks")).text();
    expect(page).toContain("1 received and 1 missed in the last 24 hours");
    expect(page).toContain(annaBooking.uid);
    expect(page).not.toContain(markBooking.uid);
  });

  it("turns degraded when polls keep finding changes while no delivery has arrived for WEBHOOK_SILENCE_HOURS", async () => {
    now = Date.now() - 10 * HOUR;
    system = await start();
    await poll();
    await system.calcom.book({ start: inDays(2), attendee: person(0) });
    await system.calcom.deliver();
    await system.worker.idle();
    expect(await health()).toEqual({ received24h: 1, missed24h: 0, status: "ok" });

    // An hour later a delivery goes missing: missed, but the last delivery is recent.
    now += HOUR;
    await system.calcom.book({ start: inDays(3), attendee: person(1) });
    await system.calcom.deliver({ drop: [0] });
    await poll();
    expect(await health()).toEqual({ received24h: 1, missed24h: 1, status: "ok" });

    // Seven hours after the last delivery, a poll finds another change no delivery reported.
    now += 6 * HOUR;
    await system.calcom.book({ start: inDays(4), attendee: person(2) });
    await system.calcom.deliver({ drop: [0] });
    await poll();
    expect(await health()).toEqual({ received24h: 1, missed24h: 2, status: "degraded" });

    const browser = pageClient(
      createApp(system.runtime, { webhooks: { notify: () => undefined }, listenHost: LOOPBACK }),
    );
    const overview = await (await browser.get("/dashboard")).text();
    expect(overview).toContain("Cal.com webhooks seem to have stopped.");
    expect(overview).toContain("calsync webhooks register --url");
    const history = await (await browser.get("/dashboard/history")).text();
    expect(history).toMatch(/degraded<\/span> 1 received and 2 missed in the last 24 hours/);

    // A delivery arrives: the subscription is alive again.
    const cancelled = system.calcom.bookings().find((b) => b.attendees[0]?.email === person(2).email);
    await system.calcom.cancel(cancelled?.uid as string, "changed plans");
    await system.calcom.deliver();
    await system.worker.idle();
    expect(await health()).toMatchObject({ received24h: 2, status: "ok" });
    expect(await (await browser.get("/dashboard")).text()).not.toContain("webhooks seem to have stopped");
  });

  it("is off without CALCOM_WEBHOOK_SECRET, and the health answer shows the webhooks only with the secret", async () => {
    now = Date.now();
    system = await start({ CALCOM_WEBHOOK_SECRET: "" });
    expect(await health()).toEqual({ received24h: 0, missed24h: 0, status: "off" });
    const anonymous = await createApp(system.runtime, { webhooks: { notify: () => undefined } }).request(
      "/api/health",
    );
    expect(await anonymous.json()).not.toHaveProperty("webhooks");
  });

  it("lists each delivery with its signature, storage, application and latency, and replays a stored one", async () => {
    now = Date.now();
    system = await start();
    const booking = await system.calcom.book({ start: inDays(2), attendee: person(1) });
    await system.calcom.deliver({ duplicate: true });
    await system.worker.idle();
    await fetch(system.webhookUrl, { method: "POST", body: "{}", headers: { "x-cal-signature-256": "f00" } });

    const browser = pageClient(
      createApp(system.runtime, { webhooks: { notify: () => undefined }, listenHost: LOOPBACK }),
    );
    const page = await (await browser.get("/dashboard/webhooks")).text();
    const rows = [...page.matchAll(/<tr data-delivery="\d+">([\s\S]*?)<\/tr>/g)].map((match) =>
      (match[1] as string)
        .replace(/<[^>]+>/g, " ")
        .replace(/\s+/g, " ")
        .trim(),
    );
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatch(
      /— — invalid — — — rejected \(401\): the signature does not match CALCOM_WEBHOOK_SECRET$/,
    );
    expect(rows[1]).toMatch(
      new RegExp(
        `BOOKING_CREATED ${booking.uid} valid duplicate of #\\d+ .* a repeat of stored delivery #\\d+$`,
      ),
    );
    expect(rows[2]).toMatch(
      new RegExp(`BOOKING_CREATED ${booking.uid} valid stored #\\d+ .* \\d+ ms applied Replay$`),
    );
    expect(system.cell("A3")).toBe("CALL_BOOKED");

    // Replaying the stored delivery applies it again: nothing changes, and the page says so.
    const id = /action="\/dashboard\/webhooks\/(\d+)\/replay"/.exec(page)?.[1];
    const replayed = await browser.post(`/dashboard/webhooks/${id}/replay`, { _csrf: browser.csrf() });
    expect(replayed.status).toBe(303);
    const after = await (await browser.get("/dashboard/webhooks")).text();
    expect(after).toContain(`Replayed delivery #${id}: Cal.com sync completed: nothing to change.`);
    expect(system.cell("A3")).toBe("CALL_BOOKED");
  });
});
