/**
 * Trims and lowercases the ASCII letters; nothing else is rewritten. No dot or plus-tag folding (that would
 * merge real people), and no Unicode case folding: `toLowerCase()` maps the Kelvin sign `K` to `k` and the
 * dotted `İ` to `i̇`, so two addresses that differ there would become one person.
 */
export function normalizeEmail(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const email = String(raw)
    .trim()
    .replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
  return email.includes("@") ? email : null;
}
