import { realSleep } from "../http/backoff.ts";

export type RequestPacer = { wait(): Promise<void> };

/**
 * Keeps requests under `perSecond` in any sliding second, which also keeps them under it in every
 * calendar second (how Sanity's gateway counts its 25 mutation requests per second).
 */
export function createRequestPacer(options: {
  perSecond: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}): RequestPacer {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const sent: number[] = [];
  return {
    async wait() {
      for (;;) {
        const at = now();
        while (sent.length > 0 && (sent[0] as number) <= at - 1_000) sent.shift();
        if (sent.length < options.perSecond) {
          sent.push(at);
          return;
        }
        await sleep((sent[0] as number) + 1_000 - at + 1);
      }
    },
  };
}
