import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { Runtime } from "../app/runtime.ts";
import { isSessionLive } from "../db/dashboard-sessions.ts";
import { type AccessMode, isLoopbackHost, isOpenDashboardHost } from "./access.ts";
import { SESSION_COOKIE, SESSION_LIFETIME_MS, type Session, type SessionKeys } from "./session.ts";
import { html } from "./views/html.ts";
import { plainPage } from "./views/layout.ts";

export type DashboardEnv = { Variables: { session: Session; csrf: string; mode: AccessMode } };

/** What the guard needs, fixed when the app is built; the demo's controls share it with the dashboard. */
export type DashboardAccess = {
  mode: AccessMode;
  /** The address the server listens on (an open dashboard answers only to it and loopback names). */
  listenHost: string | undefined;
  keys: SessionKeys;
};

/**
 * Every dashboard request passes here (the body limit has already run):
 * 1. without DASHBOARD_PASSWORD, unless everything is calsync's own sandboxes on this machine, refuse (503)
 *    saying to set it;
 * 2. on an open dashboard, refuse a request sent to a host name other than this machine's (DNS rebinding);
 * 3. find the visitor's signed session cookie (a logged-in one must still be on the server: not logged out,
 *    same password), or start an anonymous session (its nonce keys the CSRF token, so even the login form
 *    and the open demo's forms are protected);
 * 4. with a password, send anyone not logged in to the login page;
 * 5. on a POST, check that the request comes from this site (Origin/Sec-Fetch-Site), that its form can be
 *    read (400 otherwise, with a fixed message) and that it carries this session's CSRF token in `_csrf`.
 * It also stands in front of the pages outside the dashboard that share its session (the demo's controls).
 */
export function dashboardGuard(runtime: Runtime, access: DashboardAccess): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    const refused = await admit(c, runtime, access);
    if (refused) return refused;
    await next();
  };
}

/** The guard as a check: null when the request may go on (variables set), else the answer to send. */
export async function admit(c: Context, runtime: Runtime, access: DashboardAccess): Promise<Response | null> {
  const { mode, keys } = access;
  if (mode === "refused") {
    return c.html(
      plainPage(
        "Dashboard locked",
        html`<div class="card"><h1>Set DASHBOARD_PASSWORD to open the dashboard</h1>
<p>The dashboard shows leads' names, phones and emails and can book and cancel calls. Without a password it opens
only on calsync's own demo sandboxes, served on this machine alone (127.0.0.1).</p>
<p>Set <code>DASHBOARD_PASSWORD</code> (at least 12 characters) in the environment and restart calsync; the
dashboard will then ask for it. The API routes and webhooks work meanwhile.</p></div>`,
      ),
      503,
    );
  }
  if (mode === "open" && !isOpenDashboardHost(c.req.header("host"), access.listenHost)) {
    runtime.log.warn("refused a dashboard request for another host name", { host: c.req.header("host") });
    return c.html(
      errorPage("Wrong address", "This dashboard answers only at localhost (or 127.0.0.1) on this machine."),
      403,
    );
  }
  const now = runtime.ctx.clock().getTime();
  let session = keys.read(getCookie(c, SESSION_COOKIE), now);
  if (session?.authenticated && !(await isLive(runtime, keys, session, now))) session = null;
  if (!session) session = startSession(c, keys, false, now);
  c.set("session", session);
  c.set("csrf", keys.csrfToken(session));
  c.set("mode", mode);

  const isLogin = c.req.path === "/dashboard/login";
  if (mode === "password" && !session.authenticated && !isLogin) {
    if (c.req.method === "GET" || c.req.method === "HEAD") {
      const next = encodeURIComponent(c.req.path + (new URL(c.req.url).search ?? ""));
      return c.redirect(`/dashboard/login?next=${next}`, 303);
    }
    return c.html(errorPage("Log in first", "Your session has ended. Log in again and retry."), 401);
  }
  if (c.req.method === "POST") {
    if (!isSameSite(c)) return c.html(errorPage("Refused", "This form was sent from another site."), 403);
    const form = await readForm(c);
    if (!form) {
      return c.html(errorPage("The form could not be read", "Reload the page and send the form again."), 400);
    }
    const token = typeof form._csrf === "string" ? form._csrf : undefined;
    if (!keys.checkCsrf(session, token)) {
      return c.html(errorPage("The form has expired", "Reload the page and send the form again."), 403);
    }
  }
  return null;
}

/** A logged-in session counts while its row is on the server and was made with the current password. */
async function isLive(runtime: Runtime, keys: SessionKeys, session: Session, now: number): Promise<boolean> {
  return isSessionLive(runtime.db, {
    idHash: keys.serverId(session),
    passwordTag: await keys.passwordTag(),
    now: new Date(now),
  });
}

/**
 * The posted form, or null when it cannot be read (a broken multipart body, say): the parser's own words
 * are never shown. Hono keeps the parsed form, so the handlers' own `parseBody` reads the same one.
 */
export async function readForm(c: Context): Promise<Record<string, string | File> | null> {
  try {
    return await c.req.parseBody();
  } catch {
    return null;
  }
}

/** A new session cookie: at first visit (anonymous), at login (authenticated), at logout. */
export function startSession(c: Context, keys: SessionKeys, authenticated: boolean, now: number): Session {
  const issued = keys.issue(authenticated, now);
  setCookie(c, SESSION_COOKIE, issued.cookie, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: needsSecureCookie(c),
    maxAge: Math.floor(SESSION_LIFETIME_MS / 1000),
  });
  return issued.session;
}

/**
 * `Secure` whenever the page came over HTTPS, and always on a host other than this machine (a login cookie
 * must never travel in clear; the browser then keeps it only over HTTPS, which the login page says).
 */
export function needsSecureCookie(c: Context): boolean {
  return isHttps(c) || !isLoopbackHost(requestHostname(c));
}

export function isHttps(c: Context): boolean {
  const forwarded = c.req.header("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return forwarded === "https" || new URL(c.req.url).protocol === "https:";
}

function requestHostname(c: Context): string {
  const host = c.req.header("x-forwarded-host") ?? c.req.header("host") ?? new URL(c.req.url).host;
  try {
    return new URL(`http://${host.split(",")[0]?.trim()}`).hostname;
  } catch {
    return "";
  }
}

/**
 * Browsers send Origin with every form POST (and Sec-Fetch-Site): a host other than the one the request
 * was sent to means another site made the browser post. Hosts, not schemes, are compared, so a proxy that
 * ends TLS in front of calsync does not make every form look foreign. The CSRF token is the main defence.
 */
function isSameSite(c: Context): boolean {
  if (c.req.header("sec-fetch-site") === "cross-site") return false;
  const origin = c.req.header("origin");
  // No Origin: an older browser or a script; the CSRF token alone decides. "null": a sandboxed or opaque page.
  if (origin === undefined) return true;
  const host = c.req.header("x-forwarded-host") ?? c.req.header("host") ?? new URL(c.req.url).host;
  try {
    return new URL(origin).host.toLowerCase() === (host.split(",")[0] ?? "").trim().toLowerCase();
  } catch {
    return false;
  }
}

export function errorPage(title: string, message: string) {
  return plainPage(
    title,
    html`<div class="card"><h1>${title}</h1><p>${message}</p><p><a href="/dashboard">Back to the dashboard</a></p></div>`,
  );
}
