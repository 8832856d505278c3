/**
 * Who is calling: a bearer token from the accepted list, or a service account's self-signed JWT (what the
 * client sends when it has a key but must not call Google's token endpoint).
 * https://google.aip.dev/auth/4111 — self-signed JWTs carry `iss` and either `aud` or `scope`.
 * The signature cannot be checked without the account's public key, so only the JWT's shape, expiry and
 * scopes are; this is a sandbox, not a gate.
 */
import { insufficientScopes, invalidCredentials, missingCredentials } from "./api-errors.ts";
import type { RequestKind } from "./quota.ts";

const WRITE_SCOPES = [
  "https://www.googleapis.com/auth/spreadsheets",
  "https://www.googleapis.com/auth/drive",
  "https://www.googleapis.com/auth/drive.file",
];
const READ_SCOPES = [
  ...WRITE_SCOPES,
  "https://www.googleapis.com/auth/spreadsheets.readonly",
  "https://www.googleapis.com/auth/drive.readonly",
];

/** Returns the quota user the request is counted against, or throws Google's 401/403. */
export function authenticate(options: {
  authorization: string | undefined;
  acceptedTokens: ReadonlySet<string>;
  kind: RequestKind;
  nowMs: number;
}): string {
  const match = /^Bearer\s+(\S+)$/i.exec(options.authorization ?? "");
  const token = match?.[1];
  if (!token) throw missingCredentials();
  if (options.acceptedTokens.has(token)) return `token:${token}`;
  const claims = selfSignedClaims(token);
  if (!claims) throw invalidCredentials();
  if (claims.exp !== undefined && claims.exp * 1000 <= options.nowMs) throw invalidCredentials();
  if (claims.scope !== undefined) {
    const granted = claims.scope.split(/\s+/);
    const needed = options.kind === "write" ? WRITE_SCOPES : READ_SCOPES;
    if (!granted.some((scope) => needed.includes(scope))) throw insufficientScopes();
  }
  return `service-account:${claims.iss}`;
}

type Claims = { iss: string; aud?: string; scope?: string; exp?: number };

function selfSignedClaims(token: string): Claims | null {
  const segments = token.split(".");
  if (segments.length !== 3) return null;
  const [header, payload] = segments.slice(0, 2).map(decodeSegment);
  if (!header || typeof header.alg !== "string" || !payload) return null;
  const { iss, aud, scope, exp } = payload;
  if (typeof iss !== "string" || (typeof aud !== "string" && typeof scope !== "string")) return null;
  return {
    iss,
    ...(typeof aud === "string" ? { aud } : {}),
    ...(typeof scope === "string" ? { scope } : {}),
    ...(typeof exp === "number" ? { exp } : {}),
  };
}

function decodeSegment(segment: string | undefined): Record<string, unknown> | null {
  try {
    const json: unknown = JSON.parse(Buffer.from(segment ?? "", "base64url").toString("utf8"));
    return typeof json === "object" && json !== null ? (json as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
