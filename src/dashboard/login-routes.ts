import type { Context, Hono } from "hono";
import type { Runtime } from "../app/runtime.ts";
import { isLoopbackHost } from "./access.ts";
import { type DashboardEnv, isHttps, startSession } from "./guard.ts";
import type { SessionKeys } from "./session.ts";
import { loginPage } from "./views/login.ts";

/** Failed logins allowed per minute (per process) before every attempt is refused until the minute ends. */
const MAX_FAILURES_PER_MINUTE = 10;

/** Log in with DASHBOARD_PASSWORD, log out. The guard has already checked the login form's CSRF token. */
export function loginRoutes(app: Hono<DashboardEnv>, runtime: Runtime, keys: SessionKeys): void {
  const failures = { window: 0, count: 0 };
  const now = () => runtime.ctx.clock().getTime();

  app.get("/login", (c) => {
    const next = safeNext(c.req.query("next"));
    if (c.get("mode") !== "password" || c.get("session").authenticated) return c.redirect(next, 303);
    return c.html(loginPage({ csrf: c.get("csrf"), next, error: null, insecure: isInsecure(c) }));
  });

  app.post("/login", async (c) => {
    const form = await c.req.parseBody();
    const next = safeNext(typeof form.next === "string" ? form.next : undefined);
    if (c.get("mode") !== "password") return c.redirect(next, 303);
    const minute = Math.floor(now() / 60_000);
    if (failures.window !== minute) Object.assign(failures, { window: minute, count: 0 });
    if (failures.count >= MAX_FAILURES_PER_MINUTE) {
      const error = "Too many wrong passwords; wait a minute and try again.";
      return c.html(loginPage({ csrf: c.get("csrf"), next, error, insecure: isInsecure(c) }), 429);
    }
    const password = typeof form.password === "string" ? form.password : "";
    if (!keys.passwordMatches(password)) {
      failures.count++;
      runtime.log.warn("dashboard login refused: wrong password");
      const error = "That password is not right.";
      return c.html(loginPage({ csrf: c.get("csrf"), next, error, insecure: isInsecure(c) }), 401);
    }
    // A new session (new nonce, new CSRF token) at login, so a session planted before it is worth nothing.
    startSession(c, keys, c.get("mode"), true, now());
    return c.redirect(next, 303);
  });

  app.post("/logout", (c) => {
    startSession(c, keys, c.get("mode"), false, now());
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
