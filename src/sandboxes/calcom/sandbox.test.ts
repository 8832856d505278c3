import { afterEach, describe, expect, it } from "vitest";
import { startWebhookReceiver } from "../../../test/support/webhook-receiver.ts";
import { verifyWebhookSignature } from "../../calcom/webhook-signature.ts";
import { type CalcomSandbox, type CalcomSandboxOptions, startCalcomSandbox } from "./index.ts";

const NOW = new Date("2025-11-05T12:00:00.000Z");
const hoursFromNow = (hours: number) => new Date(NOW.getTime() + hours * 3_600_000).toISOString();

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function sandboxWith(options: CalcomSandboxOptions = {}) {
  const sandbox = await startCalcomSandbox({ now: () => NOW, ...options });
  cleanups.push(() => sandbox.close());
  return sandbox;
}

async function receiver(status = 200) {
  const started = await startWebhookReceiver(status);
  cleanups.push(() => started.close());
  return started;
}

/** A raw API call, as a client would make it. */
async function call(
  sandbox: CalcomSandbox,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${sandbox.apiKey}`,
      "cal-api-version": "2024-08-13",
      ...(body !== undefined ? { "Content-Type": "application/json" } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await response.json()) as Record<string, unknown> & { data: Record<string, unknown> };
  return { status: response.status, headers: response.headers, json };
}

const uidsOf = (json: { data: unknown }) =>
  (json.data as { uid: string }[]).map((booking) => booking.uid).sort();

describe("GET /v2/bookings status words, as Cal.com reads them", () => {
  async function world() {
    const sandbox = await sandboxWith({ rescheduleStyle: "live" });
    const accepted = sandbox.addBooking({ start: hoursFromNow(24) }).uid;
    const pending = sandbox.addBooking({ start: hoursFromNow(25), status: "pending" }).uid;
    const past = sandbox.addBooking({ start: hoursFromNow(-24) }).uid;
    const cancelled = sandbox.addBooking({ start: hoursFromNow(26), status: "cancelled" }).uid;
    const rejected = sandbox.addBooking({ start: hoursFromNow(27), status: "rejected" }).uid;
    const recurring = sandbox.addBooking({ start: hoursFromNow(28), recurringEventId: "series-1" }).uid;
    const original = sandbox.addBooking({ start: hoursFromNow(29) }).uid;
    const moved = (await sandbox.reschedule(original, hoursFromNow(30))).uid;
    return { sandbox, accepted, pending, past, cancelled, rejected, recurring, original, moved };
  }

  it("upcoming: not over and not cancelled or rejected, pending and a live-style rescheduled original included", async () => {
    const w = await world();
    const { json } = await call(w.sandbox, "GET", "/bookings?status=upcoming");
    expect(uidsOf(json)).toEqual([w.accepted, w.pending, w.recurring, w.original, w.moved].sort());
  });

  it("unconfirmed, past, cancelled and recurring", async () => {
    const w = await world();
    expect(uidsOf((await call(w.sandbox, "GET", "/bookings?status=unconfirmed")).json)).toEqual([w.pending]);
    expect(uidsOf((await call(w.sandbox, "GET", "/bookings?status=past")).json)).toEqual([w.past]);
    expect(uidsOf((await call(w.sandbox, "GET", "/bookings?status=cancelled")).json)).toEqual(
      [w.cancelled, w.rejected].sort(),
    );
    expect(uidsOf((await call(w.sandbox, "GET", "/bookings?status=recurring")).json)).toEqual([w.recurring]);
  });

  it("several words are OR-ed, and no word means every booking", async () => {
    const w = await world();
    expect(uidsOf((await call(w.sandbox, "GET", "/bookings?status=past,cancelled")).json)).toEqual(
      [w.past, w.cancelled, w.rejected].sort(),
    );
    expect((await call(w.sandbox, "GET", "/bookings")).json.data).toHaveLength(8);
  });

  it("orders by start ascending unless told otherwise", async () => {
    const w = await world();
    const starts = (json: { data: unknown }) =>
      (json.data as { start: string }[]).map((booking) => booking.start);
    const ascending = starts((await call(w.sandbox, "GET", "/bookings")).json);
    expect(ascending).toEqual([...ascending].sort());
    expect(starts((await call(w.sandbox, "GET", "/bookings?sortStart=desc")).json)).toEqual(
      [...ascending].reverse(),
    );
  });
});

describe("GET /v2/bookings filters and pages", () => {
  it("filters by event type, start, end and update time", async () => {
    const sandbox = await sandboxWith({
      eventTypes: [
        { id: 1, slug: "one", title: "One", lengthInMinutes: 15 },
        { id: 2, slug: "two", title: "Two", lengthInMinutes: 15 },
      ],
    });
    const early = sandbox.addBooking({
      eventTypeId: 1,
      start: hoursFromNow(1),
      updatedAt: "2025-11-01T00:00:00Z",
    }).uid;
    const late = sandbox.addBooking({
      eventTypeId: 1,
      start: hoursFromNow(48),
      updatedAt: "2025-11-04T00:00:00Z",
    }).uid;
    const other = sandbox.addBooking({ eventTypeId: 2, start: hoursFromNow(2) }).uid;

    expect(uidsOf((await call(sandbox, "GET", "/bookings?eventTypeIds=1")).json)).toEqual(
      [early, late].sort(),
    );
    expect(uidsOf((await call(sandbox, "GET", "/bookings?eventTypeId=2")).json)).toEqual([other]);
    expect(uidsOf((await call(sandbox, "GET", `/bookings?afterStart=${hoursFromNow(24)}`)).json)).toEqual([
      late,
    ]);
    expect(uidsOf((await call(sandbox, "GET", `/bookings?beforeEnd=${hoursFromNow(3)}`)).json)).toEqual(
      [early, other].sort(),
    );
    const updatedSince = await call(
      sandbox,
      "GET",
      "/bookings?eventTypeIds=1&afterUpdatedAt=2025-11-02T00:00:00Z",
    );
    expect(uidsOf(updatedSince.json)).toEqual([late]);
  });

  it("describes pages as the API does, including an empty one", async () => {
    const sandbox = await sandboxWith();
    for (let i = 1; i <= 5; i++) sandbox.addBooking({ start: hoursFromNow(i) });
    expect((await call(sandbox, "GET", "/bookings?take=2&skip=2")).json.pagination).toEqual({
      returnedItems: 2,
      totalItems: 5,
      itemsPerPage: 2,
      remainingItems: 1,
      currentPage: 2,
      totalPages: 3,
      hasNextPage: true,
      hasPreviousPage: true,
    });
    expect((await call(sandbox, "GET", "/bookings?status=cancelled")).json.pagination).toMatchObject({
      totalItems: 0,
      currentPage: 0,
      totalPages: 0,
      hasNextPage: false,
    });
  });

  it("refuses malformed filters with the DTO's messages", async () => {
    const sandbox = await sandboxWith();
    const messages = async (query: string) =>
      JSON.stringify((await call(sandbox, "GET", `/bookings?${query}`)).json);
    expect(await messages("take=0")).toContain("take must not be less than 1");
    expect(await messages("skip=-1")).toContain("skip must not be less than 0");
    expect(await messages("afterStart=yesterday")).toContain("fromDate must be a valid ISO 8601 date.");
    expect(await messages("sortStart=up")).toContain('SortStart must be either \\"asc\\" or \\"desc\\".');
  });
});

describe("booking changes", () => {
  it("rescheduling, documented style: the old booking is cancelled and points at the new one", async () => {
    const sandbox = await sandboxWith({ rescheduleStyle: "documented" });
    const old = sandbox.addBooking({ start: hoursFromNow(24) });
    const { status, json } = await call(sandbox, "POST", `/bookings/${old.uid}/reschedule`, {
      start: hoursFromNow(48),
      reschedulingReason: "Clash",
    });
    expect(status).toBe(201);
    expect(json.data).toMatchObject({
      status: "accepted",
      rescheduledFromUid: old.uid,
      start: hoursFromNow(48),
    });
    expect(sandbox.booking(old.uid)).toMatchObject({ status: "cancelled", rescheduledToUid: json.data.uid });
  });

  it("rescheduling, live style: the old booking stays accepted but points at the new one", async () => {
    const sandbox = await sandboxWith({ rescheduleStyle: "live" });
    const old = sandbox.addBooking({ start: hoursFromNow(24) });
    const moved = await sandbox.reschedule(old.uid, hoursFromNow(48));
    expect(sandbox.booking(old.uid)).toMatchObject({ status: "accepted", rescheduledToUid: moved.uid });
  });

  it("refuses slots in the past or already taken, and unknown event types, in the API's words", async () => {
    const sandbox = await sandboxWith();
    const taken = sandbox.addBooking({ start: hoursFromNow(24) });
    const attendee = { name: "Ada", email: "ada@example.com", timeZone: "Europe/London" };
    const book = (start: string, eventTypeId = 3721996) =>
      call(sandbox, "POST", "/bookings", { start, eventTypeId, attendee });

    expect(await book(hoursFromNow(-1))).toMatchObject({
      status: 400,
      json: { error: { message: "Attempting to book a meeting in the past." } },
    });
    expect(await book(taken.start)).toMatchObject({
      status: 400,
      json: { error: { message: "User either already has booking at this time or is not available" } },
    });
    expect(await book(hoursFromNow(30), 999)).toMatchObject({
      status: 404,
      json: { error: { message: "Event type with id 999 not found." } },
    });
    expect((await book(hoursFromNow(30))).status).toBe(201);
  });

  it("lists every broken field of a create request", async () => {
    const sandbox = await sandboxWith();
    const { status, json } = await call(sandbox, "POST", "/bookings", {
      start: "soon",
      eventTypeId: 3721996,
      attendee: { email: "not-an-email", timeZone: "Mars/Olympus" },
    });
    expect(status).toBe(400);
    const text = JSON.stringify(json);
    for (const message of [
      "start must be a valid ISO 8601 date string",
      "name must be a string",
      "timeZone must be a valid IANA time zone",
      "email must be an email",
    ]) {
      expect(text).toContain(message);
    }
  });

  it("refuses to cancel twice, and a host cancelling without a reason", async () => {
    const sandbox = await sandboxWith();
    const booking = sandbox.addBooking({ start: hoursFromNow(24) });
    expect(await call(sandbox, "POST", `/bookings/${booking.uid}/cancel`, {})).toMatchObject({
      status: 400,
      json: { error: { message: "Cancellation reason is required when you are the host" } },
    });
    expect(
      (await call(sandbox, "POST", `/bookings/${booking.uid}/cancel`, { cancellationReason: "x" })).status,
    ).toBe(200);
    expect(
      await call(sandbox, "POST", `/bookings/${booking.uid}/cancel`, { cancellationReason: "x" }),
    ).toMatchObject({
      status: 400,
      json: { error: { message: "This booking has already been cancelled." } },
    });
  });

  it("moves updatedAt forward on every change, even when the clock stands still", async () => {
    const sandbox = await sandboxWith({
      eventTypes: [
        { id: 7, slug: "approval", title: "Approval", lengthInMinutes: 30, requiresConfirmation: true },
      ],
    });
    const booked = await sandbox.book({ start: hoursFromNow(24) });
    const confirmed = await sandbox.confirm(booked.uid);
    const cancelled = await sandbox.cancel(booked.uid);
    expect([booked.status, confirmed.status, cancelled.status]).toEqual(["pending", "accepted", "cancelled"]);
    const times = [booked.updatedAt, confirmed.updatedAt, cancelled.updatedAt].map((time) =>
      Date.parse(String(time)),
    );
    expect(times[1]).toBeGreaterThan(times[0] as number);
    expect(times[2]).toBeGreaterThan(times[1] as number);
  });
});

describe("access and failures", () => {
  it("answers 401 without credentials and with an unknown key, and 404 for an unknown route", async () => {
    const sandbox = await sandboxWith();
    expect(await call(sandbox, "GET", "/bookings", undefined, { Authorization: "" })).toMatchObject({
      status: 401,
      json: { error: { message: expect.stringContaining("No authentication method provided") } },
    });
    expect(
      (await call(sandbox, "GET", "/bookings", undefined, { Authorization: "Bearer cal_other" })).status,
    ).toBe(401);
    expect(await call(sandbox, "GET", "/nope")).toMatchObject({
      status: 404,
      json: { error: { message: "Cannot GET /v2/nope" } },
    });
  });

  it("throttles per key: over the limit is a 429 with the reset, other keys carry on", async () => {
    const sandbox = await sandboxWith({
      apiKeys: ["cal_a", "cal_b"],
      rateLimit: { limit: 2, windowMs: 60_000 },
    });
    const asKey = (key: string) =>
      call(sandbox, "GET", "/bookings", undefined, { Authorization: `Bearer ${key}` });
    expect((await asKey("cal_a")).headers.get("x-ratelimit-remaining")).toBe("1");
    await asKey("cal_a");
    const limited = await asKey("cal_a");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-ratelimit-remaining-default")).toBe("0");
    expect(limited.headers.get("x-ratelimit-reset-default")).toBe("60");
    expect((await asKey("cal_b")).status).toBe(200);
  });

  it("fails only the requests a fault names, as many times as asked", async () => {
    const sandbox = await sandboxWith();
    sandbox.failNext({ status: 502, path: "/webhooks", count: 2 });
    expect((await call(sandbox, "GET", "/bookings")).status).toBe(200);
    expect((await call(sandbox, "GET", "/webhooks")).json).toEqual({
      statusCode: 502,
      message: "Bad Gateway",
    });
    expect((await call(sandbox, "GET", "/webhooks")).status).toBe(502);
    expect((await call(sandbox, "GET", "/webhooks")).status).toBe(200);
  });

  it("drops connections while down, logs them unanswered, and answers again when up", async () => {
    const sandbox = await sandboxWith();
    sandbox.setDown(true);
    await expect(call(sandbox, "GET", "/bookings")).rejects.toThrow();
    sandbox.setDown(false);
    expect((await call(sandbox, "GET", "/bookings")).status).toBe(200);
    expect(sandbox.requests().map((request) => request.status)).toEqual([null, 200]);
    sandbox.resetRequests();
    expect(sandbox.requests()).toEqual([]);
  });
});

describe("webhook deliveries", () => {
  const allBookingTriggers = [
    "BOOKING_CREATED",
    "BOOKING_RESCHEDULED",
    "BOOKING_CANCELLED",
    "BOOKING_REQUESTED",
    "BOOKING_REJECTED",
  ];

  it("signs the exact body with the subscription's secret, or says no-secret-provided", async () => {
    const hook = await receiver();
    const sandbox = await sandboxWith();
    sandbox.addWebhook({ subscriberUrl: hook.url, triggers: ["BOOKING_CREATED"], secret: "abc" });
    sandbox.addWebhook({ subscriberUrl: hook.url, triggers: ["BOOKING_CREATED"] });
    await sandbox.book({ start: hoursFromNow(24) });
    const [signed, unsigned] = hook.received;
    expect(signed?.headers["content-type"]).toBe("application/json");
    expect(
      verifyWebhookSignature({
        rawBody: signed?.body ?? "",
        signature: signed?.headers["x-cal-signature-256"],
        secret: "abc",
      }).ok,
    ).toBe(true);
    expect(unsigned?.headers["x-cal-signature-256"]).toBe("no-secret-provided");
    expect(signed?.body).toBe(unsigned?.body);
  });

  it("delivers only to active subscriptions listening to the trigger, once, without retrying a failure", async () => {
    const failing = await receiver(500);
    const sandbox = await sandboxWith();
    sandbox.addWebhook({ subscriberUrl: failing.url, triggers: ["BOOKING_CANCELLED"] });
    sandbox.addWebhook({ subscriberUrl: failing.url, triggers: ["BOOKING_CREATED"], active: false });
    const booking = await sandbox.book({ start: hoursFromNow(24) });
    await sandbox.cancel(booking.uid);
    expect(failing.received).toHaveLength(1);
    expect(sandbox.deliveryLog().map((attempt) => [attempt.trigger, attempt.status])).toEqual([
      ["BOOKING_CANCELLED", 500],
    ]);
  });

  it("records an unreachable subscriber as a failed attempt", async () => {
    const gone = await startWebhookReceiver();
    await gone.close();
    const sandbox = await sandboxWith();
    sandbox.addWebhook({ subscriberUrl: gone.url, triggers: ["BOOKING_CREATED"] });
    await sandbox.book({ start: hoursFromNow(24) });
    expect(sandbox.deliveryLog()).toMatchObject([
      { status: null, error: expect.stringContaining("ECONNREFUSED") },
    ]);
  });

  it("in manual mode queues deliveries until told, then reorders, duplicates and drops them", async () => {
    const hook = await receiver();
    const sandbox = await sandboxWith({ webhookMode: "manual" });
    sandbox.addWebhook({ subscriberUrl: hook.url, triggers: allBookingTriggers });
    const first = await sandbox.book({ start: hoursFromNow(24) });
    const second = await sandbox.book({ start: hoursFromNow(25) });
    await sandbox.cancel(first.uid);
    expect(hook.received).toHaveLength(0);
    expect(sandbox.pendingDeliveries().map((delivery) => [delivery.trigger, delivery.bookingUid])).toEqual([
      ["BOOKING_CREATED", first.uid],
      ["BOOKING_CREATED", second.uid],
      ["BOOKING_CANCELLED", first.uid],
    ]);

    const attempts = await sandbox.deliver({ order: "reverse", duplicate: true, drop: [1] });

    const arrived = hook.received.map((delivery) => {
      const body = JSON.parse(delivery.body) as { triggerEvent: string; payload: { uid: string } };
      return [body.triggerEvent, body.payload.uid];
    });
    expect(arrived).toEqual([
      ["BOOKING_CANCELLED", first.uid],
      ["BOOKING_CANCELLED", first.uid],
      ["BOOKING_CREATED", first.uid],
      ["BOOKING_CREATED", first.uid],
    ]);
    expect(attempts.filter((attempt) => attempt.dropped).map((attempt) => attempt.bookingUid)).toEqual([
      second.uid,
      second.uid,
    ]);
    expect(sandbox.pendingDeliveries()).toEqual([]);
  });

  it.each([
    ["always", 4, 0],
    ["never", 0, 4],
  ] as const)("sends X-Cal-Webhook-Version %s", async (policy, withHeader, without) => {
    const hook = await receiver();
    const sandbox = await sandboxWith({ webhookVersionHeader: policy });
    sandbox.addWebhook({ subscriberUrl: hook.url, triggers: ["BOOKING_CREATED"] });
    for (let i = 0; i < 4; i++) await sandbox.book({ start: hoursFromNow(24 + i) });
    const versions = hook.received.map((delivery) => delivery.headers["x-cal-webhook-version"]);
    expect(versions.filter((version) => version === "2021-10-20")).toHaveLength(withHeader);
    expect(versions.filter((version) => version === undefined)).toHaveLength(without);
  });

  it("sends X-Cal-Webhook-Version only sometimes by default", async () => {
    const hook = await receiver();
    const sandbox = await sandboxWith({ seed: 3 });
    sandbox.addWebhook({ subscriberUrl: hook.url, triggers: ["BOOKING_CREATED"] });
    for (let i = 0; i < 16; i++) await sandbox.book({ start: hoursFromNow(24 + i) });
    const versions = new Set(
      hook.received.map((delivery) => delivery.headers["x-cal-webhook-version"] ?? "none"),
    );
    expect(versions).toEqual(new Set(["2021-10-20", "none"]));
  });

  it("fills a payload template, as JSON when the template is JSON", async () => {
    const hook = await receiver();
    const sandbox = await sandboxWith();
    sandbox.addWebhook({
      subscriberUrl: hook.url,
      triggers: ["BOOKING_CREATED"],
      payloadTemplate: '{"event":"{{triggerEvent}}","booker":"{{attendees.0.name}}","uid":"{{uid}}"}',
    });
    const booking = await sandbox.book({ start: hoursFromNow(24), attendee: { name: "Grace Hopper" } });
    expect(JSON.parse(hook.received[0]?.body ?? "")).toEqual({
      event: "BOOKING_CREATED",
      booker: "Grace Hopper",
      uid: booking.uid,
    });
    expect(hook.received[0]?.headers["content-type"]).toBe("application/json");
  });

  it("sends MEETING_ENDED flat, without a payload wrapper", async () => {
    const hook = await receiver();
    const sandbox = await sandboxWith();
    sandbox.addWebhook({ subscriberUrl: hook.url, triggers: ["MEETING_ENDED"] });
    const booking = sandbox.addBooking({ start: hoursFromNow(-1) });
    await sandbox.endMeeting(booking.uid);
    const body = JSON.parse(hook.received[0]?.body ?? "{}") as Record<string, unknown>;
    expect(body).toMatchObject({ triggerEvent: "MEETING_ENDED", uid: booking.uid, status: "ACCEPTED" });
    expect(body).not.toHaveProperty("payload");
    expect(body).toHaveProperty("user");
  });

  it("manages subscriptions through the API", async () => {
    const sandbox = await sandboxWith();
    const created = await call(sandbox, "POST", "/webhooks", {
      subscriberUrl: "https://example.com/hook",
      triggers: ["BOOKING_CREATED"],
      active: true,
      secret: "abc",
    });
    expect(created.status).toBe(201);
    const id = String(created.json.data.id);
    expect(sandbox.webhooks()).toMatchObject([{ id, secret: "abc", active: true }]);
    expect((await call(sandbox, "PATCH", `/webhooks/${id}`, { active: false })).json.data).toMatchObject({
      active: false,
    });
    expect(
      (await call(sandbox, "POST", "/webhooks", { subscriberUrl: "nope", triggers: ["SOMETHING"] })).status,
    ).toBe(400);
    expect((await call(sandbox, "DELETE", `/webhooks/${id}`)).status).toBe(200);
    expect((await call(sandbox, "GET", `/webhooks/${id}`)).status).toBe(404);
  });
});

describe("event-type webhooks", () => {
  const eventTypes = [
    { id: 11, slug: "intro", title: "Intro", lengthInMinutes: 15 },
    { id: 22, slug: "demo", title: "Demo", lengthInMinutes: 30 },
  ];
  const hook = { subscriberUrl: "https://example.com/hook", triggers: ["BOOKING_CREATED"], active: true };

  it("creates, reads, updates and deletes one event type's subscriptions, kept apart from the user's", async () => {
    const sandbox = await sandboxWith({ eventTypes });
    const created = await call(sandbox, "POST", "/event-types/11/webhooks", { ...hook, secret: "abc" });
    expect(created.status).toBe(201);
    const id = String(created.json.data.id);
    expect(created.json.data).toEqual({
      payloadTemplate: null,
      triggers: ["BOOKING_CREATED"],
      eventTypeId: 11,
      id,
      subscriberUrl: "https://example.com/hook",
      active: true,
      secret: "abc",
    });
    expect(created.json.data).not.toHaveProperty("userId");
    expect(sandbox.webhooks()).toMatchObject([{ id, eventTypeId: 11, userId: null }]);

    expect((await call(sandbox, "GET", "/event-types/11/webhooks")).json.data).toMatchObject([{ id }]);
    expect((await call(sandbox, "GET", "/event-types/22/webhooks")).json.data).toEqual([]);
    expect((await call(sandbox, "GET", "/webhooks")).json.data).toEqual([]);
    expect((await call(sandbox, "GET", `/event-types/11/webhooks/${id}`)).json.data).toMatchObject({ id });

    const patched = await call(sandbox, "PATCH", `/event-types/11/webhooks/${id}`, {
      active: false,
      triggers: ["BOOKING_CREATED", "BOOKING_CANCELLED"],
    });
    expect(patched.json.data).toMatchObject({
      active: false,
      triggers: ["BOOKING_CREATED", "BOOKING_CANCELLED"],
      secret: "abc",
    });
    expect((await call(sandbox, "DELETE", `/event-types/11/webhooks/${id}`)).json.data).toMatchObject({ id });
    expect((await call(sandbox, "GET", `/event-types/11/webhooks/${id}`)).status).toBe(404);
    expect(sandbox.webhooks()).toEqual([]);
  });

  it("answers an unknown event type with the guard's 404, before reading the body", async () => {
    const sandbox = await sandboxWith({ eventTypes });
    for (const [method, path] of [
      ["GET", "/event-types/99/webhooks"],
      ["POST", "/event-types/99/webhooks"],
      ["GET", "/event-types/99/webhooks/abc"],
      ["PATCH", "/event-types/99/webhooks/abc"],
    ] as const) {
      const answer = await call(sandbox, method, path, method === "GET" ? undefined : {});
      expect(answer.status, `${method} ${path}`).toBe(404);
      expect(answer.json).toMatchObject({
        status: "error",
        error: {
          code: "NotFoundException",
          message: "IsUserEventTypeWebhookGuard - Event type (99) not found",
        },
      });
    }
    expect((await call(sandbox, "GET", "/event-types/abc/webhooks")).status).toBe(400);
  });

  it("refuses a second subscription to the same URL for the same owner with 409, as Cal.com does", async () => {
    const sandbox = await sandboxWith({ eventTypes });
    expect((await call(sandbox, "POST", "/event-types/11/webhooks", hook)).status).toBe(201);
    const again = await call(sandbox, "POST", "/event-types/11/webhooks", hook);
    expect(again.status).toBe(409);
    expect(again.json.error).toMatchObject({
      code: "ConflictException",
      message: "Webhook with this subscriber url already exists for this event type",
    });
    expect((await call(sandbox, "POST", "/event-types/22/webhooks", hook)).status).toBe(201);
    expect((await call(sandbox, "POST", "/webhooks", hook)).status).toBe(201);
    const userAgain = await call(sandbox, "POST", "/webhooks", hook);
    expect(userAgain.status).toBe(409);
    expect(userAgain.json.error).toMatchObject({
      message: "Webhook with this subscriber url already exists for this user",
    });
    expect(sandbox.webhooks()).toHaveLength(3);
  });

  it("keeps each endpoint to its own subscriptions: 400 user-level, 403 another event type's or owner's", async () => {
    const sandbox = await sandboxWith({ eventTypes });
    const user = sandbox.addWebhook({
      subscriberUrl: "https://example.com/user",
      triggers: ["BOOKING_CREATED"],
    });
    const ofEleven = sandbox.addWebhook({ ...hook, eventTypeId: 11 });

    const userOnEventType = await call(sandbox, "GET", `/event-types/11/webhooks/${user.id}`);
    expect(userOnEventType.status).toBe(400);
    expect(userOnEventType.json.error).toMatchObject({
      message: `IsUserEventTypeWebhookGuard - Webhook (${user.id}) is not associated with an event type`,
    });
    const elevenOnTwentyTwo = await call(sandbox, "PATCH", `/event-types/22/webhooks/${ofEleven.id}`, {
      active: false,
    });
    expect(elevenOnTwentyTwo.status).toBe(403);
    expect((await call(sandbox, "GET", `/webhooks/${ofEleven.id}`)).status).toBe(403);
    expect((await call(sandbox, "DELETE", `/webhooks/${ofEleven.id}`)).status).toBe(403);
    expect(sandbox.webhooks().map((webhook) => webhook.active)).toEqual([true, true]);
  });

  it("deletes all of one event type's subscriptions, saying how many", async () => {
    const sandbox = await sandboxWith({ eventTypes });
    sandbox.addWebhook({ ...hook, eventTypeId: 11 });
    sandbox.addWebhook({ ...hook, subscriberUrl: "https://example.com/other", eventTypeId: 11 });
    sandbox.addWebhook({ ...hook, eventTypeId: 22 });
    const answer = await call(sandbox, "DELETE", "/event-types/11/webhooks");
    expect(answer.json).toEqual({ status: "success", data: "2 webhooks deleted" });
    expect(sandbox.webhooks().map((webhook) => webhook.eventTypeId)).toEqual([22]);
  });

  it("delivers to an event type's subscription only the bookings of that event type", async () => {
    const scoped = await receiver();
    const everything = await receiver();
    const sandbox = await sandboxWith({ eventTypes });
    sandbox.addWebhook({ subscriberUrl: scoped.url, triggers: ["BOOKING_CREATED"], eventTypeId: 22 });
    sandbox.addWebhook({ subscriberUrl: everything.url, triggers: ["BOOKING_CREATED"] });

    const intro = await sandbox.book({ start: hoursFromNow(24), eventTypeId: 11 });
    const demo = await sandbox.book({ start: hoursFromNow(25), eventTypeId: 22 });

    const uids = (received: { body: string }[]) =>
      received.map((delivery) => (JSON.parse(delivery.body) as { payload: { uid: string } }).payload.uid);
    expect(uids(scoped.received)).toEqual([demo.uid]);
    expect(uids(everything.received)).toEqual([intro.uid, demo.uid]);
  });

  it("delivers twice when a user-level and an event type's subscription share a URL, as Cal.com does", async () => {
    const hookReceiver = await receiver();
    const sandbox = await sandboxWith({ eventTypes });
    sandbox.addWebhook({ subscriberUrl: hookReceiver.url, triggers: ["BOOKING_CREATED"] });
    sandbox.addWebhook({ subscriberUrl: hookReceiver.url, triggers: ["BOOKING_CREATED"], eventTypeId: 11 });
    await sandbox.book({ start: hoursFromNow(24), eventTypeId: 11 });
    expect(hookReceiver.received).toHaveLength(2);
  });
});
