import type { Context, Hono } from "hono";
import type { Runtime } from "../app/runtime.ts";
import { endSession, recordSession } from "../db/dashboard-sessions.ts";
import type { ClientAddress } from "../http/client-address.ts";
import { isLoopbackHost } from "./access.ts";
import { type DashboardAccess, type DashboardEnv, isHttps, startSession } from "./guard.ts";
import type { LoginThrottle } from "./login-throttle.ts";
import { loginPage } from "./views/login.ts";

/**
 * Log in with DASHBOARD_PASSWORD, log out. The guard has already checked the login form's CSRF token.
 * Failed logins slow down the address they came from (login-throttle.ts), and only that address.
 */
export function loginRoutes(
  app: Hono<DashboardEnv>,
  runtime: Runtime,
  deps: { access: DashboardAccess; throttle: LoginThrottle; clientAddress: ClientAddress },
): void {
  const { keys } = deps.access;
  const now = () => runtime.ctx.clock().getTime();
  const page = (c: Context<DashboardEnv>, next: string, error: string | null) =>
    loginPage({ csrf: c.get("csrf"), next, error, insecure: isInsecure(c) });

  app.get("/login", (c) => {
    const next = safeNext(c.req.query("next"));
    if (c.get("mode") !== "password" || c.get("session").authenticated) return c.redirect(next, 303);
    return c.html(page(c, next, null));
  });

  app.post("/login", async (c) => {
    const form = await c.req.parseBody();
    const next = safeNext(typeof form.next === "string" ? form.next : undefined);
    if (c.get("mode") !== "password") return c.redirect(next, 303);
    const client = deps.clientAddress(c);
    const wait = deps.throttle.waitMs(client, now());
    if (wait > 0) {
      // Refused before the password is looked at: guessing faster than the delays allow learns nothing.
      const seconds = Math.ceil(wait / 1000);
      c.header("Retry-After", String(seconds));
      const error = `Too many wrong passwords from your address; try again in ${seconds} second(s).`;
      return c.html(page(c, next, error), 429);
    }
    const password = typeof form.password === "string" ? form.password : "";
    if (!keys.passwordMatches(password)) {
      const delay = deps.throttle.failed(client, now());
      runtime.log.warn("dashboard login refused: wrong password", { client, nextWaitMs: delay });
      if (delay > 0) c.header("Retry-After", String(Math.ceil(delay / 1000)));
      return c.html(page(c, next, "That password is not right."), 401);
    }
    deps.throttle.succeeded(client);
    // A new session (new nonce, new CSRF token) at login, so a session planted before it is worth nothing.
    const session = startSession(c, keys, true, now());
    await recordSession(runtime.db, {
      idHash: keys.serverId(session),
      passwordTag: await keys.passwordTag(),
      createdAt: new Date(now()),
      expiresAt: new Date(session.expiresAt),
    });
    return c.redirect(next, 303);
  });

  app.post("/logout", async (c) => {
    // Ended on the server too: the old cookie, replayed, is a stranger's.
    const session = c.get("session");
    if (session.authenticated) await endSession(runtime.db, keys.serverId(session));
    startSession(c, keys, false, now());
    return c.redirect(c.get("mode") === "password" ? "/dashboard/login" : "/dashboard", 303);
  });
}

/** Only a dashboard path may follow a login: never another site (`//evil.example`) or a scheme. */
export function safeNext(next: string | undefined): string {
  const local = /^\/dashboard(?:[/?#]|$)/.test(next ?? "") && !/[\\\s]/.test(next ?? "");
  if (!next || !local || next.startsWith("/dashboard/login")) return "/dashboard";
  return next;
}

function isInsecure(c: Context): boolean {
  const host = (c.req.header("host") ?? "").replace(/:\d+$/, "");
  return !isHttps(c) && !isLoopbackHost(host);
}
