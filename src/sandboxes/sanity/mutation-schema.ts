import { z } from "zod";
import type { JsonObject, JsonValue } from "./json.ts";

/**
 * The body of `POST /data/mutate/:dataset`, as strict as the real endpoint (it refuses unknown keys, e.g. a
 * patch not wrapped in `{patch: ...}`). https://www.sanity.io/docs/http-reference/mutation
 */
const json = z.json() as z.ZodType<JsonValue>;
const jsonRecord = z.record(z.string(), json);
const documentBody = jsonRecord as z.ZodType<JsonObject>;
const queryParams = jsonRecord.optional();

const selection = z.union([
  z.strictObject({ id: z.string() }),
  z.strictObject({ query: z.string(), params: queryParams }),
]);

const insertItems = z.array(json);
const insert = z.union([
  z.strictObject({ before: z.string(), items: insertItems }),
  z.strictObject({ after: z.string(), items: insertItems }),
  z.strictObject({ replace: z.string(), items: insertItems }),
]);

const patch = z
  .strictObject({
    id: z.string().optional(),
    query: z.string().optional(),
    params: queryParams,
    ifRevisionID: z.string().optional(),
    set: jsonRecord.optional(),
    setIfMissing: jsonRecord.optional(),
    unset: z.array(z.string()).optional(),
    inc: z.record(z.string(), z.number()).optional(),
    dec: z.record(z.string(), z.number()).optional(),
    insert: insert.optional(),
    diffMatchPatch: z.record(z.string(), z.string()).optional(),
  })
  .refine((value) => (value.id === undefined) !== (value.query === undefined), {
    message: "a patch needs exactly one of id or query",
  });

const mutationKinds = {
  create: z.strictObject({ create: documentBody }),
  createOrReplace: z.strictObject({ createOrReplace: documentBody }),
  createIfNotExists: z.strictObject({ createIfNotExists: documentBody }),
  delete: z.strictObject({ delete: selection }),
  patch: z.strictObject({ patch }),
};

const mutation = z.union([
  mutationKinds.create,
  mutationKinds.createOrReplace,
  mutationKinds.createIfNotExists,
  mutationKinds.delete,
  mutationKinds.patch,
]);

/** @sanity/client sends `transactionId` in the body; the HTTP reference documents it as a query parameter. */
export const mutateRequestBody = z.object({
  mutations: z.array(mutation).min(1),
  transactionId: z.string().min(1).optional(),
});

export type Mutation = z.output<typeof mutation>;
export type PatchMutation = z.output<typeof patch>;
export type DocumentSelection = z.output<typeof selection>;

/**
 * Says what is wrong with a refused request body in terms of its mutations: zod's own message for a union
 * is only "Invalid input".
 */
export function explainInvalidRequest(body: unknown, error: z.ZodError): string {
  const mutations = isRecord(body) && Array.isArray(body.mutations) ? body.mutations : [];
  for (const [index, candidate] of mutations.entries()) {
    const keys = isRecord(candidate) ? Object.keys(candidate) : [];
    const kind = keys.length === 1 ? keys[0] : undefined;
    const schema =
      kind !== undefined && Object.hasOwn(mutationKinds, kind)
        ? mutationKinds[kind as keyof typeof mutationKinds]
        : undefined;
    if (!schema) {
      return `mutations[${index}] must have exactly one of ${Object.keys(mutationKinds).join(", ")}; it has ${keys.length > 0 ? keys.join(", ") : "none"}`;
    }
    const result = schema.safeParse(candidate);
    if (!result.success) return `mutations[${index}]: ${z.prettifyError(result.error)}`;
  }
  return z.prettifyError(error);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
