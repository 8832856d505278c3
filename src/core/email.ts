/** Trims and lowercases; nothing else is rewritten (no dot or plus-tag folding: that would merge real people). */
export function normalizeEmail(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  const email = String(raw).trim().toLowerCase();
  return email.includes("@") ? email : null;
}
