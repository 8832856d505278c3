import { describe, expect, it } from "vitest";
import { html } from "./html.ts";

describe("html``", () => {
  it("escapes every interpolated value, in text and in attributes, but not nested html``", () => {
    const name = `"><script>alert('x')</script>&`;
    const out = html`<a title="${name}">${name}</a>${html`<b>${name}</b>`}`.toString();
    expect(out).not.toContain("<script>");
    expect(out).toBe(
      '<a title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;">' +
        "&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</a>" +
        "<b>&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;</b>",
    );
  });

  it("joins lists and leaves out null, undefined and false", () => {
    expect(html`${["<1>", 2]}${null}${undefined}${false}`.toString()).toBe("&lt;1&gt;2");
  });
});
