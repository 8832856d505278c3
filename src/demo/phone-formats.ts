/**
 * The ways real lead sheets hold UK phone numbers, as the foundation issue lists them. The demo sheet holds
 * every one, so a person watching the first sync sees each of them matched to a Cal.com booking.
 */
export const PHONE_FORMATS = [
  "national", // 07700 900123
  "national-compact", // 07700900123
  "zero-eaten", // 7700900123: the sheet dropped the leading zero of a number typed as a number
  "plus-44-trunk", // +44 (0) 7700 900123
  "double-zero", // 0044 7700 900123
  "bare-44", // 44 7700 900123
  "e164", // +447700900123
  "dots", // 07700.900.123
  "dashes", // 07700-900-123
  "spaces", // 07700 900 123
  "number", // 7700900123 stored as a spreadsheet number
] as const;
export type PhoneFormat = (typeof PHONE_FORMATS)[number];

/**
 * A UK number without its trunk zero, split into the groups people write it in: `["7700", "900123"]`
 * for a mobile, `["161", "496", "0123"]` for a Manchester line, `["20", "7946", "0123"]` for London.
 */
export type UkNumber = readonly string[];

/** The cell as a person (or an import) left it: text, or a number for the `number` format. */
export function formatUkNumber(groups: UkNumber, format: PhoneFormat): string | number {
  const digits = groups.join("");
  const national = `0${groups[0] ?? ""}`;
  const rest = groups.slice(1);
  switch (format) {
    case "national":
      return [national, ...rest].join(" ");
    case "national-compact":
      return `0${digits}`;
    case "zero-eaten":
      return digits;
    case "plus-44-trunk":
      return `+44 (0) ${groups.join(" ")}`;
    case "double-zero":
      return `0044 ${groups.join(" ")}`;
    case "bare-44":
      return `44 ${groups.join(" ")}`;
    case "e164":
      return `+44${digits}`;
    case "dots":
      return [national, ...splitMobileTail(rest)].join(".");
    case "dashes":
      return [national, ...splitMobileTail(rest)].join("-");
    case "spaces":
      // A mobile's six-digit tail written in threes; a landline is already written in small groups.
      return [national, ...splitMobileTail(rest)].join(" ");
    case "number":
      return Number(digits);
  }
}

/** A mobile's tail `900123` read as `900` `123`, as people write it with dots or dashes. */
function splitMobileTail(rest: readonly string[]): string[] {
  if (rest.length !== 1) return [...rest];
  const tail = rest[0] ?? "";
  return [tail.slice(0, 3), tail.slice(3)];
}

/** The E.164 form Cal.com's phone field stores, e.g. `+447700900123`. */
export function e164Of(groups: UkNumber): string {
  return `+44${groups.join("")}`;
}
