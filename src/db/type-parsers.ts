import pg from "pg";

/**
 * How column values come back, identical on both engines:
 *
 * - integers, int8 / bigint (count(*) included) → number; a value beyond Number.MAX_SAFE_INTEGER is an error,
 *   not a silently rounded number (cast such columns to text in SQL). pg returns int8 as a string by default;
 *   better-sqlite3 reads integers as BigInt here (safeIntegers) so that the check can be made.
 * - instants → ISO 8601 string in UTC with milliseconds, "2025-03-01T09:30:00.000Z", the same text
 *   `Date.prototype.toISOString` gives, so values compare with ===. PostgreSQL: timestamptz, parsed below
 *   (±infinity stay "infinity"/"-infinity"). SQLite has no time type: instants are stored as that very text
 *   (column defaults and now() write it; pass parameters as `date.toISOString()`), so text order is time order.
 * - PostgreSQL's date and timestamp (without time zone) → Postgres's own text, "2025-03-01" and
 *   "2025-03-01 09:30:00": these name no instant, so turning them into a Date would invent a time zone.
 * - json / jsonb → parsed values. SQLite stores JSON as text; columns declared `json_text` are parsed.
 * - boolean → boolean. SQLite stores 0/1; columns declared `boolean` come back as booleans.
 * - numeric → string (pg's default).
 *
 * SQLite's half is in sqlite-type-parsers.ts, so that the embedded database does not load pg.
 */
const OID = {
  INT8: 20,
  DATE: 1082,
  TIMESTAMP: 1114,
  TIMESTAMPTZ: 1184,
  INT8_ARRAY: 1016,
  DATE_ARRAY: 1182,
  TIMESTAMP_ARRAY: 1115,
  TIMESTAMPTZ_ARRAY: 1185,
  TEXT_ARRAY: 1009,
} as const;

type Parser = (text: string) => unknown;

/** pg's own parsers, looked up by plain OID (its TypeId enum lacks the array types). */
const builtinParser = pg.types.getTypeParser as (oid: number, format?: "text" | "binary") => Parser;
const parsePostgresTimestamp = builtinParser(OID.TIMESTAMPTZ) as (text: string) => Date | number;
const parseTextArray = builtinParser(OID.TEXT_ARRAY) as (text: string) => (string | null)[];

function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(
      `bigint value ${text} does not fit a JavaScript number; cast it to text in the query`,
    );
  }
  return value;
}

function parseTimestamptz(text: string): string {
  if (text === "infinity" || text === "-infinity") return text;
  const parsed = parsePostgresTimestamp(text);
  return parsed instanceof Date ? parsed.toISOString() : text;
}

function keepText(text: string): string {
  return text;
}

/** pg: parsers for single values, by type OID. */
export const VALUE_PARSERS: Readonly<Record<number, Parser>> = {
  [OID.INT8]: parseInt8,
  [OID.TIMESTAMPTZ]: parseTimestamptz,
  [OID.DATE]: keepText,
  [OID.TIMESTAMP]: keepText,
};

/** pg parses arrays with its own element parsers, so the array types need spelling out for it. */
const ARRAY_PARSERS: Readonly<Record<number, Parser>> = {
  [OID.INT8_ARRAY]: arrayOf(parseInt8),
  [OID.TIMESTAMPTZ_ARRAY]: arrayOf(parseTimestamptz),
  [OID.DATE_ARRAY]: arrayOf(keepText),
  [OID.TIMESTAMP_ARRAY]: arrayOf(keepText),
};

function arrayOf(parseElement: Parser): Parser {
  return (text) => parseTextArray(text).map((element) => (element === null ? null : parseElement(element)));
}

/** The `types` option for a pg Pool or Client: our parsers first, pg's defaults for everything else. */
export const pgTypeParsers = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => {
    if (format === undefined || format === "text") {
      const parser = VALUE_PARSERS[oid] ?? ARRAY_PARSERS[oid];
      if (parser) return parser;
    }
    return builtinParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};
