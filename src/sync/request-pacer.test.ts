import { expect, it } from "vitest";
import { createRequestPacer } from "./request-pacer.ts";

it("lets at most `perSecond` requests through in any second, waiting for the window to move", async () => {
  let clock = 0;
  const sent: number[] = [];
  const pacer = createRequestPacer({
    perSecond: 3,
    now: () => clock,
    sleep: async (ms) => {
      clock += ms;
    },
  });
  for (let i = 0; i < 7; i++) {
    await pacer.wait();
    sent.push(clock);
    clock += 10;
  }
  for (const at of sent) expect(sent.filter((t) => t > at - 1_000 && t <= at).length).toBeLessThanOrEqual(3);
  expect(sent.slice(0, 3)).toEqual([0, 10, 20]);
});
