import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** A dashboard visitor's session: anonymous until a login succeeds (its nonce also keys the CSRF token). */
export type Session = { nonce: string; authenticated: boolean; expiresAt: number };

export const SESSION_COOKIE = "calsync_session";
export const SESSION_LIFETIME_MS = 12 * 60 * 60_000;

export type SessionKeys = {
  issue(authenticated: boolean, now: number): { session: Session; cookie: string };
  /** The session a cookie holds, or null when it is missing, forged, from another key, or expired. */
  read(cookie: string | undefined, now: number): Session | null;
  /** The token every form of this session carries; it changes with the session (at login and logout). */
  csrfToken(session: Session): string;
  checkCsrf(session: Session, token: string | undefined): boolean;
  /** Constant-time comparison with DASHBOARD_PASSWORD. */
  passwordMatches(given: string): boolean;
};

/**
 * Signs sessions with an HMAC key derived from a server secret and the password. With SYNC_SECRET (or
 * CRON_SECRET) as the secret, sessions survive restarts and work across instances (Vercel); without one, a
 * random per-process secret is used and a restart logs everyone out. The password is part of the key, so
 * changing it ends every session.
 */
export function createSessionKeys(options: {
  password: string | undefined;
  secret: string | undefined;
}): SessionKeys {
  const secret = options.secret ?? randomBytes(32).toString("hex");
  const key = createHmac("sha256", secret)
    .update(`calsync dashboard session\0${options.password ?? ""}`)
    .digest();
  const mac = (purpose: string, text: string) =>
    createHmac("sha256", key).update(`${purpose}\0${text}`).digest();
  const sameBytes = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);

  return {
    issue(authenticated, now) {
      const session: Session = {
        nonce: randomBytes(18).toString("base64url"),
        authenticated,
        expiresAt: now + SESSION_LIFETIME_MS,
      };
      const payload = Buffer.from(
        JSON.stringify({ n: session.nonce, a: authenticated, e: session.expiresAt }),
      ).toString("base64url");
      return { session, cookie: `${payload}.${mac("session", payload).toString("base64url")}` };
    },

    read(cookie, now) {
      const [payload, signature, extra] = (cookie ?? "").split(".");
      if (!payload || !signature || extra !== undefined) return null;
      if (!sameBytes(Buffer.from(signature, "base64url"), mac("session", payload))) return null;
      try {
        const data = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as {
          n?: unknown;
          a?: unknown;
          e?: unknown;
        };
        if (typeof data.n !== "string" || typeof data.a !== "boolean" || typeof data.e !== "number")
          return null;
        if (data.e <= now) return null;
        return { nonce: data.n, authenticated: data.a, expiresAt: data.e };
      } catch {
        return null;
      }
    },

    csrfToken: (session) => mac("csrf", session.nonce).toString("base64url"),

    checkCsrf(session, token) {
      if (!token) return false;
      return sameBytes(Buffer.from(token, "base64url"), mac("csrf", session.nonce));
    },

    passwordMatches(given) {
      if (!options.password) return false;
      // Both sides through the HMAC first: equal lengths, so the comparison time says nothing about the password.
      return sameBytes(mac("password", given), mac("password", options.password));
    },
  };
}
