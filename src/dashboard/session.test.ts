import { describe, expect, it } from "vitest";
import { accessMode, isOpenDashboardHost } from "./access.ts";
import { safeNext } from "./login-routes.ts";
import { loginDelayMs } from "./login-throttle.ts";
import { createSessionKeys, SESSION_LIFETIME_MS } from "./session.ts";

const NOW = 1_760_000_000_000;
const SECRET = "a-session-secret-of-32-characters-or-more";

describe("dashboard sessions", () => {
  const keys = createSessionKeys({ password: "correct horse battery", secret: SECRET });

  it("reads back its own cookie until it expires, and nothing forged or from another key", () => {
    const { session, cookie } = keys.issue(true, NOW);
    expect(keys.read(cookie, NOW + 1_000)).toEqual(session);
    expect(keys.read(cookie, NOW + SESSION_LIFETIME_MS)).toBeNull();
    const [payload] = cookie.split(".");
    const forged = `${Buffer.from(JSON.stringify({ n: session.nonce, a: true, e: NOW * 2 })).toString("base64url")}.${cookie.split(".")[1]}`;
    expect(keys.read(forged, NOW)).toBeNull();
    expect(keys.read(`${payload}.`, NOW)).toBeNull();
    expect(keys.read(undefined, NOW)).toBeNull();
    // Another session secret is another key.
    expect(
      createSessionKeys({ password: "correct horse battery", secret: `${SECRET}!` }).read(cookie, NOW),
    ).toBeNull();
  });

  it("ties the CSRF token to the session and checks the password", () => {
    const a = keys.issue(false, NOW).session;
    const b = keys.issue(false, NOW).session;
    expect(keys.checkCsrf(a, keys.csrfToken(a))).toBe(true);
    expect(keys.checkCsrf(a, keys.csrfToken(b))).toBe(false);
    expect(keys.checkCsrf(a, undefined)).toBe(false);
    expect(keys.passwordMatches("correct horse battery")).toBe(true);
    expect(keys.passwordMatches("CORRECT HORSE BATTERY")).toBe(false);
    expect(createSessionKeys({ password: undefined, secret: SECRET }).passwordMatches("")).toBe(false);
  });

  it("tags sessions with the password, so another password's sessions no longer match", async () => {
    const again = createSessionKeys({ password: "correct horse battery", secret: SECRET });
    const changed = createSessionKeys({ password: "a brand new password", secret: SECRET });
    expect(await again.passwordTag()).toBe(await keys.passwordTag());
    expect(await changed.passwordTag()).not.toBe(await keys.passwordTag());
    const { session } = keys.issue(true, NOW);
    expect(keys.serverId(session)).not.toContain(session.nonce);
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
  const sandboxes = { calcom: true, sheets: true, sanity: true };
  it("is open only on calsync's own sandboxes served on loopback; otherwise a password or nothing", () => {
    const open = { password: undefined, sandboxes, listenHost: "127.0.0.1" };
    expect(accessMode(open)).toBe("open");
    expect(accessMode({ ...open, password: "correct horse battery" })).toBe("password");
    // A self-hosted Cal.com on this machine is a real system, however local its URL.
    expect(accessMode({ ...open, sandboxes: { ...sandboxes, calcom: false } })).toBe("refused");
    expect(accessMode({ ...open, listenHost: "0.0.0.0" })).toBe("refused");
    expect(accessMode({ ...open, listenHost: undefined })).toBe("refused");
  });

  it("answers an open dashboard only at loopback names or the address it listens on", () => {
    expect(isOpenDashboardHost("localhost:3000", "127.0.0.1")).toBe(true);
    expect(isOpenDashboardHost("127.0.0.1:3000", "127.0.0.1")).toBe(true);
    expect(isOpenDashboardHost("[::1]:3000", "::1")).toBe(true);
    expect(isOpenDashboardHost("127.0.0.2:3000", "127.0.0.2")).toBe(true);
    expect(isOpenDashboardHost("rebind.evil.example:3000", "127.0.0.1")).toBe(false);
    expect(isOpenDashboardHost("localhost.evil.example", "127.0.0.1")).toBe(false);
    expect(isOpenDashboardHost(undefined, "127.0.0.1")).toBe(false);
  });
});

describe("login delays", () => {
  it("lets a few typos pass, then doubles the wait from 1 s up to 15 minutes", () => {
    expect([1, 2, 3, 4].map(loginDelayMs)).toEqual([0, 0, 0, 0]);
    expect([5, 6, 7, 8].map(loginDelayMs)).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(loginDelayMs(14)).toBe(512_000);
    expect(loginDelayMs(15)).toBe(900_000);
    expect(loginDelayMs(100)).toBe(900_000);
  });
});
