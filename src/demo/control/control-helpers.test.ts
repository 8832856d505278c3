import { describe, expect, it } from "vitest";
import { isValidCsrfToken, newCsrfToken } from "./csrf.ts";
import { html } from "./html.ts";
import { parseLocalInput, toLocalInput } from "./local-time.ts";

describe("html``", () => {
  it("escapes every interpolated value, in text and in attributes, but not nested html``", () => {
    const name = `"><script>alert('x')</script>&`;
    const out = html`<a title="${name}">${name}</a>${html`<b>${name}</b>`}`.text;
    expect(out).not.toContain("<script>");
    expect(out).toBe(
      '<a title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">' +
        "&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</a>" +
        "<b>&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</b>",
    );
  });

  it("joins lists and leaves out null, undefined and false", () => {
    expect(html`${["<1>", 2]}${null}${undefined}${false}`.text).toBe("&lt;1&gt;2");
  });
});

describe("the CSRF token", () => {
  it("accepts only the exact token", () => {
    const token = newCsrfToken();
    expect(isValidCsrfToken(token, token)).toBe(true);
    expect(isValidCsrfToken(token, `${token}x`)).toBe(false);
    expect(
      isValidCsrfToken(
        token,
        token.replace(/.$/, (c) => (c === "a" ? "b" : "a")),
      ),
    ).toBe(false);
    expect(isValidCsrfToken(token, undefined)).toBe(false);
    expect(isValidCsrfToken(token, [token, token])).toBe(false);
    expect(newCsrfToken()).not.toBe(token);
  });
});

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
