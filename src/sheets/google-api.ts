/**
 * Builds the real `@googleapis/sheets` client from our configuration. The same client serves Google and
 * the local sandbox; only the base URL and the credentials differ.
 */
import { auth, sheets_v4 } from "@googleapis/sheets";
import type { ServiceAccountKey } from "../config/config.ts";
import { ConfigError } from "../errors.ts";

export const SPREADSHEETS_SCOPE = "https://www.googleapis.com/auth/spreadsheets";

/** The token the sandbox accepts by default, used when a custom URL is configured without credentials. */
export const SANDBOX_ACCESS_TOKEN = "sandbox-token";

export type SheetsHttpRequest = { method: string; url: string };

export type SheetsApiOptions = {
  /** Base URL without a trailing slash, e.g. `https://sheets.googleapis.com` (config.sheets.apiUrl). */
  apiUrl: string;
  /** True when GOOGLE_SHEETS_API_URL was set: then no Google host is contacted at all. */
  isCustomApiUrl: boolean;
  serviceAccount?: ServiceAccountKey | undefined;
  accessToken?: string | undefined;
  /** Called once for every HTTP request the client sends to the Sheets API (not for token exchanges). */
  onRequest?: ((request: SheetsHttpRequest) => void) | undefined;
};

/**
 * Which of Google's two per-minute quotas a request counts against. Reads are GETs and the POSTs that only
 * look (`values:batchGetByDataFilter`, `:getByDataFilter`, `developerMetadata:search`); anything else
 * changes the spreadsheet and is a write.
 * https://developers.google.com/workspace/sheets/api/limits
 */
export function sheetsQuotaOf(request: SheetsHttpRequest): "read" | "write" {
  if (request.method.toUpperCase() === "GET") return "read";
  const path = request.url.split("?")[0] ?? "";
  return READ_POSTS.test(path) ? "read" : "write";
}
const READ_POSTS = /(?::batchGetByDataFilter|:getByDataFilter|\/developerMetadata:search)$/;

type Adapter = NonNullable<sheets_v4.Options["adapter"]>;
type AuthClient = NonNullable<sheets_v4.Options["auth"]>;

export function createSheetsApi(options: SheetsApiOptions): sheets_v4.Sheets {
  const { onRequest } = options;
  return new sheets_v4.Sheets({
    // googleapis joins paths onto rootUrl as a URL base, so it must end with a slash. Only the origin
    // counts: the client resolves `/v4/...` against it, so a path in the URL would be dropped.
    rootUrl: `${options.apiUrl.replace(/\/+$/, "")}/`,
    auth: authClient(options),
    // calsync backs off on its own (src/http/backoff.ts); retries inside gaxios would hide requests from
    // that logic and from the quota.
    retry: false,
    ...(onRequest ? { adapter: countingAdapter(onRequest) } : {}),
  });
}

/**
 * gaxios hands every HTTP request it is about to send (each retry included) to `adapter`, which here
 * reports it and then sends it the usual way.
 */
function countingAdapter(onRequest: (request: SheetsHttpRequest) => void): Adapter {
  return (request, send) => {
    onRequest({ method: request.method ?? "GET", url: String(request.url) });
    return send(request);
  };
}

/**
 * An access token wins over a service account. With a custom URL, a service account signs its own JWT
 * for each request (google-auth-library's "self-signed JWT with scope") instead of exchanging it for a
 * token at oauth2.googleapis.com, so nothing leaves for a Google host.
 * https://google.aip.dev/auth/4111
 */
function authClient(options: SheetsApiOptions): AuthClient {
  if (options.accessToken) return withToken(options.accessToken);
  if (options.serviceAccount) {
    const jwt = new auth.JWT({
      email: options.serviceAccount.client_email,
      key: options.serviceAccount.private_key,
      scopes: [SPREADSHEETS_SCOPE],
    });
    // Without this, a JWT client with scopes fetches a token from Google's token endpoint first.
    jwt.useJWTAccessWithScope = options.isCustomApiUrl;
    return jwt;
  }
  if (options.isCustomApiUrl) return withToken(SANDBOX_ACCESS_TOKEN);
  throw new ConfigError([
    {
      variable: "GOOGLE_SERVICE_ACCOUNT_JSON",
      problem: "required: a service account key (or set GOOGLE_ACCESS_TOKEN)",
    },
  ]);
}

function withToken(accessToken: string): AuthClient {
  const client = new auth.OAuth2();
  client.setCredentials({ access_token: accessToken });
  return client;
}
