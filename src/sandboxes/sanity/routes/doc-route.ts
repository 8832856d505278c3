import type { Context } from "hono";
import type { StoredDocument } from "../document-store.ts";
import { jsonResponse } from "../http-response.ts";
import type { SandboxContext } from "../sandbox-context.ts";
import { readDataRequest } from "./data-request.ts";

type Omission = { id: string; reason: "existence" | "permission" };

/**
 * `GET /v{version}/data/doc/{dataset}/{id,id,...}`: the documents by id, raw (drafts included when asked
 * for by id), and `omitted` for the ids it could not give: `existence` when there is no such document,
 * `permission` when the caller may not see it (an anonymous caller, the dataset being private).
 * https://www.sanity.io/docs/http-reference/doc
 */
export function docRoute(c: Context, context: SandboxContext): Response {
  const { caller } = readDataRequest(c, context);
  const ids = (c.req.param("ids") ?? "").split(",").filter((id) => id !== "");
  const documents: StoredDocument[] = [];
  const omitted: Omission[] = [];
  for (const id of ids) {
    const document = caller.authenticated ? context.store.get(id) : undefined;
    if (document) documents.push(document);
    else omitted.push({ id, reason: caller.authenticated ? "existence" : "permission" });
  }
  return jsonResponse({ documents, omitted });
}
