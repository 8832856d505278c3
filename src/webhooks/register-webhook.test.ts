import { afterEach, describe, expect, it } from "vitest";
import { startWebhookReceiver } from "../../test/support/webhook-receiver.ts";
import { createCalcomClient } from "../calcom/client.ts";
import { verifyWebhookSignature } from "../calcom/webhook-signature.ts";
import { UpstreamError } from "../errors.ts";
import {
  type CalcomSandbox,
  type CalcomSandboxOptions,
  startCalcomSandbox,
} from "../sandboxes/calcom/index.ts";
import { listWebhooks, REGISTERED_TRIGGERS, registerWebhook, resolveWebhookUrl } from "./register-webhook.ts";

const NOW = new Date("2025-11-05T12:00:00.000Z");
const URL_ = "https://calsync.example.com/api/webhooks/calcom";
const SECRET = "whsec-test-0123456789";
const EVENT_TYPES = [
  { id: 11, slug: "intro", title: "Intro", lengthInMinutes: 15 },
  { id: 22, slug: "demo", title: "Demo", lengthInMinutes: 30 },
  { id: 33, slug: "other", title: "Other", lengthInMinutes: 30 },
];

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function sandboxWith(options: CalcomSandboxOptions = {}) {
  const sandbox = await startCalcomSandbox({ now: () => NOW, eventTypes: EVENT_TYPES, ...options });
  cleanups.push(() => sandbox.close());
  const calcom = createCalcomClient({ apiUrl: sandbox.url, apiKey: sandbox.apiKey, sleep: async () => {} });
  return { sandbox, calcom };
}

const summary = (sandbox: CalcomSandbox) =>
  sandbox.webhooks().map(({ eventTypeId, subscriberUrl, triggers, active, secret, payloadTemplate }) => ({
    eventTypeId,
    subscriberUrl,
    triggers,
    active,
    secret,
    payloadTemplate,
  }));

