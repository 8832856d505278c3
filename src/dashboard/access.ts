import type { Config } from "../config/config.ts";

/**
 * Who may open the dashboard:
 * - `password`: DASHBOARD_PASSWORD is set, so a login is required;
 * - `open`: no password, and every system calsync talks to is a local sandbox (the demo, tests): the data
 *   is made up and reachable from this machine only;
 * - `refused`: no password, but calsync holds real credentials: the dashboard would show real leads to
 *   anyone who can reach the server, so it refuses, saying to set DASHBOARD_PASSWORD.
 */
export type AccessMode = "open" | "password" | "refused";

export function accessMode(config: Config): AccessMode {
  if (config.secrets.dashboardPassword) return "password";
  const urls = [config.calcom.apiUrl, config.sheets.apiUrl, config.sanity.apiHost];
  return urls.every(isLoopbackUrl) ? "open" : "refused";
}

export function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHost(new URL(url).hostname);
  } catch {
    return false;
  }
}

/** `localhost`, `127.x.x.x` and `::1`: names that never leave the machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}
