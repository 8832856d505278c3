import { describe, expect, it } from "vitest";
import { parseLocalInput, toLocalInput } from "./local-time.ts";

describe("datetime-local fields", () => {
  it("read the time as the team's wall clock, whatever zone the server is in", () => {
    const parsed = parseLocalInput("2025-10-27T17:00", "Europe/London");
    expect(parsed).toEqual({ ok: true, value: new Date("2025-10-27T17:00:00Z") });
    expect(parseLocalInput("2025-07-01T17:00", "Europe/London")).toEqual({
      ok: true,
      value: new Date("2025-07-01T16:00:00Z"),
    });
    expect(toLocalInput(new Date("2025-07-01T16:00:00Z"), "Europe/London")).toBe("2025-07-01T17:00");
  });

  it("say why a time cannot be booked", () => {
    expect(parseLocalInput("tomorrow", "Europe/London")).toMatchObject({ ok: false });
    // The clocks go forward at 01:00 on 30 March 2025: 01:30 never happens in London.
    const skipped = parseLocalInput("2025-03-30T01:30", "Europe/London");
    expect(skipped.ok ? "" : skipped.error).toContain("does not exist");
  });
});
