/**
 * Failed logins, counted per client address (see http/client-address.ts), each client slowed down by its own
 * failures only: someone guessing from one address never delays the right password typed from another.
 * Kept in memory, per process: a restart forgets, and on Vercel each instance counts for itself.
 */
export const LOGIN_THROTTLE = {
  /** Failures a client may make in a row before it has to wait: typos happen. */
  freeFailures: 4,
  /** The wait after the first failure past the free ones; it doubles with each further failure. */
  firstDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  /** A client's failures are forgotten this long after its last one. */
  forgetAfterMs: 24 * 60 * 60_000,
  /** Bounds the memory a flood of addresses can take; the longest-quiet client is forgotten first. */
  maxClients: 10_000,
} as const;

/** How long a client must wait before its next attempt, after `failures` failed logins in a row. */
export function loginDelayMs(failures: number): number {
  const past = failures - LOGIN_THROTTLE.freeFailures;
  if (past <= 0) return 0;
  return Math.min(LOGIN_THROTTLE.maxDelayMs, LOGIN_THROTTLE.firstDelayMs * 2 ** (past - 1));
}

export type LoginThrottle = {
  /** 0 when the client may try now; else how long it must still wait, in ms. */
  waitMs(client: string, now: number): number;
  /** Records a failed login; answers the wait the client now has. */
  failed(client: string, now: number): number;
  /** A login succeeded: the client's failures are forgotten. */
  succeeded(client: string): void;
};

export function createLoginThrottle(): LoginThrottle {
  const clients = new Map<string, { failures: number; lastFailureAt: number }>();
  const current = (client: string, now: number) => {
    const record = clients.get(client);
    if (record && now - record.lastFailureAt > LOGIN_THROTTLE.forgetAfterMs) {
      clients.delete(client);
      return undefined;
    }
    return record;
  };
  return {
    waitMs(client, now) {
      const record = current(client, now);
      if (!record) return 0;
      return Math.max(0, record.lastFailureAt + loginDelayMs(record.failures) - now);
    },
    failed(client, now) {
      const failures = (current(client, now)?.failures ?? 0) + 1;
      // Re-inserted, so the map's order is least recently failed first.
      clients.delete(client);
      clients.set(client, { failures, lastFailureAt: now });
      while (clients.size > LOGIN_THROTTLE.maxClients) {
        const oldest = clients.keys().next().value;
        if (oldest === undefined) break;
        clients.delete(oldest);
      }
      return loginDelayMs(failures);
    },
    succeeded(client) {
      clients.delete(client);
    },
  };
}