describe("registerWebhook", () => {
  it("creates one user-level subscription for every booking trigger, with the secret, when no event types are configured", async () => {
    const { sandbox, calcom } = await sandboxWith();
    const result = await registerWebhook({ calcom, url: URL_, secret: SECRET, eventTypeIds: [] });

    expect(result.webhooks).toMatchObject([
      { scope: { kind: "user" }, action: "created", subscriberUrl: URL_, active: true },
    ]);
    expect(result.warnings).toEqual([]);
    expect(summary(sandbox)).toEqual([
      {
        eventTypeId: null,
        subscriberUrl: URL_,
        triggers: [
          "BOOKING_CREATED",
          "BOOKING_RESCHEDULED",
          "BOOKING_CANCELLED",
          "BOOKING_REQUESTED",
          "BOOKING_REJECTED",
        ],
        active: true,
        secret: SECRET,
        payloadTemplate: null,
      },
    ]);
  });

  it("registering again changes nothing, and puts right a subscription changed in Cal.com instead of adding one", async () => {
    const { sandbox, calcom } = await sandboxWith();
    const first = await registerWebhook({ calcom, url: URL_, secret: SECRET, eventTypeIds: [] });
    const again = await registerWebhook({ calcom, url: URL_, secret: SECRET, eventTypeIds: [] });
    expect(again.webhooks).toMatchObject([{ action: "unchanged", id: first.webhooks[0]?.id }]);
    expect(sandbox.requests().filter((request) => request.method !== "GET")).toHaveLength(1);

    // Someone switched it off in Cal.com, dropped a trigger and set a payload template.
    const id = first.webhooks[0]?.id ?? "";
    await calcom.updateWebhook(id, {
      active: false,
      triggers: ["BOOKING_CREATED"],
      payloadTemplate: '{"uid":"{{uid}}"}',
    });
    const rotated = await registerWebhook({ calcom, url: URL_, secret: "rotated-secret", eventTypeIds: [] });

    expect(rotated.webhooks).toMatchObject([{ action: "updated", id, active: true }]);
    expect(rotated.webhooks[0]?.changed.sort()).toEqual(["active", "payloadTemplate", "secret", "triggers"]);
    expect(summary(sandbox)).toMatchObject([
      { active: true, secret: "rotated-secret", triggers: [...REGISTERED_TRIGGERS], payloadTemplate: "" },
    ]);
  });

  it("with event types configured, creates one subscription per event type and none for the user", async () => {
    const { sandbox, calcom } = await sandboxWith();
    const result = await registerWebhook({ calcom, url: URL_, secret: SECRET, eventTypeIds: [11, 22] });

    expect(result.webhooks.map((webhook) => [webhook.scope, webhook.action])).toEqual([
      [{ kind: "eventType", eventTypeId: 11 }, "created"],
      [{ kind: "eventType", eventTypeId: 22 }, "created"],
    ]);
    expect(summary(sandbox).map((webhook) => [webhook.eventTypeId, webhook.secret, webhook.active])).toEqual([
      [11, SECRET, true],
      [22, SECRET, true],
    ]);

    // A third event type added to the configuration later: the other two are left as they are.
    const later = await registerWebhook({ calcom, url: URL_, secret: SECRET, eventTypeIds: [11, 22, 33] });
    expect(later.webhooks.map((webhook) => webhook.action)).toEqual(["unchanged", "unchanged", "created"]);
    expect(sandbox.webhooks()).toHaveLength(3);
  });

  it("leaves other subscriptions of the event type alone", async () => {
    const { sandbox, calcom } = await sandboxWith();
    sandbox.addWebhook({
      subscriberUrl: "https://zapier.example/hook",
      triggers: ["MEETING_ENDED"],
      eventTypeId: 11,
    });
    await registerWebhook({ calcom, url: URL_, secret: SECRET, eventTypeIds: [11] });
    expect(summary(sandbox).map((webhook) => [webhook.subscriberUrl, webhook.triggers.length])).toEqual([
      ["https://zapier.example/hook", 1],
      [URL_, 5],
    ]);
  });

  it("warns about what it leaves alone: duplicates, and a user-level subscription to the same URL", async () => {
    const { sandbox, calcom } = await sandboxWith();
    const user = sandbox.addWebhook({ subscriberUrl: URL_, triggers: ["BOOKING_CREATED"], secret: "old" });
    sandbox.addWebhook({ subscriberUrl: URL_, triggers: ["BOOKING_CREATED"], eventTypeId: 11 });
    const duplicate = sandbox.addWebhook({
      subscriberUrl: `${URL_}/`,
      triggers: ["BOOKING_CREATED"],
      eventTypeId: 11,
    });

    const result = await registerWebhook({ calcom, url: URL_, secret: SECRET, eventTypeIds: [11] });

    expect(result.webhooks).toMatchObject([{ action: "updated" }]);
    expect(result.warnings).toHaveLength(2);
    expect(result.warnings[0]).toContain(
      `event type 11 has 1 more subscription(s) to ${URL_} (${duplicate.id})`,
    );
    expect(result.warnings[1]).toContain(`A user-level subscription (${user.id}) also sends every booking`);
  });

  it("names the event type when Cal.com does not know it, and changes nothing", async () => {
    const { sandbox, calcom } = await sandboxWith();
    const failure = await registerWebhook({ calcom, url: URL_, secret: SECRET, eventTypeIds: [99] }).catch(
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(UpstreamError);
    expect(failure).toMatchObject({ status: 404 });
    expect((failure as Error).message).toContain("event type 99 (CALCOM_EVENT_TYPE_IDS)");
    expect((failure as Error).message).toContain("Event type (99) not found");
    expect(sandbox.webhooks()).toEqual([]);
  });

  it("after registering, a booking reaches the URL signed with the secret; other event types do not", async () => {
    const receiver = await startWebhookReceiver();
    cleanups.push(() => receiver.close());
    const { sandbox, calcom } = await sandboxWith();
    await registerWebhook({ calcom, url: receiver.url, secret: SECRET, eventTypeIds: [22] });

    await sandbox.book({ start: "2025-11-06T09:00:00Z", eventTypeId: 11 });
    const booking = await sandbox.book({ start: "2025-11-06T10:00:00Z", eventTypeId: 22 });
    await sandbox.cancel(booking.uid, "Changed plans");

    const deliveries = receiver.received.map((delivery) => ({
      body: JSON.parse(delivery.body) as { triggerEvent: string; payload: { uid: string } },
      signed: verifyWebhookSignature({
        rawBody: delivery.body,
        signature: delivery.headers["x-cal-signature-256"],
        secret: SECRET,
      }).ok,
    }));
    expect(deliveries.map((d) => [d.body.triggerEvent, d.body.payload.uid, d.signed])).toEqual([
      ["BOOKING_CREATED", booking.uid, true],
      ["BOOKING_CANCELLED", booking.uid, true],
    ]);
  });
});

describe("listWebhooks", () => {
  it("shows the user's and each configured event type's subscriptions, telling whether the secret matches but never showing it", async () => {
    const { sandbox, calcom } = await sandboxWith();
    await registerWebhook({ calcom, url: URL_, secret: SECRET, eventTypeIds: [11] });
    sandbox.addWebhook({ subscriberUrl: "https://zapier.example/hook", triggers: ["MEETING_ENDED"] });
    sandbox.addWebhook({
      subscriberUrl: "https://old.example.com/api/webhooks/calcom",
      triggers: ["BOOKING_CREATED"],
      secret: "stale",
      active: false,
      eventTypeId: 22,
    });

    const listing = await listWebhooks({ calcom, eventTypeIds: [11, 22], secret: SECRET });

    expect(JSON.stringify(listing)).not.toContain(SECRET);
    expect(JSON.stringify(listing)).not.toContain("stale");
    expect(listing.warnings).toEqual([]);
    expect(
      listing.scopes.map(({ scope, webhooks }) => [
        scope,
        webhooks.map((w) => [w.subscriberUrl, w.active, w.hasSecret, w.secretMatches, w.missingTriggers]),
      ]),
    ).toEqual([
      [{ kind: "user" }, [["https://zapier.example/hook", true, false, false, []]]],
      [{ kind: "eventType", eventTypeId: 11 }, [[URL_, true, true, true, []]]],
      [
        { kind: "eventType", eventTypeId: 22 },
        [
          [
            "https://old.example.com/api/webhooks/calcom",
            false,
            true,
            false,
            ["BOOKING_RESCHEDULED", "BOOKING_CANCELLED", "BOOKING_REQUESTED", "BOOKING_REJECTED"],
          ],
        ],
      ],
    ]);
  });

  it("warns when a user-level subscription also sends to an event type's calsync URL", async () => {
    const { sandbox, calcom } = await sandboxWith();
    await registerWebhook({ calcom, url: URL_, secret: SECRET, eventTypeIds: [11] });
    const user = sandbox.addWebhook({
      subscriberUrl: URL_,
      triggers: [...REGISTERED_TRIGGERS],
      secret: SECRET,
    });
    const listing = await listWebhooks({ calcom, eventTypeIds: [11], secret: SECRET });
    expect(listing.warnings).toEqual([
      expect.stringContaining(`A user-level subscription (${user.id}) also sends`),
    ]);
  });

  it("cannot compare secrets without one configured", async () => {
    const { calcom } = await sandboxWith();
    await registerWebhook({ calcom, url: URL_, secret: SECRET, eventTypeIds: [] });
    const listing = await listWebhooks({ calcom, eventTypeIds: [] });
    expect(listing.scopes.flatMap((scope) => scope.webhooks)).toMatchObject([
      { hasSecret: true, secretMatches: null, triggers: [...REGISTERED_TRIGGERS], isCalsyncUrl: true },
    ]);
  });
});

describe("resolveWebhookUrl", () => {
  it.each([
    ["https://calsync.example.com", URL_, true],
    ["https://calsync.example.com/", URL_, true],
    ["  https://CalSync.Example.com/api/webhooks/calcom/ ", URL_, false],
    [URL_, URL_, false],
    [
      "https://example.com/calsync/api/webhooks/calcom",
      "https://example.com/calsync/api/webhooks/calcom",
      false,
    ],
    [
      "https://calsync.vercel.app/?x-vercel-protection-bypass=abc",
      "https://calsync.vercel.app/api/webhooks/calcom?x-vercel-protection-bypass=abc",
      true,
    ],
    ["http://localhost:3000", "http://localhost:3000/api/webhooks/calcom", true],
    ["http://127.0.0.1:3000/api/webhooks/calcom", "http://127.0.0.1:3000/api/webhooks/calcom", false],
  ])("takes %s as %s", (input, url, pathAppended) => {
    expect(resolveWebhookUrl(input)).toMatchObject({ ok: true, value: { url, pathAppended } });
  });

  it("warns that Cal.com cannot reach localhost", () => {
    const resolved = resolveWebhookUrl("http://localhost:3000");
    expect(resolved.ok && resolved.value.warnings[0]).toContain("Cal.com's servers cannot reach it");
    expect(resolveWebhookUrl(URL_)).toMatchObject({ ok: true, value: { warnings: [] } });
  });

  it.each([
    ["", "required"],
    ["calsync.example.com", "expected an absolute URL"],
    ["/api/webhooks/calcom", "expected an absolute URL"],
    ["http://calsync.example.com", "expected an https:// URL"],
    ["ftp://calsync.example.com", "expected an https:// URL"],
    ["https://calsync.example.com/webhooks", "expected the path to end with /api/webhooks/calcom"],
    ["https://calsync.example.com/api/webhooks/calcom#x", "without a #fragment"],
  ])("refuses %j", (input, message) => {
    const resolved = resolveWebhookUrl(input);
    expect(resolved.ok).toBe(false);
    expect(resolved.ok ? "" : resolved.error).toContain(message);
  });
});
