import { afterEach, describe, expect, it } from "vitest";
import { RateLimitedError, UpstreamError } from "../errors.ts";
import {
  type CalcomSandbox,
  type CalcomSandboxOptions,
  startCalcomSandbox,
} from "../sandboxes/calcom/index.ts";
import { createCalcomClient } from "./client.ts";

const NOW = new Date("2025-11-05T12:00:00.000Z");
const attendee = { name: "Ada Lovelace", email: "ada@example.com", timeZone: "Europe/London" };

const sandboxes: CalcomSandbox[] = [];
afterEach(async () => {
  await Promise.all(sandboxes.splice(0).map((sandbox) => sandbox.close()));
});

async function sandboxWith(options: CalcomSandboxOptions = {}) {
  const sandbox = await startCalcomSandbox({ now: () => NOW, ...options });
  sandboxes.push(sandbox);
  return sandbox;
}

/** A client that never really waits: it notes each wait and moves on. */
function clientFor(
  sandbox: CalcomSandbox,
  overrides: Parameters<typeof createCalcomClient>[0] | object = {},
) {
  const waits: number[] = [];
  const client = createCalcomClient({
    apiUrl: sandbox.url,
    apiKey: sandbox.apiKey,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0,
    ...overrides,
  });
  return { client, waits };
}

const requestsTo = (sandbox: CalcomSandbox, method: string, path: string) =>
  sandbox.requests().filter((request) => request.method === method && request.path === path);

describe("createCalcomClient: reading bookings", () => {
  it("follows every page, 250 at a time, until the API says there is no next page", async () => {
    const sandbox = await sandboxWith();
    for (let i = 0; i < 600; i++)
      sandbox.addBooking({ start: new Date(NOW.getTime() + (i + 1) * 3_600_000) });
    let counted = 0;
    const { client } = clientFor(sandbox, { onRequest: () => counted++ });

    const bookings = await client.listAllBookings({ status: ["upcoming"] });

    expect(bookings).toHaveLength(600);
    expect(new Set(bookings.map((booking) => booking.uid)).size).toBe(600);
    expect(requestsTo(sandbox, "GET", "/v2/bookings").map((request) => request.query)).toEqual([
      { status: "upcoming", take: "250", skip: "0" },
      { status: "upcoming", take: "250", skip: "250" },
      { status: "upcoming", take: "250", skip: "500" },
    ]);
    expect(counted).toBe(3);
  });

  it("sends the filters the way the API documents them: comma lists and ISO times", async () => {
    const sandbox = await sandboxWith();
    const { client } = clientFor(sandbox);
    await client.listBookings({
      status: ["upcoming", "unconfirmed"],
      eventTypeIds: [3721996, 42],
      afterStart: new Date("2025-11-01T00:00:00Z"),
      afterUpdatedAt: "2025-11-02T00:00:00.000Z",
      sortStart: "desc",
      take: 10,
      skip: 5,
    });
    expect(sandbox.requests()[0]?.query).toEqual({
      status: "upcoming,unconfirmed",
      eventTypeIds: "3721996,42",
      afterStart: "2025-11-01T00:00:00.000Z",
      afterUpdatedAt: "2025-11-02T00:00:00.000Z",
      sortStart: "desc",
      take: "10",
      skip: "5",
    });
  });

  it("reports an answer in an unexpected shape instead of passing it on", async () => {
    const fakeFetch: typeof fetch = async () =>
      Response.json({ status: "success", data: [{ uid: 1 }], pagination: {} }, { status: 200 });
    const client = createCalcomClient({
      apiUrl: "https://api.cal.com/v2",
      apiKey: "cal_x",
      fetch: fakeFetch,
    });
    await expect(client.listBookings()).rejects.toThrow(/unexpected shape/);
  });
});

