import type { Context } from "hono";
import { type Caller, identifyCaller } from "../auth.ts";
import type { SandboxContext } from "../sandbox-context.ts";
import { badRequest, datasetNotFound, gatewayError } from "../sanity-errors.ts";

export type DataRequest = { apiVersion: string; caller: Caller; url: URL };

/**
 * The checks every `/v{version}/data/...` request passes, in the real API's order: the version in the
 * path, the token, then the dataset.
 */
export function readDataRequest(c: Context, context: SandboxContext): DataRequest {
  const version = /^v(\d{4}-\d{2}-\d{2}|1|X)$/.exec(c.req.param("version") ?? "");
  if (!version?.[1]) throw gatewayError(404, "Unknown API version; use a dated one such as v2025-02-19");
  const caller = identifyCaller(
    { authorization: c.req.header("authorization"), projectId: c.req.header("x-sanity-project-id") },
    context,
  );
  const dataset = c.req.param("dataset") ?? "";
  if (dataset !== context.dataset) throw datasetNotFound(dataset, context.projectId);
  return { apiVersion: version[1], caller, url: new URL(c.req.url) };
}

export async function readJsonBody(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw badRequest("Unable to parse the request body as JSON");
  }
}

/** Query-string switches are true only when spelled `true`, as @sanity/client sends them. */
export function isFlagSet(url: URL, name: string): boolean {
  return url.searchParams.get(name) === "true";
}
