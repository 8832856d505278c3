import { PathSyntaxError } from "./document-paths.ts";
import type { DocumentChanges, StoredDocument } from "./document-store.ts";
import { isValidDocumentId, newArrayKey, newDocumentId, systemTimestamp } from "./identifiers.ts";
import { cloneJson, isJsonObject, type JsonObject, type JsonValue } from "./json.ts";
import type { DocumentSelection, Mutation, PatchMutation } from "./mutation-schema.ts";
import { applyPatchOperations, PatchError } from "./patch-operations.ts";
import {
  documentAlreadyExists,
  documentNotFound,
  insufficientPermissions,
  invalidMutation,
  malformedDocumentId,
  revisionMismatch,
} from "./sanity-errors.ts";

/** What the response reports for each mutation. https://www.sanity.io/docs/http-reference/mutation */
export type MutationOperation = "create" | "update" | "delete" | "none";
export type MutationResult = { id: string; operation: MutationOperation };

export type TransactionContext = {
  transactionId: string;
  now: Date;
  /** Whether the caller sent a known token; without one, every mutation is refused. */
  authenticated: boolean;
  autoGenerateArrayKeys: boolean;
  /** Runs a GROQ query (for `{query}` selections) over the transaction's current view of the dataset. */
  query: (query: string, params: Record<string, JsonValue>, documents: JsonObject[]) => Promise<JsonValue>;
};

export type TransactionOutcome = DocumentChanges & { results: MutationResult[] };

/**
 * Applies `mutations` in order to a private copy of `current`. All or nothing: the first mutation that
 * fails throws its SanityHttpError and nothing is applied. Every document written gets the transaction id
 * as its `_rev` and `now` as its `_updatedAt`, as Content Lake does.
 */
export async function runTransaction(
  current: ReadonlyMap<string, StoredDocument>,
  mutations: readonly Mutation[],
  context: TransactionContext,
): Promise<TransactionOutcome> {
  const transaction = new Transaction(current, context);
  for (const [index, mutation] of mutations.entries()) await transaction.apply(mutation, index);
  return transaction.outcome();
}

class Transaction {
  readonly #documents: Map<string, StoredDocument>;
  readonly #written = new Map<string, StoredDocument>();
  readonly #deleted = new Set<string>();
  readonly #results: MutationResult[] = [];
  readonly #timestamp: string;

  constructor(
    current: ReadonlyMap<string, StoredDocument>,
    readonly context: TransactionContext,
  ) {
    this.#documents = new Map(current);
    this.#timestamp = systemTimestamp(context.now);
  }

