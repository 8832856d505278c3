import { evaluate, GroqSyntaxError, parse } from "groq-js";
import type { JsonObject, JsonValue } from "./json.ts";
import { badRequest, queryError, queryParseError } from "./sanity-errors.ts";

export type Perspective = "raw" | "published" | "drafts";

/**
 * From API version 2025-02-19 queries see the `published` perspective unless they ask for another: drafts
 * (`drafts.*`) and release versions (`versions.*`) are left out. Earlier versions default to `raw`.
 * https://www.sanity.io/docs/content-lake/perspectives
 */
export function readPerspective(requested: string | undefined, apiVersion: string): Perspective {
  if (requested === undefined || requested === "") {
    return apiVersion >= "2025-02-19" && /^\d{4}-\d{2}-\d{2}$/.test(apiVersion) ? "published" : "raw";
  }
  if (requested === "raw" || requested === "published" || requested === "drafts") return requested;
  if (requested === "previewDrafts") return "drafts";
  throw badRequest(`Unsupported perspective "${requested}" (the sandbox knows raw, published and drafts)`);
}

/** The documents a query sees from `perspective`. */
export function documentsInPerspective(
  documents: readonly JsonObject[],
  perspective: Perspective,
): JsonObject[] {
  if (perspective === "raw") return [...documents];
  const published = documents.filter((document) => !isDraftOrVersion(document._id));
  if (perspective === "published") return published;
  // drafts: a document's draft, when it has one, stands in for it under the published id.
  const drafts = new Map(
    documents
      .filter((document) => typeof document._id === "string" && document._id.startsWith("drafts."))
      .map((draft) => [String(draft._id).slice("drafts.".length), draft]),
  );
  const seen = new Set<string>();
  const overlaid = published.map((document) => {
    const id = String(document._id);
    seen.add(id);
    const draft = drafts.get(id);
    return draft ? { ...draft, _id: id, _originalId: String(draft._id) } : { ...document, _originalId: id };
  });
  const draftOnly = [...drafts]
    .filter(([id]) => !seen.has(id))
    .map(([id, draft]) => ({ ...draft, _id: id, _originalId: String(draft._id) }));
  return [...overlaid, ...draftOnly];
}

function isDraftOrVersion(id: JsonValue | undefined): boolean {
  return typeof id === "string" && (id.startsWith("drafts.") || id.startsWith("versions."));
}

export type QueryContext = { now: Date; projectId: string; dataset: string };

/**
 * Runs a GROQ query with groq-js over `documents` (ordered by `_id`, a stable order for queries without
 * `order()`). Errors come back as Content Lake's 400 bodies.
 */
export async function runGroq(
  query: string,
  params: Record<string, JsonValue>,
  documents: readonly JsonObject[],
  context: QueryContext,
): Promise<JsonValue> {
  const tree = parseQuery(query, params);
  const missing = referencedParameters(tree).find((name) => !(name in params));
  if (missing !== undefined) throw queryError(`param $${missing} referenced, but not provided`);
  const dataset = [...documents].sort((a, b) => compareIds(String(a._id), String(b._id)));
  const value = await evaluate(tree, {
    dataset,
    params,
    timestamp: context.now,
    sanity: { projectId: context.projectId, dataset: context.dataset },
  });
  return (await value.get()) as JsonValue;
}

function parseQuery(query: string, params: Record<string, JsonValue>): ReturnType<typeof parse> {
  try {
    return parse(query, { params });
  } catch (error) {
    if (error instanceof GroqSyntaxError) {
      const detail = error.message.replace(/^Syntax error in GROQ query at position \d+: /, "");
      return throwParseError(query, detail, error.position);
    }
    if (error instanceof Error && error.name === "GroqQueryError") {
      const unknownFunction = /^Undefined function: (.+)$/.exec(error.message);
      throw queryError(unknownFunction ? `unknown function "${unknownFunction[1]}"` : error.message);
    }
    throw error;
  }
}

function throwParseError(query: string, description: string, position: number): never {
  const start = Math.min(position, query.length);
  throw queryParseError(query, description, start, Math.min(start + 1, query.length));
}

/** Names of the `$parameters` a parsed query uses, found by walking groq-js's syntax tree. */
function referencedParameters(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(referencedParameters);
  if (typeof node !== "object" || node === null) return [];
  const own = "type" in node && node.type === "Parameter" && "name" in node ? [String(node.name)] : [];
  return [...own, ...Object.values(node).flatMap(referencedParameters)];
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
