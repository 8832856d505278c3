/** A booker as the grouping sees them: the normalized phone and email of one booking, either possibly missing. */
export type BookerOf<T> = { item: T; phone: string | null; email: string | null };

/**
 * Groups bookings by person: two bookings that share a phone or an email are the same person, and so is
 * a chain of them (P+E, then E alone, then E+P2 is one person). Union-find over the phone and email
 * values, linear in the number of bookings. Groups keep the order their first booking came in.
 */
export function groupByPerson<T>(bookers: readonly BookerOf<T>[]): T[][] {
  const parent: number[] = bookers.map((_, index) => index);
  const find = (index: number): number => {
    let root = index;
    while (parent[root] !== root) root = parent[root] as number;
    // Path compression: every node on the way points at the root from now on.
    for (let node = index; parent[node] !== root; ) {
      const next = parent[node] as number;
      parent[node] = root;
      node = next;
    }
    return root;
  };
  const union = (a: number, b: number) => {
    const rootA = find(a);
    const rootB = find(b);
    if (rootA !== rootB) parent[Math.max(rootA, rootB)] = Math.min(rootA, rootB);
  };
  const firstWith = new Map<string, number>();
  bookers.forEach((booker, index) => {
    for (const value of [booker.phone && `tel:${booker.phone}`, booker.email && `mailto:${booker.email}`]) {
      if (!value) continue;
      const seen = firstWith.get(value);
      if (seen === undefined) firstWith.set(value, index);
      else union(seen, index);
    }
  });
  const groups = new Map<number, T[]>();
  bookers.forEach((booker, index) => {
    const root = find(index);
    const group = groups.get(root);
    if (group) group.push(booker.item);
    else groups.set(root, [booker.item]);
  });
  return [...groups.values()];
}
