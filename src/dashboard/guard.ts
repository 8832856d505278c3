import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Runtime } from "../app/runtime.ts";
import { type AccessMode, accessMode, isLoopbackHost } from "./access.ts";
import { SESSION_COOKIE, SESSION_LIFETIME_MS, type Session, type SessionKeys } from "./session.ts";
import { html } from "./views/html.ts";
import type { Flash } from "./views/layout.ts";
import { plainPage } from "./views/layout.ts";

export type DashboardEnv = { Variables: { session: Session; csrf: string; mode: AccessMode } };

const FLASH_COOKIE = "calsync_flash";

/**
 * Every dashboard request passes here:
 * 1. with real credentials and no DASHBOARD_PASSWORD, refuse (503) saying to set one;
 * 2. find the visitor's signed session cookie, or start an anonymous session (its nonce keys the CSRF token,
 *    so even the login form and the open demo's forms are protected);
 * 3. with a password, send anyone not logged in to the login page;
 * 4. on a POST, check that the request comes from this site (Origin/Sec-Fetch-Site) and carries this
 *    session's CSRF token in `_csrf`.
 */
export function dashboardGuard(runtime: Runtime, keys: SessionKeys): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    const refused = await admit(c, runtime, keys);
    if (refused) return withPageHeaders(refused);
    await next();
    withPageHeaders(c.res);
  };
}

/**
 * The same rules for pages outside the dashboard that share its session (the demo's controls): access
 * mode, login, and the CSRF token on every POST; the pages set their own headers.
 */
export function formGuard(runtime: Runtime, keys: SessionKeys): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    const refused = await admit(c, runtime, keys);
    if (refused) return refused;
    await next();
  };
}

/**
 * Pages hold lead data and forms: never framed by another site (clickjacking a "Book call"), never cached
 * by a shared proxy, and links out carry no dashboard URL.
 */
export function withPageHeaders(response: Response): Response {
  response.headers.set("X-Frame-Options", "DENY");
  response.headers.set(
    "Content-Security-Policy",
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
  );
  response.headers.set("Cache-Control", "no-store");
  response.headers.set("Referrer-Policy", "same-origin");
  response.headers.set("X-Content-Type-Options", "nosniff");
  return response;
}

/** The guard as a check: null when the request may go on (variables set), else the answer to send. */
export async function admit(c: Context, runtime: Runtime, keys: SessionKeys): Promise<Response | null> {
  const mode = accessMode(runtime.config);
  if (mode === "refused") {
    return c.html(
      plainPage(
        "Dashboard locked",
        html`<div class="card"><h1>Set DASHBOARD_PASSWORD to open the dashboard</h1>
<p>calsync is connected to real accounts, so the dashboard would show real leads to anyone who can reach this server.
Set <code>DASHBOARD_PASSWORD</code> in the environment and restart calsync; the dashboard will then ask for it.</p></div>`,
      ),
      503,
    );
  }
  const now = runtime.ctx.clock().getTime();
  let session = keys.read(getCookie(c, SESSION_COOKIE), now);
  if (!session) session = startSession(c, keys, mode, false, now);
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
    const form = await c.req.parseBody();
    const token = typeof form._csrf === "string" ? form._csrf : undefined;
    if (!keys.checkCsrf(session, token)) {
      return c.html(errorPage("The form has expired", "Reload the page and send the form again."), 403);
    }
  }
  return null;
}

/** A new session cookie: at first visit (anonymous), at login (authenticated), at logout. */
export function startSession(
  c: Context,
  keys: SessionKeys,
  mode: AccessMode,
  authenticated: boolean,
  now: number,
): Session {
  const issued = keys.issue(authenticated, now);
  setCookie(c, SESSION_COOKIE, issued.cookie, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: needsSecureCookie(c, mode),
    maxAge: Math.floor(SESSION_LIFETIME_MS / 1000),
  });
  return issued.session;
}

/**
 * `Secure` whenever the page came over HTTPS, and always for a password-protected dashboard on a host
 * other than this machine (a login cookie must never travel in clear). The open demo on plain http keeps
 * working from a phone on the same network.
 */
export function needsSecureCookie(c: Context, mode: AccessMode): boolean {
  return isHttps(c) || (mode === "password" && !isLoopbackHost(requestHostname(c)));
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

/** A message for the next page, kept in a short-lived cookie across the form's redirect. */
export function setFlash(c: Context, flash: Flash): void {
  setCookie(c, FLASH_COOKIE, Buffer.from(JSON.stringify(flash)).toString("base64url"), {
    path: "/dashboard",
    httpOnly: true,
    sameSite: "Lax",
    maxAge: 60,
  });
}

export function takeFlash(c: Context): Flash | null {
  const value = getCookie(c, FLASH_COOKIE);
  if (!value) return null;
  deleteCookie(c, FLASH_COOKIE, { path: "/dashboard" });
  try {
    const flash = JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as Partial<Flash>;
    if ((flash.kind === "ok" || flash.kind === "error") && typeof flash.text === "string") {
      return { kind: flash.kind, text: flash.text.slice(0, 500) };
    }
  } catch {
    // A cookie that is not ours: ignore it.
  }
  return null;
}

export function errorPage(title: string, message: string) {
  return plainPage(
    title,
    html`<div class="card"><h1>${title}</h1><p>${message}</p><p><a href="/dashboard">Back to the dashboard</a></p></div>`,
  );
}
