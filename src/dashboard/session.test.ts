import { describe, expect, it } from "vitest";
import { loadConfig } from "../config/config.ts";
import { accessMode } from "./access.ts";
import { safeNext } from "./login-routes.ts";
import { createSessionKeys, SESSION_LIFETIME_MS } from "./session.ts";

const NOW = 1_760_000_000_000;

describe("dashboard sessions", () => {
  const keys = createSessionKeys({ password: "pw", secret: "sync-secret" });

  it("reads back its own cookie until it expires, and nothing forged or from another key", () => {
    const { session, cookie } = keys.issue(true, NOW);
    expect(keys.read(cookie, NOW + 1_000)).toEqual(session);
    expect(keys.read(cookie, NOW + SESSION_LIFETIME_MS)).toBeNull();
    const [payload] = cookie.split(".");
    const forged = `${Buffer.from(JSON.stringify({ n: session.nonce, a: true, e: NOW * 2 })).toString("base64url")}.${cookie.split(".")[1]}`;
    expect(keys.read(forged, NOW)).toBeNull();
    expect(keys.read(`${payload}.`, NOW)).toBeNull();
    expect(keys.read(undefined, NOW)).toBeNull();
    // Another password (or secret) is another key: changing DASHBOARD_PASSWORD ends every session.
    expect(createSessionKeys({ password: "new", secret: "sync-secret" }).read(cookie, NOW)).toBeNull();
    expect(createSessionKeys({ password: "pw", secret: "sync-secret" }).read(cookie, NOW)).toEqual(session);
  });

  it("ties the CSRF token to the session and checks the password", () => {
    const a = keys.issue(false, NOW).session;
    const b = keys.issue(false, NOW).session;
    expect(keys.checkCsrf(a, keys.csrfToken(a))).toBe(true);
    expect(keys.checkCsrf(a, keys.csrfToken(b))).toBe(false);
    expect(keys.checkCsrf(a, undefined)).toBe(false);
    expect(keys.passwordMatches("pw")).toBe(true);
    expect(keys.passwordMatches("PW")).toBe(false);
    expect(createSessionKeys({ password: undefined, secret: undefined }).passwordMatches("")).toBe(false);
  });

  it("sends a login only back into the dashboard", () => {
    expect(safeNext("/dashboard/leads?q=anna")).toBe("/dashboard/leads?q=anna");
    for (const next of [
      "//evil.example",
      "https://evil.example",
      "/dashboardx",
      "/\\evil",
      "/dashboard/login",
      undefined,
    ]) {
      expect(safeNext(next)).toBe("/dashboard");
    }
  });
});

describe("who may open the dashboard", () => {
  const local = {
    CALCOM_API_URL: "http://127.0.0.1:4000/v2",
    GOOGLE_SHEETS_API_URL: "http://127.0.0.1:4001",
    SANITY_API_HOST: "http://localhost:4002",
  };
  it("is open on local sandboxes, needs a password when one is set, and refuses real accounts without one", () => {
    expect(accessMode(loadConfig(local))).toBe("open");
    expect(accessMode(loadConfig({ ...local, DASHBOARD_PASSWORD: "pw" }))).toBe("password");
    expect(accessMode(loadConfig({ ...local, SANITY_API_HOST: "https://api.sanity.io" }))).toBe("refused");
    expect(accessMode(loadConfig({ CALCOM_API_KEY: "cal_live_x" }))).toBe("refused");
  });
});
