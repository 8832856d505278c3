import type { SandboxSet } from "../app/runtime.ts";

/**
 * Who may open the dashboard (and the demo's controls, which share its guard):
 * - `password`: DASHBOARD_PASSWORD is set, so a login is required;
 * - `open`: no password, every system is one of calsync's own sandboxes (started in this process by the
 *   demo or a test: the data is made up), and the server listens on this machine only;
 * - `refused`: anything else without a password: the pages would show real leads (names, phones, emails)
 *   and book real calls for anyone who reaches the server, so they answer 503 saying to set
 *   DASHBOARD_PASSWORD. The API routes and webhooks keep working.
 */
export type AccessMode = "open" | "password" | "refused";

export function accessMode(args: {
  password: string | undefined;
  sandboxes: SandboxSet;
  /** The address the server listens on; undefined when unknown (Vercel): never loopback then. */
  listenHost: string | undefined;
}): AccessMode {
  if (args.password) return "password";
  const { calcom, sheets, sanity } = args.sandboxes;
  const local = args.listenHost !== undefined && isLoopbackHost(args.listenHost);
  return calcom && sheets && sanity && local ? "open" : "refused";
}

/** `localhost`, `127.x.x.x` and `::1`: names that never leave the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The host name of a `Host` header (`[::1]:3000` → `::1`); "" when it is missing or not a host. */
export function hostnameOf(hostHeader: string | undefined): string {
  if (!hostHeader) return "";
  // A bare IPv6 address (a listen address such as ::1) has no port to strip.
  if (/^[0-9a-f:]+$/i.test(hostHeader) && hostHeader.includes("::")) return hostHeader.toLowerCase();
  try {
    return new URL(`http://${hostHeader.trim()}`).hostname.replace(/^\[|\]$/g, "").toLowerCase();
  } catch {
    return "";
  }
}

/**
 * Whether an open dashboard may answer a request sent to `hostHeader`. A web page on another site can make a
 * browser reach 127.0.0.1 through a name of its own that resolves there (DNS rebinding); the browser then
 * sends that name as Host. Only loopback names and the address the server was told to listen on pass. The
 * Host header alone decides: such a page can set X-Forwarded-Host, never Host.
 */
export function isOpenDashboardHost(hostHeader: string | undefined, listenHost: string | undefined): boolean {
  const host = hostnameOf(hostHeader);
  if (host === "") return false;
  return isLoopbackHost(host) || (listenHost !== undefined && host === hostnameOf(listenHost));
}
