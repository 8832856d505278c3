/** JSON as documents hold it: what a request body can carry and what the store keeps. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export type JsonObject = { [key: string]: JsonValue };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Documents are never shared between the store and a caller: every read and write goes through a copy. */
export function cloneJson<T extends JsonValue>(value: T): T {
  return structuredClone(value);
}
