import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError } from "../errors.ts";
import { loadConfig, requireSystems } from "./config.ts";

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split("\n");
    throw error;
  }
  return [];
}

describe("loadConfig", () => {
  it("applies the documented defaults to an empty environment", () => {
    const config = loadConfig({});
    expect(config.calcom.apiUrl).toBe("https://api.cal.com/v2");
    expect(config.calcom.eventTypeIds).toEqual([]);
    expect(config.sheets.apiUrl).toBe("https://sheets.googleapis.com");
    expect(config.sheets.isCustomApiUrl).toBe(false);
    expect(config.sanity.apiHost).toBe("https://api.sanity.io");
    expect(config.sanity.apiVersion).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(config.port).toBe(3000);
    expect(config.timeZone).toBe("Europe/London");
    expect(config.defaultPhoneRegion).toBe("GB");
    expect(config.headers).toMatchObject({
      status: "Contact_Status",
      booking: "call_booked",
      phone: "Phone",
      email: "Email",
      firstName: "First_Name",
      lastName: "Last_Name",
    });
    expect(config.statuses).toMatchObject({
      booked: "CALL_BOOKED",
      cancelled: "CALL_CANCELLED",
      protected: ["CUSTOMER", "DO_NOT_CONTACT"],
    });
    expect(config.database.url).toBeUndefined();
  });

  it("reads lists and numbers", () => {
    const config = loadConfig({
      CALCOM_EVENT_TYPE_IDS: " 3721996, 42 ",
      PROTECTED_STATUSES: "customer, do_not_contact ,VIP",
      PORT: "8080",
      GOOGLE_SHEETS_API_URL: "http://127.0.0.1:9999/",
    });
    expect(config.calcom.eventTypeIds).toEqual([3721996, 42]);
    expect(config.statuses.protected).toEqual(["CUSTOMER", "DO_NOT_CONTACT", "VIP"]);
    expect(config.port).toBe(8080);
    expect(config.sheets.apiUrl).toBe("http://127.0.0.1:9999");
    expect(config.sheets.isCustomApiUrl).toBe(true);
  });

  it("names the variable and what is wrong", () => {
    expect(problemsOf({ CALCOM_EVENT_TYPE_IDS: "abc" })).toEqual([
      'CALCOM_EVENT_TYPE_IDS: expected comma-separated integers, got "abc"',
    ]);
    expect(problemsOf({ TIMEZONE: "Europe/Londres" })).toEqual([
      'TIMEZONE: expected an IANA time zone such as Europe/London, got "Europe/Londres"',
    ]);
    expect(problemsOf({ DEFAULT_PHONE_REGION: "UK" })).toEqual([
      'DEFAULT_PHONE_REGION: expected a two-letter country code such as GB, got "UK"',
    ]);
    expect(problemsOf({ PORT: "eighty" })[0]).toMatch(/^PORT: expected an integer/);
    expect(problemsOf({ CALCOM_API_URL: "api.cal.com" })[0]).toMatch(
      /^CALCOM_API_URL: expected an http\(s\) URL/,
    );
    expect(problemsOf({ AUTO_ADD_UNKNOWN: "maybe" })[0]).toMatch(/^AUTO_ADD_UNKNOWN: expected true or false/);
    expect(problemsOf({ LOG_LEVEL: "loud" })[0]).toMatch(/^LOG_LEVEL: expected one of/);
  });

  it("reads WEBHOOK_SILENCE_HOURS, 6 by default, and refuses a silence of no hours", () => {
    expect(loadConfig({}).webhookSilenceHours).toBe(6);
    expect(loadConfig({ WEBHOOK_SILENCE_HOURS: "12" }).webhookSilenceHours).toBe(12);
    expect(problemsOf({ WEBHOOK_SILENCE_HOURS: "0" })).toEqual([
      'WEBHOOK_SILENCE_HOURS: expected an integer from 1 to 720, got "0"',
    ]);
  });

  it("reports every bad variable at once", () => {
    expect(
      problemsOf({ CALCOM_EVENT_TYPE_IDS: "1,x", PORT: "-1" }).map((line) => line.split(":")[0]),
    ).toEqual(["CALCOM_EVENT_TYPE_IDS", "PORT"]);
  });

  it("never echoes a database password", () => {
    const [problem] = problemsOf({ DATABASE_URL: "mysql://user:hunter2@db/x" });
    expect(problem).toMatch(/^DATABASE_URL:/);
    expect(problem).not.toContain("hunter2");
  });

  it("takes the service account key as JSON text or as a path to the file", () => {
    const key = { client_email: "calsync@project.iam.gserviceaccount.com", private_key: "KEY" };
    expect(loadConfig({ GOOGLE_SERVICE_ACCOUNT_JSON: JSON.stringify(key) }).sheets.serviceAccount).toEqual(
      key,
    );
    const path = join(mkdtempSync(join(tmpdir(), "calsync-")), "key.json");
    writeFileSync(path, JSON.stringify(key));
    expect(loadConfig({ GOOGLE_SERVICE_ACCOUNT_JSON: path }).sheets.serviceAccount).toEqual(key);
    expect(problemsOf({ GOOGLE_SERVICE_ACCOUNT_JSON: "/nope/key.json" })[0]).toMatch(
      /^GOOGLE_SERVICE_ACCOUNT_JSON: expected the key file's JSON text or a path to it/,
    );
    // A key pasted slightly wrong (here: without its opening brace) is still a key, and never echoed.
    // The PEM header is put together so that no file in the repository holds one (secret scanners flag it).
    const pemHeader = ["-----BEGIN", "PRIVATE KEY-----"].join(" ");
    const pasted = `"private_key": "${pemHeader}FAKE-KEY-BODY-not-a-real-key"}`;
    const [problem] = problemsOf({ GOOGLE_SERVICE_ACCOUNT_JSON: pasted });
    expect(problem).toMatch(/^GOOGLE_SERVICE_ACCOUNT_JSON: /);
    expect(problem).not.toContain("FAKE-KEY-BODY");
    expect(problemsOf({ GOOGLE_SERVICE_ACCOUNT_JSON: '{"client_email":1}' })[0]).toMatch(
      /client_email and private_key/,
    );
  });
});