describe("createCalcomClient: rate limits", () => {
  it("waits as long as X-RateLimit-Reset-Default says, then carries on", async () => {
    let clock = NOW.getTime();
    const sandbox = await sandboxWith({
      now: () => new Date(clock),
      rateLimit: { limit: 2, windowMs: 30_000 },
    });
    // Only the -Default twin reaches the client, so the wait can only come from it.
    const onlyDefaultHeaders: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const headers = new Headers(response.headers);
      headers.delete("x-ratelimit-reset");
      return new Response(response.body, { status: response.status, headers });
    };
    const waits: number[] = [];
    const client = createCalcomClient({
      apiUrl: sandbox.url,
      apiKey: sandbox.apiKey,
      fetch: onlyDefaultHeaders,
      random: () => 0,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    });

    for (let i = 0; i < 3; i++) await client.listBookings();

    expect(waits).toEqual([30_000]);
    expect(requestsTo(sandbox, "GET", "/v2/bookings").map((request) => request.status)).toEqual([
      200, 200, 429, 200,
    ]);
  });

  it("gives up with RateLimitedError after maxRetries, saying when to try again", async () => {
    const sandbox = await sandboxWith({ rateLimit: { limit: 120, windowMs: 60_000 } });
    sandbox.failNext({ status: 429, count: 10 });
    const { client, waits } = clientFor(sandbox, { maxRetries: 2 });

    const failure = await client.listBookings().catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(RateLimitedError);
    expect((failure as RateLimitedError).retryAfterMs).toBe(60_000);
    expect(waits).toHaveLength(2);
    expect(sandbox.requests()).toHaveLength(3);
  });

  it("retries a POST answered 429, because Cal.com refused it before doing anything", async () => {
    const sandbox = await sandboxWith();
    sandbox.failNext({ status: 429, method: "POST", path: "/bookings" });
    const { client } = clientFor(sandbox);

    await client.createBooking({ start: "2025-11-10T10:00:00Z", eventTypeId: 3721996, attendee });

    expect(requestsTo(sandbox, "POST", "/v2/bookings").map((request) => request.status)).toEqual([429, 201]);
    expect(sandbox.bookings()).toHaveLength(1);
  });
});

describe("createCalcomClient: failures", () => {
  it("reports a refused API key as UpstreamError 401 with Cal.com's message and what to check", async () => {
    const sandbox = await sandboxWith();
    const { client } = clientFor(sandbox, { apiKey: "fake-key-revoked" });
    const failure = await client.listBookings().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UpstreamError);
    expect(failure).toMatchObject({ status: 401, system: "calcom" });
    expect((failure as Error).message).toContain("CustomThrottlerGuard - Invalid API Key");
    expect((failure as Error).message).toContain("CALCOM_API_KEY");
  });

  it("reports an unknown booking as UpstreamError 404 with Cal.com's message", async () => {
    const { client } = clientFor(await sandboxWith());
    await expect(client.getBooking("nope")).rejects.toThrow(
      "Booking with uid=nope was not found in the database",
    );
  });

  it("reports a refused booking with the reason Cal.com gave, not 'Bad Request Exception'", async () => {
    const { client } = clientFor(await sandboxWith());
    const failure = client.createBooking({ start: "next tuesday", eventTypeId: 3721996, attendee });
    await expect(failure).rejects.toThrow("start must be a valid ISO 8601 date string");
  });

  it("retries a GET answered 500 a couple of times, then succeeds", async () => {
    const sandbox = await sandboxWith();
    sandbox.failNext({ status: 500, count: 2 });
    const { client } = clientFor(sandbox);
    await expect(client.listBookings()).resolves.toMatchObject({ bookings: [] });
    expect(sandbox.requests().map((request) => request.status)).toEqual([500, 500, 200]);
  });

  it("gives up on a GET that keeps failing with UpstreamError carrying the status and message", async () => {
    const sandbox = await sandboxWith();
    sandbox.failNext({ status: 503, count: 10 });
    const { client } = clientFor(sandbox);
    const failure = await client.listBookings().catch((error: unknown) => error);
    expect(failure).toMatchObject({ status: 503 });
    expect((failure as Error).message).toContain("Service Unavailable");
    expect(sandbox.requests()).toHaveLength(3);
  });

  it("never repeats a POST answered 500: it may have taken effect", async () => {
    const sandbox = await sandboxWith();
    sandbox.failNext({ status: 500, method: "POST" });
    const { client } = clientFor(sandbox);
    const failure = client.createBooking({ start: "2025-11-10T10:00:00Z", eventTypeId: 3721996, attendee });
    await expect(failure).rejects.toThrow("Internal server error");
    expect(requestsTo(sandbox, "POST", "/v2/bookings")).toHaveLength(1);
  });

  it("never repeats a POST whose connection was reset", async () => {
    const sandbox = await sandboxWith();
    sandbox.setDown(true);
    const { client } = clientFor(sandbox);
    const failure = client.cancelBooking("abc", { cancellationReason: "x" });
    await expect(failure).rejects.toThrow(/could not reach/);
    expect(sandbox.requests()).toHaveLength(1);
  });

  it("gives up on an answer that never comes", async () => {
    const sandbox = await sandboxWith({ latencyMs: 5_000 });
    const { client } = clientFor(sandbox, { timeoutMs: 20 });
    await expect(client.listBookings()).rejects.toThrow(/GET \/bookings failed: .*timeout/);
  });

  it("reports a refused connection as UpstreamError without a status, after retrying the GET", async () => {
    const sandbox = await startCalcomSandbox();
    await sandbox.close();
    let attempts = 0;
    const { client } = clientFor(sandbox, { onRequest: () => attempts++ });
    const failure = await client.listBookings().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UpstreamError);
    expect(failure).toMatchObject({ status: undefined });
    expect((failure as Error).message).toMatch(/could not reach http:\/\/127\.0\.0\.1:\d+ \(.*ECONNREFUSED/);
    expect(attempts).toBe(3);
  });
});

