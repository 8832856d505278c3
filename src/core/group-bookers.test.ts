import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { groupByPerson } from "./group-bookers.ts";

describe("groupByPerson", () => {
  it("puts bookings that share a phone or an email, directly or through a chain, in one group", () => {
    const groups = groupByPerson([
      { item: "P+E", phone: "+447700900001", email: "ann@example.com" },
      { item: "E", phone: null, email: "ann@example.com" },
      { item: "E+P2", phone: "+447700900002", email: "ann@example.com" },
      { item: "P2", phone: "+447700900002", email: null },
      { item: "other", phone: "+447700900003", email: "bob@example.com" },
    ]);
    expect(groups).toEqual([["P+E", "E", "E+P2", "P2"], ["other"]]);
  });

  it("keeps bookings with nothing in common apart, and every booking in exactly one group", () => {
    const identity = fc.record({
      phone: fc.option(fc.constantFrom("+1", "+2", "+3", "+4"), { nil: null }),
      email: fc.option(fc.constantFrom("a@x", "b@x", "c@x"), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(identity, { maxLength: 30 }), (identities) => {
        const bookers = identities.map((id, item) => ({ item, ...id }));
        const groups = groupByPerson(bookers);
        expect(groups.flat().sort((a, b) => a - b)).toEqual(bookers.map((b) => b.item));
        const groupOf = new Map(groups.flatMap((group, g) => group.map((item) => [item, g])));
        for (const a of bookers) {
          for (const b of bookers) {
            const share = (a.phone && a.phone === b.phone) || (a.email && a.email === b.email);
            if (share) expect(groupOf.get(a.item)).toBe(groupOf.get(b.item));
          }
        }
        // Groups are as small as the shared values allow: each group is connected through them.
        for (const group of groups) {
          const reached = new Set([group[0]]);
          let grew = true;
          while (grew) {
            grew = false;
            for (const x of group) {
              if (reached.has(x)) continue;
              const bx = bookers[x as number];
              const linked = [...reached].some((y) => {
                const by = bookers[y as number];
                return (bx?.phone && bx.phone === by?.phone) || (bx?.email && bx.email === by?.email);
              });
              if (linked) {
                reached.add(x);
                grew = true;
              }
            }
          }
          expect(reached.size).toBe(group.length);
        }
      }),
    );
  });
});
