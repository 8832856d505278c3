import { type CountryCode, parsePhoneNumberFromString } from "libphonenumber-js/max";

/** Characters a phone cell may hold besides digits; anything else (letters, "@") means it is not a phone. */
const PHONE_PUNCTUATION = /^[\d\s+().\-/]+$/;
const MIN_DIGITS = 6;
const UK_NATIONAL = /^0[1-9]\d{9}$/;
/** A UK mobile whose trunk zero the sheet ate (`7742201349`), and one written with a bare country code. */
const UK_MOBILE_ZERO_EATEN = /^7\d{9}$/;
const UK_BARE_COUNTRY_CODE = /^44[1-9]\d{9}$/;
/** `+44` (or `0044`) and ten national digits: the UK number written internationally. */
const UK_INTERNATIONAL = /^(?:\+|00)44([1-9]\d{9})$/;

/**
 * Normalizes what real sheets and booking forms hold to E.164, or null when it is not a phone number.
 *
 * Accepts national numbers (`07742 201349`), national numbers whose leading zero the sheet ate
 * (`7742201349`), international forms with `+`, `00` or a bare country code (`44 7742 201349`),
 * the UK habit `+44 (0) 7742 201349`, and numbers stored as spreadsheet numbers.
 * Numbers that are possible but not assigned (Ofcom's drama range 07700 900xxx) still normalize:
 * a booking form accepts them, so the sheet must match them.
 */
export function normalizePhone(
  raw: string | number | null | undefined,
  defaultRegion: CountryCode,
): string | null {
  if (raw === null || raw === undefined) return null;
  // A run normalizes every phone cell of the sheet more than once (planning, then checking its writes), and
  // the hourly runs of `calsync serve` see the same cells again; parsing costs ~25 µs, a look-up ~0.1 µs.
  // Keyed by the cell itself in a map per region and input type: no key string is built per look-up.
  let byRegion = normalized.get(defaultRegion);
  if (!byRegion) {
    byRegion = { text: new Map(), number: new Map() };
    normalized.set(defaultRegion, byRegion);
  }
  const cache: Map<string | number, string | null> =
    typeof raw === "number" ? byRegion.number : byRegion.text;
  const cached = cache.get(raw);
  if (cached !== undefined) return cached;
  if (cache.size >= MAX_CACHED) cache.clear();
  const result = normalizeUncached(raw, defaultRegion);
  cache.set(raw, result);
  return result;
}

/** Results by region, input type and input; bounded so a long-lived server's memory stays flat. */
const normalized = new Map<
  string,
  { text: Map<string | number, string | null>; number: Map<string | number, string | null> }
>();
const MAX_CACHED = 250_000;

function normalizeUncached(raw: string | number, defaultRegion: CountryCode): string | null {
  const text = typeof raw === "number" ? numberCellToText(raw) : raw.trim();
  if (text === "" || !PHONE_PUNCTUATION.test(text)) return null;

  // "+44 (0) 7742…": the bracketed trunk zero is dialled only from inside the country.
  const withoutTrunkZero = text.replace(/\(\s*0\s*\)/g, "");
  const digits = withoutTrunkZero.replace(/\D/g, "");
  if (digits.length < MIN_DIGITS) return null;

  // The commonest cell by far is a UK number written nationally (0 and ten digits). Its result is fixed by
  // its length alone (GB numbers of ten national digits are always "possible"), and libphonenumber costs
  // ~25 µs a parse, which is 2.5 s of a 100,000-row sheet; the property test checks the two agree.
  if (defaultRegion === "GB" && !withoutTrunkZero.trim().startsWith("+") && UK_NATIONAL.test(digits)) {
    return `+44${digits.slice(1)}`;
  }

  // The same UK numbers written internationally (`+44 7742…`, `+44 (0) 7742…`, and in GB `0044 7742…`): the
  // `+44` candidate is the only one (or, for `0044` in GB, the other is the same number), and its ten national
  // digits are always possible, so the result is again fixed by the length (the property test checks it).
  const plus = withoutTrunkZero.trim().startsWith("+");
  const international = UK_INTERNATIONAL.exec(
    plus ? `+${digits}` : defaultRegion === "GB" && digits.startsWith("00") ? digits : "",
  );
  if (international) return `+44${international[1]}`;

  // In GB, `7742201349` and `44 7742 201349` have two candidates: the national one (ten national digits
  // again, so possible) and `+7742201349` / `+447742201349`. The second cannot win: `+7` numbers (Russia,
  // Kazakhstan) have ten national digits, not nine, so `+7` and nine digits is never valid; and `+44…` is
  // the same number as the first. The result is `+44` and the ten digits (the property tests check both).
  if (defaultRegion === "GB" && !plus) {
    if (UK_MOBILE_ZERO_EATEN.test(digits)) return `+44${digits}`;
    if (UK_BARE_COUNTRY_CODE.test(digits)) return `+${digits}`;
  }

  const candidates = candidateNumbers(withoutTrunkZero.trim(), digits);
  let possible: string | null = null;
  for (const candidate of candidates) {
    const parsed = parsePhoneNumberFromString(candidate, defaultRegion);
    if (!parsed) continue;
    if (parsed.isValid()) return parsed.number;
    if (possible === null && parsed.isPossible()) possible = parsed.number;
  }
  return possible;
}

function candidateNumbers(text: string, digits: string): string[] {
  if (text.startsWith("+")) return [`+${digits}`];
  if (digits.startsWith("00")) return [`+${digits.slice(2)}`, digits];
  // National first (the sheet's own region), then the digits as an international number without its "+".
  return [digits, `+${digits}`];
}

function numberCellToText(value: number): string {
  if (!Number.isFinite(value) || value < 0) return "";
  return Math.trunc(value).toLocaleString("en-GB", { useGrouping: false });
}