  outcome(): TransactionOutcome {
    return { written: this.#written, deleted: this.#deleted, results: this.#results };
  }

  async apply(mutation: Mutation, index: number): Promise<void> {
    if ("create" in mutation) return this.#create(mutation.create, index, "create");
    if ("createOrReplace" in mutation)
      return this.#create(mutation.createOrReplace, index, "createOrReplace");
    if ("createIfNotExists" in mutation) {
      return this.#create(mutation.createIfNotExists, index, "createIfNotExists");
    }
    if ("delete" in mutation) return this.#delete(mutation.delete, index);
    return this.#patch(mutation.patch, index);
  }

  #create(body: JsonObject, index: number, kind: "create" | "createOrReplace" | "createIfNotExists"): void {
    this.#requireToken("create", index);
    const id = this.#idForCreate(body, index, kind);
    if (typeof body._type !== "string" || body._type === "") {
      throw invalidMutation(`Document "${id}" must have a _type`, index);
    }
    const existing = this.#documents.get(id);
    if (existing && kind === "create") throw documentAlreadyExists(id, index);
    if (existing && kind === "createIfNotExists") {
      this.#results.push({ id, operation: "none" });
      return;
    }
    const createdAt =
      existing?._createdAt ?? (typeof body._createdAt === "string" ? body._createdAt : undefined);
    this.#write({
      ...(this.#prepare(cloneJson(body)) as JsonObject),
      _id: id,
      _type: body._type,
      _rev: this.context.transactionId,
      _createdAt: createdAt ?? this.#timestamp,
      _updatedAt: this.#timestamp,
    });
    this.#results.push({ id, operation: existing ? "update" : "create" });
  }

  /** `create` may leave the id to the server, or give a prefix ending in `.`; the others must name it. */
  #idForCreate(body: JsonObject, index: number, kind: string): string {
    const given = body._id;
    if (typeof given !== "string" || given === "") {
      if (kind !== "create") throw invalidMutation(`${kind} requires a document _id`, index);
      return newDocumentId();
    }
    const id = kind === "create" && given.endsWith(".") ? newDocumentId(given) : given;
    if (!isValidDocumentId(id)) throw malformedDocumentId(id, index);
    return id;
  }

  async #delete(selection: DocumentSelection, index: number): Promise<void> {
    this.#requireToken("delete", index);
    // Deleting a document that does not exist succeeds (HTTP reference, "Delete Mutation").
    const ids = "id" in selection ? [selection.id] : await this.#queryIds(selection.query, selection.params);
    for (const id of ids) {
      this.#documents.delete(id);
      this.#written.delete(id);
      this.#deleted.add(id);
      this.#results.push({ id, operation: "delete" });
    }
  }

  async #patch(patch: PatchMutation, index: number): Promise<void> {
    this.#requireToken("update", index);
    if (patch.diffMatchPatch) throw invalidMutation("diffMatchPatch is not supported by the sandbox", index);
    const ids = patch.id !== undefined ? [patch.id] : await this.#queryIds(patch.query ?? "", patch.params);
    for (const id of ids) {
      const document = this.#documents.get(id);
      if (!document) throw documentNotFound(id, index);
      if (patch.ifRevisionID !== undefined && patch.ifRevisionID !== document._rev) {
        throw revisionMismatch(id, document._rev, patch.ifRevisionID, index);
      }
      const patched: JsonObject = cloneJson(document);
      try {
        applyPatchOperations(patched, patch, (value) => this.#prepare(value));
      } catch (error) {
        if (error instanceof PatchError || error instanceof PathSyntaxError) {
          throw invalidMutation(error.message, index);
        }
        throw error;
      }
      this.#write({
        ...patched,
        _id: id,
        _type: typeof patched._type === "string" ? patched._type : document._type,
        _rev: this.context.transactionId,
        _createdAt: typeof patched._createdAt === "string" ? patched._createdAt : document._createdAt,
        _updatedAt: this.#timestamp,
      });
      this.#results.push({ id, operation: "update" });
    }
  }

  async #queryIds(query: string, params: Record<string, JsonValue> | undefined): Promise<string[]> {
    const result = await this.context.query(query, params ?? {}, [...this.#documents.values()]);
    const matches = Array.isArray(result) ? result : [result];
    return matches.flatMap((match) =>
      isJsonObject(match) && typeof match._id === "string" ? [match._id] : [],
    );
  }

  #requireToken(permission: "create" | "update" | "delete", index: number): void {
    if (!this.context.authenticated) throw insufficientPermissions(permission, index);
  }

  #write(document: StoredDocument): void {
    this.#documents.set(document._id, document);
    this.#written.set(document._id, document);
    this.#deleted.delete(document._id);
  }

  /** With `autoGenerateArrayKeys`, object items of written arrays that lack a `_key` get one. */
  #prepare(value: JsonValue): JsonValue {
    return this.context.autoGenerateArrayKeys ? withArrayKeys(value) : value;
  }
}

function withArrayKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) {
    return value.map((item) => {
      const keyed = withArrayKeys(item);
      return isJsonObject(keyed) && keyed._key === undefined ? { _key: newArrayKey(), ...keyed } : keyed;
    });
  }
  if (isJsonObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withArrayKeys(item)]));
  }
  return value;
}
