/** Cal.com's own split when it gives one; otherwise the first word and the rest. */
export function splitName(
  fullName: string,
  calcomSplit?: { firstName?: string | undefined; lastName?: string | undefined },
): { firstName: string; lastName: string } {
  if (calcomSplit?.firstName) {
    return { firstName: calcomSplit.firstName.trim(), lastName: (calcomSplit.lastName ?? "").trim() };
  }
  const words = fullName.trim().split(/\s+/).filter(Boolean);
  return { firstName: words[0] ?? "", lastName: words.slice(1).join(" ") };
}
