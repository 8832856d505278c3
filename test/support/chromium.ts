import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium (`apt-get install -y chromium`): browser tests never download a browser. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

export const hasChromium = existsSync(CHROMIUM_PATH);

let announced = false;

/** Says once per test file why its browser tests did not run. */
export function announceChromiumMissing(): void {
  if (hasChromium || announced) return;
  announced = true;
  console.info(
    `browser tests skipped: no Chromium at ${CHROMIUM_PATH} (install it with: apt-get install -y chromium).`,
  );
}

/**
 * Headless Chromium with nothing that phones home. Playwright gives every launch a fresh temporary profile
 * of its own (and refuses a --user-data-dir argument), so no state leaks between runs.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-quic",
      "--no-first-run",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
