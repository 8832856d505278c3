import type { z } from "zod";
import { RateLimitedError, UpstreamError } from "../errors.ts";
import { errorMessageFromBody } from "./error-message.ts";
import { backoffDelayMs, rateLimitWaitMs } from "./retry-policy.ts";

export type TransportOptions = {
  /** The base including `/v2`, as CALCOM_API_URL holds it, e.g. `https://api.cal.com/v2`. */
  apiUrl: string;
  apiKey: string;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Retries of a 429 before giving up with RateLimitedError. */
  maxRetries?: number;
  /** Called once per HTTP request sent (retries included), e.g. to count API calls. */
  onRequest?: (request: { method: string; url: string }) => void;
  /** Give up on one request after this long (default 30 s); a GET that timed out is retried. */
  timeoutMs?: number;
  /** The clock used to read epoch-style reset headers. */
  now?: () => number;
};

export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

export type RequestSpec<T> = {
  method: HttpMethod;
  /** Relative to the base, e.g. `/bookings/abc/cancel`. */
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  /** The `cal-api-version` header the endpoint documents; null when the spec lists none. */
  apiVersion: string | null;
  schema: z.ZodType<T>;
};

export const DEFAULT_MAX_RETRIES = 4;
/** 5xx and network failures of a GET are retried this many times; a POST never is. */
const SERVER_ERROR_RETRIES = 2;
const DEFAULT_TIMEOUT_MS = 30_000;

export type Transport = <T>(spec: RequestSpec<T>) => Promise<T>;

export function createTransport(options: TransportOptions): Transport {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const base = options.apiUrl.replace(/\/+$/, "");

  return async function request<T>(spec: RequestSpec<T>): Promise<T> {
    const url = buildUrl(base, spec.path, spec.query);
    const label = `${spec.method} ${spec.path}`;
    const init = requestInit(spec, options.apiKey);
    // Only a GET may be repeated after a failure that might have reached the server; a 429 is the
    // exception for every method, because Cal.com refused it before doing anything.
    const retriesServerErrors = spec.method === "GET";
    let rateLimitRetries = 0;
    let serverRetries = 0;

    for (;;) {
      options.onRequest?.({ method: spec.method, url });
      let response: Response;
      try {
        response = await fetchImpl(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
      } catch (error) {
        if (retriesServerErrors && serverRetries < SERVER_ERROR_RETRIES) {
          await sleep(backoffDelayMs(serverRetries++, random));
          continue;
        }
        throw new UpstreamError(
          "calcom",
          `${label} failed: ${describeNetworkError(error, base)}`,
          undefined,
          {
            cause: error,
          },
        );
      }

      if (response.status === 429) {
        await response.body?.cancel();
        const waitMs = rateLimitWaitMs(response.headers, rateLimitRetries, random, now());
        if (rateLimitRetries >= maxRetries) throw new RateLimitedError("calcom", waitMs);
        rateLimitRetries++;
        await sleep(waitMs);
        continue;
      }

      if (response.status >= 500 && retriesServerErrors && serverRetries < SERVER_ERROR_RETRIES) {
        await response.body?.cancel();
        await sleep(backoffDelayMs(serverRetries++, random));
        continue;
      }

      const bodyText = await response.text();
      if (!response.ok) throw httpError(label, response, bodyText);
      return parseAnswer(label, response.status, bodyText, spec.schema);
    }
  };
}

function buildUrl(base: string, path: string, query: Record<string, string | undefined> | undefined): string {
  const url = new URL(`${base}${path}`);
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  return url.toString();
}

function requestInit(spec: RequestSpec<unknown>, apiKey: string): RequestInit {
  const headers: Record<string, string> = { Authorization: `Bearer ${apiKey}`, Accept: "application/json" };
  if (spec.apiVersion) headers["cal-api-version"] = spec.apiVersion;
  if (spec.body !== undefined) headers["Content-Type"] = "application/json";
  return {
    method: spec.method,
    headers,
    ...(spec.body !== undefined ? { body: JSON.stringify(spec.body) } : {}),
  };
}

function httpError(label: string, response: Response, bodyText: string): UpstreamError {
  const apiMessage = errorMessageFromBody(bodyText) ?? "no error message";
  const statusText = response.statusText ? ` ${response.statusText}` : "";
  const hint =
    response.status === 401 || response.status === 403
      ? " Check CALCOM_API_KEY (Cal.com → Settings → Developer → API keys)."
      : "";
  return new UpstreamError(
    "calcom",
    `${label} answered ${response.status}${statusText}: ${apiMessage}.${hint}`,
    response.status,
  );
}

function parseAnswer<T>(label: string, status: number, bodyText: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(bodyText);
  } catch {
    throw new UpstreamError("calcom", `${label} answered ${status} with a body that is not JSON`, status);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join(".") || "(body)"}: ${issue.message}`)
      .join("; ");
    throw new UpstreamError("calcom", `${label} answered in an unexpected shape: ${problems}`, status);
  }
  return parsed.data;
}

/** undici hides the reason in `cause` (ECONNREFUSED, "other side closed", ...). */
function describeNetworkError(error: unknown, base: string): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  const code = typeof cause === "object" && cause !== null && "code" in cause ? String(cause.code) : null;
  const message = cause instanceof Error ? cause.message : String(cause);
  return `could not reach ${new URL(base).origin} (${code && !message.includes(code) ? `${code}: ` : ""}${message})`;
}
