import {
  findTargets,
  type PathSegment,
  parsePath,
  selectIndices,
  valueAt,
  writeAt,
} from "./document-paths.ts";
import { cloneJson, type JsonObject, type JsonValue } from "./json.ts";

export type InsertOperation =
  | { before: string; items: JsonValue[] }
  | { after: string; items: JsonValue[] }
  | { replace: string; items: JsonValue[] };

/** The operations of one `patch` mutation. https://www.sanity.io/docs/http-reference/mutation */
export type PatchOperations = {
  set?: Record<string, JsonValue> | undefined;
  setIfMissing?: Record<string, JsonValue> | undefined;
  unset?: string[] | undefined;
  inc?: Record<string, number> | undefined;
  dec?: Record<string, number> | undefined;
  insert?: InsertOperation | undefined;
};

/** A patch that cannot apply to this document, e.g. an insert into something that is not an array. */
export class PatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PatchError";
  }
}

/**
 * Applies the operations to `document` in place, in the order Sanity's own patcher uses: setIfMissing,
 * set, unset, inc, dec, insert (@sanity/mutator `parsePatch`). `prepare` adjusts every written value
 * (used for `autoGenerateArrayKeys`).
 */
export function applyPatchOperations(
  document: JsonObject,
  operations: PatchOperations,
  prepare: (value: JsonValue) => JsonValue = (value) => value,
): void {
  for (const [path, value] of Object.entries(operations.setIfMissing ?? {})) {
    for (const target of findTargets(document, parsePath(path), true)) {
      if (valueAt(target) === undefined) writeAt(target, prepare(cloneJson(value)));
    }
  }
  for (const [path, value] of Object.entries(operations.set ?? {})) {
    for (const target of findTargets(document, parsePath(path), true))
      writeAt(target, prepare(cloneJson(value)));
  }
  for (const path of operations.unset ?? []) unsetPath(document, parsePath(path));
  for (const [path, amount] of Object.entries(operations.inc ?? {})) addToNumbers(document, path, amount);
  for (const [path, amount] of Object.entries(operations.dec ?? {})) addToNumbers(document, path, -amount);
  if (operations.insert) insertItems(document, operations.insert, prepare);
}

function unsetPath(document: JsonObject, segments: PathSegment[]): void {
  const itemsByArray = new Map<JsonValue[], number[]>();
  for (const target of findTargets(document, segments, false)) {
    if (target.kind === "attribute") delete target.object[target.name];
    else itemsByArray.set(target.array, [...(itemsByArray.get(target.array) ?? []), target.index]);
  }
  for (const [array, indices] of itemsByArray) {
    for (const index of [...indices].sort((a, b) => b - a)) array.splice(index, 1);
  }
}

/** `inc`/`dec` change numbers only; a missing or non-numeric value is left alone. */
function addToNumbers(document: JsonObject, path: string, amount: number): void {
  for (const target of findTargets(document, parsePath(path), false)) {
    const value = valueAt(target);
    if (typeof value === "number") writeAt(target, value + amount);
  }
}

/**
 * `insert` places items before/after the selected array items, or replaces them. Like Sanity's patcher, an
 * insert into a missing array does nothing (use `setIfMissing: {items: []}` first), and `after: "items[-1]"`
 * on an empty array appends.
 */
function insertItems(
  document: JsonObject,
  insert: InsertOperation,
  prepare: (value: JsonValue) => JsonValue,
): void {
  const [position, path] =
    "before" in insert
      ? (["before", insert.before] as const)
      : "after" in insert
        ? (["after", insert.after] as const)
        : (["replace", insert.replace] as const);
  const segments = parsePath(path);
  const selector = segments.at(-1);
  if (!selector || selector.kind === "attribute" || segments.length < 2) {
    throw new PatchError(
      `insert path "${path}" must end in an array selector such as items[-1] or items[_key=="k"]`,
    );
  }
  // Prepared as one array, so that `autoGenerateArrayKeys` keys the inserted items themselves.
  const prepared = prepare(cloneJson(insert.items));
  const items = Array.isArray(prepared) ? prepared : insert.items;
  for (const target of findTargets(document, segments.slice(0, -1), false)) {
    const array = valueAt(target);
    if (array === undefined) continue;
    if (!Array.isArray(array)) {
      throw new PatchError(
        `Attempt to apply insert patch to value of type "${typeOf(array)}" at path "${path}"`,
      );
    }
    const { at, remove } = insertionPlace(array, selector, position);
    for (const index of [...remove].reverse()) array.splice(index, 1);
    array.splice(at, 0, ...cloneJson(items));
  }
}

/** Where the items go, and which items they replace, following @sanity/mutator's InsertPatch. */
function insertionPlace(
  array: readonly JsonValue[],
  selector: PathSegment,
  position: "before" | "after" | "replace",
): { at: number; remove: number[] } {
  const indices = selectIndices(array, selector);
  const first = indices[0];
  const last = indices.at(-1);
  const rangeStart =
    selector.kind === "range" ? Math.max(0, Math.min(array.length, fromEnd(selector.start ?? 0, array))) : 0;
  switch (position) {
    case "before":
      return { at: first ?? rangeStart, remove: [] };
    case "after":
      return { at: Math.min(array.length, (last ?? rangeStart) + 1), remove: [] };
    case "replace":
      // The items take the place of the first replaced one (indices are ascending, so removing the
      // others first never moves it).
      return { at: first ?? rangeStart, remove: indices };
  }
}

function fromEnd(index: number, array: readonly JsonValue[]): number {
  return index < 0 ? array.length + index : index;
}

function typeOf(value: JsonValue): string {
  if (value === null) return "null";
  return typeof value === "object" ? "object" : typeof value;
}
