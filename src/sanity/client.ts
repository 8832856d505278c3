import { createClient, requester as defaultRequester, type SanityClient } from "@sanity/client";
import { DEFAULTS } from "../config/config.ts";
import { ConfigError } from "../errors.ts";

/** One HTTP request the client is about to send (its full URL, query string included). */
export type SanityRequestInfo = { method: string; url: string };

/** The shape of `config.sanity`, plus an optional request hook. */
export type SanityClientSettings = {
  projectId: string | undefined;
  dataset: string | undefined;
  token: string | undefined;
  /** Default https://api.sanity.io. Any other host (the sandbox) gets `${apiHost}/v${apiVersion}/...`. */
  apiHost?: string | undefined;
  /** Dated API version, default 2025-02-19 (a leading `v` is accepted). */
  apiVersion?: string | undefined;
  /** Called once per HTTP request actually sent, for counting API calls. Must not throw. */
  onRequest?: ((request: SanityRequestInfo) => void) | undefined;
};

/**
 * The real @sanity/client, configured for calsync:
 * - `useCdn: false`: the sync reads what it just wrote, which the CDN may not have yet;
 * - `maxRetries: 0`: the client would otherwise retry GETs and queries on 429/502/503 by itself
 *   (five times by default); calsync does its own backoff and counts its own attempts;
 * - on the default host, requests go to `https://<projectId>.api.sanity.io/v<version>/...`; on any other
 *   host `useProjectHostname: false` sends them to `<apiHost>/v<version>/...` and names the project in the
 *   `X-Sanity-Project-ID` header (see `initConfig` and `requestOptions` in @sanity/client).
 */
export function createSanityClient(settings: SanityClientSettings): SanityClient {
  const { projectId, dataset } = settings;
  if (!projectId || !dataset) {
    throw new ConfigError([
      ...(projectId ? [] : [{ variable: "SANITY_PROJECT_ID", problem: "required: the Sanity project id" }]),
      ...(dataset
        ? []
        : [{ variable: "SANITY_DATASET", problem: "required: the Sanity dataset, e.g. production" }]),
    ]);
  }
  const apiHost = (settings.apiHost ?? DEFAULTS.SANITY_API_HOST).replace(/\/+$/, "");
  return createClient({
    projectId,
    dataset,
    apiHost,
    apiVersion: (settings.apiVersion ?? DEFAULTS.SANITY_API_VERSION).replace(/^v/, ""),
    useProjectHostname: apiHost === DEFAULTS.SANITY_API_HOST,
    useCdn: false,
    maxRetries: 0,
    ...(settings.token ? { token: settings.token } : {}),
    ...(settings.onRequest ? { requester: requesterReporting(settings.onRequest) } : {}),
  });
}

/**
 * The client's own HTTP stack (get-it with Sanity's middleware: `requester`, exported by @sanity/client and
 * plugged in by the config option of the same name) plus one hook that runs as each request is about to go
 * out: once per request, and once per retry if there were any.
 *
 * The hook is `interceptRequest`, not `onRequest`: get-it passes each `onRequest` hook the previous one's
 * return value, and Sanity's progress middleware returns nothing, so a later `onRequest` hook only ever
 * receives `undefined`. `interceptRequest` gets the request context as its own argument; returning the
 * previous value unchanged lets the request proceed.
 */
function requesterReporting(onRequest: (request: SanityRequestInfo) => void): typeof defaultRequester {
  return defaultRequester.clone().use({
    interceptRequest: (intercepted, { context }) => {
      if (intercepted === undefined)
        onRequest({ method: context.options.method ?? "GET", url: context.options.url });
      return intercepted;
    },
  });
}
