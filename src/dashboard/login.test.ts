import { createHmac } from "node:crypto";
import { afterEach, expect, it } from "vitest";
import { describeEachDatabase } from "../../test/support/db-harness.ts";
import { type PageClient, pageClient } from "../../test/support/page-client.ts";
import { ALL_SANDBOXES, LOOPBACK, type System, startSystem } from "../../test/support/system.ts";
import { createRuntime } from "../app/runtime.ts";
import { loadConfig } from "../config/config.ts";
import { ConfigError } from "../errors.ts";
import { type LocalServer, serveLocal } from "../http/serve-local.ts";
import { silentLogger } from "../log/logger.ts";
import { createApp } from "../server/app.ts";

const LEADS = [["HOT", "Anna", "Smith", "07700 111111", "anna@example.com", "Acme", "", ""]];
const PASSWORD = "correct horse battery staple";
const idle = { notify: () => undefined };

/**
 * Items 3 and 4 of issue 14: failed logins slow down only the address they came from, and sessions are
 * signed with their own secret, kept on the server, and ended by logging out or changing the password.
 */
describeEachDatabase(
  "logging in to the dashboard",
  (getDb) => {
    let system: System | undefined;
    const servers: LocalServer[] = [];
    let now = Date.now();
    afterEach(async () => {
      for (const server of servers.splice(0)) await server.close();
      await system?.close();
      system = undefined;
    });

    /** A calsync server on the sandboxes with DASHBOARD_PASSWORD, behind a proxy on this machine. */
    const serve = async (env: Record<string, string> = {}) => {
      system ??= await startSystem({
        db: getDb(),
        rows: LEADS,
        env: { DASHBOARD_PASSWORD: PASSWORD, ...env },
        clock: () => new Date(now),
      });
      const server = await serveLocal(createApp(system.runtime, { webhooks: idle }), 0, LOOPBACK);
      servers.push(server);
      return server.url;
    };
    /** A visitor at `address`, as the proxy in front of calsync reports it (X-Forwarded-For). */
    const visitor = (url: string, address: string) => {
      const client = pageClient(url);
      const as = { "x-forwarded-for": address };
      return {
        client,
        async login(password: string) {
          await client.get("/dashboard/login", as);
          return client.post("/dashboard/login", { _csrf: client.csrf(), password }, as);
        },
        get: (path: string) => client.get(path, as),
        post: (path: string, fields: Record<string, string>) => client.post(path, fields, as),
      };
    };

    it("slows down the address that guesses, never the right password from another one", async () => {
      const url = await serve();
      const attacker = visitor(url, "203.0.113.7");
      const statuses: number[] = [];
      const retryAfter: (string | null)[] = [];
      for (let guess = 0; guess < 12; guess++) {
        const answer = await attacker.login(`guess number ${guess}`);
        statuses.push(answer.status);
        retryAfter.push(answer.headers.get("retry-after"));
      }
      // Four free tries, a fifth that earns a one-second wait, then refused before the password is looked at.
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429, 429, 429]);
      expect(retryAfter.slice(4, 6)).toEqual(["1", "1"]);
      // Even the right password waits its turn from that address.
      expect((await attacker.login(PASSWORD)).status).toBe(429);

      const colleague = visitor(url, "198.51.100.20");
      const right = await colleague.login(PASSWORD);
      expect(right.status).toBe(303);
      expect((await colleague.get("/dashboard")).status).toBe(200);

      // Once the wait is over the attacker may try again; another failure doubles it.
      now += 1_000;
      const next = await attacker.login("guess number 12");
      expect(next.status).toBe(401);
      expect(next.headers.get("retry-after")).toBe("2");
      now += 2_000;
      expect((await attacker.login(PASSWORD)).status).toBe(303);
    });

    it("signs sessions with a secret of their own: SYNC_SECRET and the cookie tell nothing about the password", async () => {
      const url = await serve();
      const user = visitor(url, "198.51.100.20");
      expect((await user.login(PASSWORD)).status).toBe(303);
      const cookie = user.client.cookies.get("calsync_session") ?? "";
      const [payload = "", signature = ""] = cookie.split(".");

      // Someone holding SYNC_SECRET and this cookie tries passwords offline, as the old key derivation allowed.
      const syncSecret = system?.env.SYNC_SECRET ?? "";
      const signsWith = (password: string) => {
        const key = createHmac("sha256", syncSecret)
          .update(`calsync dashboard session\0${password}`)
          .digest();
        return createHmac("sha256", key).update(`session\0${payload}`).digest("base64url") === signature;
      };
      expect(["123456", "letmein", PASSWORD, "hunter2"].filter(signsWith)).toEqual([]);

      // Another SYNC_SECRET on the same database (a rotated bearer secret) does not end the session.
      const rotated = await createRuntime(
        loadConfig({ ...system?.env, DASHBOARD_PASSWORD: PASSWORD, SYNC_SECRET: "another-sync-secret" }),
        { db: getDb(), log: silentLogger, sandboxes: ALL_SANDBOXES },
      );
      const rotatedServer = await serveLocal(createApp(rotated, { webhooks: idle }), 0, LOOPBACK);
      servers.push(rotatedServer);
      const replay = pageClient(rotatedServer.url);
      replay.cookies.set("calsync_session", cookie);
      expect((await replay.get("/dashboard")).status).toBe(200);
    });

    it("ends a session on the server at logout: the old cookie, replayed, is a stranger's", async () => {
      const url = await serve();
      const user = visitor(url, "198.51.100.20");
      await user.login(PASSWORD);
      const before = user.client.cookies.get("calsync_session") ?? "";
      await user.get("/dashboard");
      expect((await user.post("/dashboard/logout", { _csrf: user.client.csrf() })).status).toBe(303);

      const thief = pageClient(url);
      thief.cookies.set("calsync_session", before);
      const page = await thief.get("/dashboard/leads?q=anna");
      expect(page.status).toBe(303);
      expect(page.headers.get("location")).toMatch(/^\/dashboard\/login/);
    });

    it("ends every session when DASHBOARD_PASSWORD changes", async () => {
      const url = await serve();
      const user = visitor(url, "198.51.100.20");
      await user.login(PASSWORD);
      const cookie = user.client.cookies.get("calsync_session") ?? "";

      // calsync restarted with a new password, on the same database (so with the same session secret).
      const restarted = await createRuntime(
        loadConfig({ ...system?.env, DASHBOARD_PASSWORD: "a brand new password" }),
        { db: getDb(), log: silentLogger, sandboxes: ALL_SANDBOXES },
      );
      const server = await serveLocal(createApp(restarted, { webhooks: idle }), 0, LOOPBACK);
      servers.push(server);
      const again: PageClient = pageClient(server.url);
      again.cookies.set("calsync_session", cookie);
      expect((await again.get("/dashboard")).status).toBe(303);
      // While a session made on the same server before the restart, with the same password, lives on.
      const same = await createRuntime(loadConfig({ ...system?.env, DASHBOARD_PASSWORD: PASSWORD }), {
        db: getDb(),
        log: silentLogger,
        sandboxes: ALL_SANDBOXES,
      });
      const sameServer = await serveLocal(createApp(same, { webhooks: idle }), 0, LOOPBACK);
      servers.push(sameServer);
      const kept = pageClient(sameServer.url);
      kept.cookies.set("calsync_session", cookie);
      expect((await kept.get("/dashboard")).status).toBe(200);
    });

    it("refuses a DASHBOARD_PASSWORD shorter than 12 characters, and a short SESSION_SECRET, naming them", () => {
      const problem = (env: Record<string, string>) => {
        try {
          loadConfig(env);
          return "";
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
          return (error as Error).message;
        }
      };
      expect(problem({ DASHBOARD_PASSWORD: "hunter2" })).toBe(
        "DASHBOARD_PASSWORD: must be at least 12 characters long",
      );
      expect(problem({ SESSION_SECRET: "short-secret" })).toMatch(
        /^SESSION_SECRET: must be at least 32 characters long/,
      );
      expect(problem({ DASHBOARD_PASSWORD: "twelve chars" })).toBe("");
    });
  },
  { engines: ["sqlite", "postgres"] },
);
