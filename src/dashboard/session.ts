import { createHash, createHmac, randomBytes, scrypt, timingSafeEqual } from "node:crypto";

/** A dashboard visitor's session: anonymous until a login succeeds (its nonce also keys the CSRF token). */
export type Session = { nonce: string; authenticated: boolean; expiresAt: number };

export const SESSION_COOKIE = "calsync_session";
export const SESSION_LIFETIME_MS = 12 * 60 * 60_000;

export type SessionKeys = {
  issue(authenticated: boolean, now: number): { session: Session; cookie: string };
  /**
   * The session a cookie holds, or null when it is missing, forged, from another key, or expired. A logged-in
   * session must also still be on the server (see guard.ts): the signature alone cannot be ended early.
   */
  read(cookie: string | undefined, now: number): Session | null;
  /** The token every form of this session carries; it changes with the session (at login and logout). */
  csrfToken(session: Session): string;
  checkCsrf(session: Session, token: string | undefined): boolean;
  /** Constant-time comparison with DASHBOARD_PASSWORD. */
  passwordMatches(given: string): boolean;
  /** The key of the session's row on the server: a hash of its nonce, so the table holds no cookie. */
  serverId(session: Session): string;
  /**
   * A slow hash of DASHBOARD_PASSWORD, kept with each logged-in session on the server: once the password
   * changes, no session logged in with the old one matches any more.
   */
  passwordTag(): Promise<string>;
};

/**
 * Signs sessions with an HMAC key derived from the session secret alone (SESSION_SECRET, or the one calsync
 * generated and keeps in its database). Nothing else goes into the key: a cookie says nothing about
 * SYNC_SECRET or the password, and knowing one of those does not help forge a cookie or test guesses of the
 * other against one.
 */
export function createSessionKeys(options: { secret: string; password: string | undefined }): SessionKeys {
  const key = createHmac("sha256", options.secret).update("calsync dashboard session v2").digest();
  const mac = (purpose: string, text: string) =>
    createHmac("sha256", key).update(`${purpose}\0${text}`).digest();
  const sameBytes = (a: Buffer, b: Buffer) => a.length === b.length && timingSafeEqual(a, b);
  let passwordTag: Promise<string> | undefined;

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

    serverId: (session) => createHash("sha256").update(session.nonce).digest("hex"),

    passwordTag() {
      // scrypt, computed once per process: the tag sits in the database, and whoever reads it must pay
      // scrypt's cost for every password they try against it.
      passwordTag ??= new Promise((resolve, reject) => {
        scrypt(options.password ?? "", mac("password tag salt", ""), 32, (error, derived) =>
          error ? reject(error) : resolve(derived.toString("base64url")),
        );
      });
      return passwordTag;
    },
  };
}
