import { setTimeout as sleep } from "node:timers/promises";

const FIRST_DELAY_MS = 25;
/** Caps how late a waiter notices that the holder let go. */
const MAX_DELAY_MS = 1_000;

/**
 * Calls `attempt` until it returns something other than undefined, sleeping between tries with jittered
 * exponential backoff (so several waiters do not retry in lockstep). Tries once more at the deadline; returns
 * undefined if that failed too. timeoutMs 0 means a single try. `onWait` runs once, before the first sleep.
 */
export async function pollWithBackoff<T>(
  attempt: () => Promise<T | undefined>,
  options: { timeoutMs: number; onWait?: (() => void) | undefined },
): Promise<T | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  let delayMs = FIRST_DELAY_MS;
  let waiting = false;
  for (;;) {
    const result = await attempt();
    if (result !== undefined) return result;
    const remainingMs = deadline - Date.now();
    if (remainingMs <= 0) return undefined;
    if (!waiting) {
      waiting = true;
      options.onWait?.();
    }
    await sleep(Math.min(delayMs * (0.5 + Math.random() / 2), remainingMs));
    delayMs = Math.min(delayMs * 2, MAX_DELAY_MS);
  }
}
