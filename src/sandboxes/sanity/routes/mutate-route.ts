import type { Context } from "hono";
import type { StoredDocument } from "../document-store.ts";
import { runGroq } from "../groq.ts";
import { jsonResponse } from "../http-response.ts";
import { newTransactionId } from "../identifiers.ts";
import { type MutationResult, runTransaction } from "../mutation-engine.ts";
import { explainInvalidRequest, mutateRequestBody } from "../mutation-schema.ts";
import type { SandboxContext } from "../sandbox-context.ts";
import { badRequest } from "../sanity-errors.ts";
import { isFlagSet, readDataRequest, readJsonBody } from "./data-request.ts";

const VISIBILITIES = new Set(["sync", "async", "deferred"]);

/**
 * `POST /v{version}/data/mutate/{dataset}`: one transaction, applied whole or not at all.
 * Answers `{transactionId, results: [{id, operation, document?}]}`: ids with `returnIds=true`, documents
 * with `returnDocuments=true`. `visibility` is accepted but every write is visible at once here.
 * https://www.sanity.io/docs/http-reference/mutation
 */
export async function mutateRoute(c: Context, context: SandboxContext): Promise<Response> {
  const { caller, url } = readDataRequest(c, context);
  const body = await readJsonBody(c);
  const parsed = mutateRequestBody.safeParse(body);
  if (!parsed.success)
    throw badRequest(`Invalid mutation request: ${explainInvalidRequest(body, parsed.error)}`);
  const visibility = url.searchParams.get("visibility");
  if (visibility !== null && !VISIBILITIES.has(visibility)) {
    throw badRequest(`Invalid visibility "${visibility}"; expected sync, async or deferred`);
  }
  const dryRun = isFlagSet(url, "dryRun");
  const transactionId =
    parsed.data.transactionId ?? (url.searchParams.get("transactionId") || newTransactionId());

  const outcome = await context.store.exclusive(async () => {
    const now = context.now();
    const result = await runTransaction(context.store.snapshot(), parsed.data.mutations, {
      transactionId,
      now,
      authenticated: caller.authenticated,
      autoGenerateArrayKeys: isFlagSet(url, "autoGenerateArrayKeys"),
      query: (query, params, documents) =>
        runGroq(query, params, documents, { now, projectId: context.projectId, dataset: context.dataset }),
    });
    if (!dryRun) context.store.commit(result);
    return result;
  });
  if (!dryRun) context.stats.countMutations(parsed.data.mutations.length);

  const returnDocuments = isFlagSet(url, "returnDocuments");
  const returnIds = isFlagSet(url, "returnIds") || returnDocuments;
  const results = returnIds
    ? outcome.results.map((result) => withDocument(result, returnDocuments, outcome.written, context))
    : [];
  return jsonResponse({ transactionId, results });
}

/**
 * With `returnDocuments`, each result carries its document as the transaction left it; a delete carries
 * none, and a `createIfNotExists` that found the document carries the existing one.
 */
function withDocument(
  result: MutationResult,
  returnDocuments: boolean,
  written: ReadonlyMap<string, StoredDocument>,
  context: SandboxContext,
): MutationResult & { document?: StoredDocument } {
  if (!returnDocuments || result.operation === "delete") return { ...result };
  const document = written.get(result.id) ?? context.store.get(result.id);
  return document ? { ...result, document } : { ...result };
}
