import type { Context } from "hono";
import { z } from "zod";
import { documentsInPerspective, readPerspective, runGroq } from "../groq.ts";
import { jsonResponse } from "../http-response.ts";
import type { JsonValue } from "../json.ts";
import type { SandboxContext } from "../sandbox-context.ts";
import { badRequest } from "../sanity-errors.ts";
import { readDataRequest, readJsonBody } from "./data-request.ts";

const postedQuery = z.object({
  query: z.string(),
  params: z.record(z.string(), z.json() as z.ZodType<JsonValue>).optional(),
});

/**
 * `GET /v{version}/data/query/{dataset}?query=...&$name=<JSON>` and `POST` with `{query, params}` (what
 * @sanity/client sends for long queries). Answers `{query, result, ms}`; `returnQuery=false`, which the
 * client sends by default, leaves `query` out. https://www.sanity.io/docs/http-reference/query
 */
export async function queryRoute(c: Context, context: SandboxContext): Promise<Response> {
  const started = performance.now();
  const { apiVersion, caller, url } = readDataRequest(c, context);
  const { query, params } = c.req.method === "POST" ? await readPostedQuery(c) : readQueryString(url);
  const perspective = readPerspective(url.searchParams.get("perspective") ?? undefined, apiVersion);
  // Anonymous callers see nothing of a private dataset; their query still has to parse.
  const visible = caller.authenticated
    ? documentsInPerspective([...context.store.snapshot().values()], perspective)
    : [];
  const result = await runGroq(query, params, visible, {
    now: context.now(),
    projectId: context.projectId,
    dataset: context.dataset,
  });
  const ms = Math.round(performance.now() - started);
  return jsonResponse(
    url.searchParams.get("returnQuery") === "false" ? { result, ms } : { query, result, ms },
  );
}

type QueryRequest = { query: string; params: Record<string, JsonValue> };

async function readPostedQuery(c: Context): Promise<QueryRequest> {
  const parsed = postedQuery.safeParse(await readJsonBody(c));
  if (!parsed.success) throw badRequest(`Invalid query request: ${z.prettifyError(parsed.error)}`);
  return { query: parsed.data.query, params: parsed.data.params ?? {} };
}

/** Parameters travel as `$name=<JSON value>`; a bare word is refused as the real API refuses it. */
function readQueryString(url: URL): QueryRequest {
  const query = url.searchParams.get("query");
  if (query === null) throw badRequest("Missing query parameter: query");
  const params: Record<string, JsonValue> = {};
  for (const [name, raw] of url.searchParams) {
    if (!name.startsWith("$")) continue;
    try {
      params[name.slice(1)] = JSON.parse(raw) as JsonValue;
    } catch {
      throw badRequest(`Unable to parse value of "${name}=${raw}". Please quote string values.`);
    }
  }
  return { query, params };
}
