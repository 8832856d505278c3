import { tmpdir } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { CALSYNC_BIN, runNode } from "../../test/support/run-cli.ts";
import { type CalcomSandbox, startCalcomSandbox } from "../sandboxes/calcom/index.ts";

const SECRET = "whsec-cli-test-0123456789";
const URL_ = "https://calsync.example.com/api/webhooks/calcom";

const calsync = (args: string[], env: Record<string, string>) =>
  runNode([CALSYNC_BIN, ...args], env, tmpdir());

const sandboxes: CalcomSandbox[] = [];
afterEach(async () => {
  await Promise.all(sandboxes.splice(0).map((sandbox) => sandbox.close()));
});

async function sandbox() {
  const started = await startCalcomSandbox({ rateLimit: { limit: 1000, windowMs: 60_000 } });
  sandboxes.push(started);
  return started;
}

const envFor = (calcom: CalcomSandbox, extra: Record<string, string> = {}) => ({
  CALCOM_API_KEY: calcom.apiKey,
  CALCOM_API_URL: calcom.url,
  CALCOM_WEBHOOK_SECRET: SECRET,
  ...extra,
});

describe("calsync webhooks", () => {
  it("exits 2 naming CALCOM_API_KEY and CALCOM_WEBHOOK_SECRET, or a bad --url, before any request", async () => {
    const calcom = await sandbox();
    const [missing, insecure] = await Promise.all([
      calsync(["webhooks", "register", "--url", URL_, "--json"], { CALCOM_API_URL: calcom.url }),
      calsync(["webhooks", "register", "--url", "http://calsync.example.com"], envFor(calcom)),
    ]);

    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("configuration error");
    expect(missing.stderr).toContain("CALCOM_API_KEY: required");
    expect(missing.stderr).toContain("CALCOM_WEBHOOK_SECRET: required");
    expect(JSON.parse(missing.stdout)).toMatchObject({ success: false, error: { code: "CONFIG" } });

    expect(insecure.code).toBe(2);
    expect(insecure.stderr).toContain(
      "--url: expected an https:// URL (http:// only for localhost or 127.0.0.1)",
    );
    expect(calcom.requests()).toEqual([]);
  });

  it("creates the subscription from just the origin, saying it added the path; a second run updates it", async () => {
    const calcom = await sandbox();
    const first = await calsync(
      ["webhooks", "register", "--url", "https://calsync.example.com"],
      envFor(calcom),
    );
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(
      "Added /api/webhooks/calcom to https://calsync.example.com: calsync receives Cal.com webhooks there.",
    );
    expect(first.stdout).toContain(`Cal.com webhook for ${URL_}:`);
    expect(first.stdout).toMatch(/^ {2}created +user-level +id [0-9a-f-]{36}$/m);
    expect(first.stdout).toContain(
      "triggers: BOOKING_CREATED, BOOKING_RESCHEDULED, BOOKING_CANCELLED, BOOKING_REQUESTED, BOOKING_REJECTED",
    );
    expect(first.stdout).not.toContain(SECRET);
    expect(calcom.webhooks()).toMatchObject([{ subscriberUrl: URL_, secret: SECRET, active: true }]);

    // The secret was rotated: the same subscription gets the new one.
    const second = await calsync(
      ["webhooks", "register", "--url", URL_, "--json"],
      envFor(calcom, { CALCOM_WEBHOOK_SECRET: "rotated-secret" }),
    );
    expect(second.code, second.stderr).toBe(0);
    const result = JSON.parse(second.stdout);
    expect(result).toMatchObject({
      success: true,
      url: URL_,
      pathAppended: false,
      webhooks: [{ scope: { kind: "user" }, action: "updated", changed: ["secret"], active: true }],
      warnings: [],
    });
    expect(second.stdout).not.toContain("rotated-secret");
    expect(calcom.webhooks()).toMatchObject([{ subscriberUrl: URL_, secret: "rotated-secret" }]);
  });

  it("registers per event type of CALCOM_EVENT_TYPE_IDS, and lists it without showing the secret", async () => {
    const calcom = await sandbox();
    const env = envFor(calcom, { CALCOM_EVENT_TYPE_IDS: "3721996" });
    const registered = await calsync(["webhooks", "register", "--url", URL_], env);
    expect(registered.code, registered.stderr).toBe(0);
    expect(registered.stdout).toMatch(/^ {2}created +event type 3721996 +id [0-9a-f-]{36}$/m);
    expect(calcom.webhooks()).toMatchObject([{ eventTypeId: 3721996, subscriberUrl: URL_ }]);

    const [readable, json] = await Promise.all([
      calsync(["webhooks", "list"], env),
      calsync(["webhooks", "list", "--json"], env),
    ]);
    expect(readable.code, readable.stderr).toBe(0);
    expect(readable.stdout).toContain("User-level (every booking): no subscriptions");
    expect(readable.stdout).toContain(`Event type 3721996:\n  ${URL_}\n`);
    expect(readable.stdout).toContain("    status    active");
    expect(readable.stdout).toContain("    secret    set, same as CALCOM_WEBHOOK_SECRET");
    expect(readable.stdout).not.toContain(SECRET);

    expect(json.code).toBe(0);
    expect(json.stdout).not.toContain(SECRET);
    expect(JSON.parse(json.stdout)).toMatchObject({
      success: true,
      eventTypeIds: [3721996],
      webhooks: [
        {
          scope: { kind: "eventType", eventTypeId: 3721996 },
          subscriberUrl: URL_,
          active: true,
          hasSecret: true,
          secretMatches: true,
          missingTriggers: [],
        },
      ],
    });
  });

  it("exits 1 with Cal.com's reason when Cal.com fails or does not know the event type", async () => {
    const calcom = await sandbox();
    calcom.failNext({ status: 500, method: "POST" });
    const [failed, unknown] = await Promise.all([
      calsync(["webhooks", "register", "--url", URL_, "--json"], envFor(calcom)),
      calsync(["webhooks", "list"], envFor(calcom, { CALCOM_EVENT_TYPE_IDS: "99" })),
    ]);

    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(
      "calsync: Cal.com: POST /webhooks answered 500 Internal Server Error: Internal server error.",
    );
    expect(JSON.parse(failed.stdout)).toMatchObject({ success: false, error: { code: "UPSTREAM" } });

    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain(
      "event type 99 (CALCOM_EVENT_TYPE_IDS) is not one of the API key owner's",
    );
    expect(unknown.stderr).toContain("IsUserEventTypeWebhookGuard - Event type (99) not found");
    expect(calcom.webhooks()).toEqual([]);
  });
});