describe("createCalcomClient: event-type webhooks", () => {
  const input = {
    subscriberUrl: "https://calsync.example.com/api/webhooks/calcom",
    triggers: ["BOOKING_CREATED", "BOOKING_CANCELLED"] as const,
    secret: "s3cret",
    active: true,
  };

  it("creates, lists, reads, updates and deletes under /event-types/{id}/webhooks, without cal-api-version", async () => {
    const sandbox = await sandboxWith();
    const versions: (string | null)[] = [];
    const { client } = clientFor(sandbox, {
      fetch: (url: string | URL | Request, init?: RequestInit) => {
        versions.push(new Headers(init?.headers).get("cal-api-version"));
        return fetch(url, init);
      },
    });

    const created = await client.createEventTypeWebhook(3721996, input);
    expect(created).toMatchObject({ eventTypeId: 3721996, active: true, secret: "s3cret" });
    expect(typeof created.id).toBe("string");
    expect((await client.listEventTypeWebhooks(3721996)).map((webhook) => webhook.id)).toEqual([created.id]);
    expect(await client.getEventTypeWebhook(3721996, created.id)).toMatchObject({ id: created.id });
    const updated = await client.updateEventTypeWebhook(3721996, created.id, { active: false });
    expect(updated).toMatchObject({ id: created.id, active: false, triggers: input.triggers });
    await client.deleteEventTypeWebhook(3721996, created.id);
    expect(await client.listEventTypeWebhooks(3721996)).toEqual([]);
    expect(await client.listWebhooks()).toEqual([]);

    expect(
      sandbox.requests().map((request) => `${request.method} ${request.path} ${request.status}`),
    ).toEqual([
      "POST /v2/event-types/3721996/webhooks 201",
      "GET /v2/event-types/3721996/webhooks 200",
      `GET /v2/event-types/3721996/webhooks/${created.id} 200`,
      `PATCH /v2/event-types/3721996/webhooks/${created.id} 200`,
      `DELETE /v2/event-types/3721996/webhooks/${created.id} 200`,
      "GET /v2/event-types/3721996/webhooks 200",
      "GET /v2/webhooks 200",
    ]);
    expect(versions.every((version) => version === null)).toBe(true);
  });

  it("reads every page of a long list, 250 at a time", async () => {
    const sandbox = await sandboxWith();
    for (let i = 0; i < 260; i++) {
      sandbox.addWebhook({
        subscriberUrl: `https://example.com/${i}`,
        triggers: ["BOOKING_CREATED"],
        eventTypeId: 3721996,
      });
    }
    const { client } = clientFor(sandbox);
    const all = await client.listEventTypeWebhooks(3721996);
    expect(new Set(all.map((webhook) => webhook.subscriberUrl)).size).toBe(260);
    expect(sandbox.requests().map((request) => request.query)).toEqual([
      { take: "250" },
      { take: "250", skip: "250" },
    ]);
  });

  it("reports an unknown event type as UpstreamError 404 with Cal.com's message", async () => {
    const { client } = clientFor(await sandboxWith());
    const failure = await client.listEventTypeWebhooks(99).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(UpstreamError);
    expect(failure).toMatchObject({ status: 404 });
    expect((failure as Error).message).toContain("IsUserEventTypeWebhookGuard - Event type (99) not found");
  });

  it("reports a second subscription to the same URL as UpstreamError 409", async () => {
    const { client } = clientFor(await sandboxWith());
    await client.createEventTypeWebhook(3721996, input);
    await expect(client.createEventTypeWebhook(3721996, input)).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining("already exists for this event type"),
    });
  });
});
