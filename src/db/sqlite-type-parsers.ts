// SQLite's half of type-parsers.ts (which says what both engines return): here so that SQLite never loads pg.

/** SQLite: what to do to a value read from a column of this declared type (lowercase), beyond integers. */
export const SQLITE_COLUMN_PARSERS: Readonly<Record<string, (value: unknown) => unknown>> = {
  boolean: (value) => (typeof value === "number" ? value !== 0 : value),
  json_text: (value) => (typeof value === "string" ? JSON.parse(value) : value),
};

/** SQLite: an integer read as BigInt (safeIntegers), as a number, refusing to round. */
export function sqliteInteger(value: bigint): number {
  if (value > MAX_SAFE || value < MIN_SAFE) {
    throw new RangeError(
      `integer value ${value} does not fit a JavaScript number; cast it to text in the query`,
    );
  }
  return Number(value);
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

/**
 * SQLite: a parameter as better-sqlite3 binds it. Integers are bound as integers (a JavaScript number would be
 * bound as a REAL, and a text column would then hold "5.0"), booleans as 1/0, Dates as ISO text, arrays and
 * plain objects as JSON text (so `json_each($1)` reads an array), undefined as null.
 */
export function sqliteParam(value: unknown): unknown {
  switch (typeof value) {
    case "string":
    case "bigint":
      return value;
    case "number":
      return Number.isSafeInteger(value) ? BigInt(value) : value;
    case "boolean":
      return value ? 1n : 0n;
    case "undefined":
      return null;
    case "object":
      if (value === null || value instanceof Uint8Array) return value;
      if (value instanceof Date) return value.toISOString();
      return JSON.stringify(value);
    default:
      throw new TypeError(`cannot pass a ${typeof value} as a database parameter`);
  }
}