describe("secrets in the configuration", () => {
  it("refuses a secret with a control character inside, naming the variable and never echoing it", () => {
    for (const variable of [
      "CALCOM_API_KEY",
      "CALCOM_WEBHOOK_SECRET",
      "GOOGLE_ACCESS_TOKEN",
      "SANITY_TOKEN",
      "SYNC_SECRET",
      "CRON_SECRET",
      "DASHBOARD_PASSWORD",
      "SESSION_SECRET",
      "DATABASE_URL",
    ]) {
      const value =
        variable === "DATABASE_URL"
          ? "postgres://calsync:leak-part-9f8e7d\tx@db.example.com/app"
          : "fake-test-key-0123456789\nleak-part-9f8e7d-and-more-for-length";
      const problems = problemsOf({ [variable]: value });
      expect(problems, variable).toEqual([
        `${variable}: contains a control character (a line break or tab inside the value?); set it again without it`,
      ]);
    }
    // A line break at either end (a file read with its newline) is only trimmed.
    expect(loadConfig({ CALCOM_API_KEY: "fake-test-key-0123456789\n" }).calcom.apiKey).toBe(
      "fake-test-key-0123456789",
    );
  });
});

describe("requireSystems", () => {
  it("names each missing credential a command needs", () => {
    const config = loadConfig({ CALCOM_API_KEY: "cal_x", SANITY_PROJECT_ID: "abc" });
    expect(() => requireSystems(config, ["calcom"])).not.toThrow();
    let message = "";
    try {
      requireSystems(config, ["calcom", "sheets", "sanity"]);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("GOOGLE_SHEETS_SPREADSHEET_ID: required");
    expect(message).toContain("GOOGLE_SERVICE_ACCOUNT_JSON: required");
    expect(message).toContain("SANITY_DATASET: required");
    expect(message).toContain("SANITY_TOKEN: required");
    expect(message).not.toContain("CALCOM_API_KEY");
    expect(message).not.toContain("SANITY_PROJECT_ID");
  });

  it("accepts a custom Sheets URL without Google credentials (the sandbox)", () => {
    const config = loadConfig({
      GOOGLE_SHEETS_SPREADSHEET_ID: "x",
      GOOGLE_SHEETS_API_URL: "http://127.0.0.1:1",
    });
    expect(() => requireSystems(config, ["sheets"])).not.toThrow();
  });
});
