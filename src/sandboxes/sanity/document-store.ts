import { cloneJson, type JsonObject } from "./json.ts";

/** A document as Content Lake keeps it: the caller's fields plus the system fields it maintains. */
export type StoredDocument = JsonObject & {
  _id: string;
  _type: string;
  _rev: string;
  _createdAt: string;
  _updatedAt: string;
};

/** A transaction's outcome: the documents it wrote (by id) and the ids it deleted. */
export type DocumentChanges = { written: ReadonlyMap<string, StoredDocument>; deleted: ReadonlySet<string> };

/**
 * The dataset. Stored documents are never modified in place (writers clone first), so a snapshot is a cheap
 * copy of the map. Transactions run one at a time: each reads, checks revisions and commits without another
 * transaction slipping in between.
 */
export class DocumentStore {
  readonly #documents = new Map<string, StoredDocument>();
  #queue: Promise<unknown> = Promise.resolve();

  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(work, work);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  snapshot(): Map<string, StoredDocument> {
    return new Map(this.#documents);
  }

  /** Applies only what the transaction touched, so writes made meanwhile (e.g. `seed`) survive. */
  commit(changes: DocumentChanges): void {
    for (const id of changes.deleted) this.#documents.delete(id);
    for (const [id, document] of changes.written) this.#documents.set(id, document);
  }

  put(document: StoredDocument): void {
    this.#documents.set(document._id, cloneJson(document));
  }

  get(id: string): StoredDocument | undefined {
    const document = this.#documents.get(id);
    return document && cloneJson(document);
  }

  all(): StoredDocument[] {
    return [...this.#documents.values()].map((document) => cloneJson(document));
  }
}
