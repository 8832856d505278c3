import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestDemo, type TestDemo } from "../../../test/support/start-test-demo.ts";
import { formatBookingTime } from "../../core/booking-time.ts";
import { DEMO_ROWS } from "../seed-leads.ts";
import { toLocalInput } from "./local-time.ts";

const TZ = "Europe/London";

describe("the demo control page", () => {
  let demo: TestDemo;
  let csrf: string;
  /** The session cookie, kept as a browser keeps it: the form token belongs to this session. */
  let cookie = "";
  beforeAll(async () => {
    demo = await startTestDemo();
    csrf = /name="_csrf" value="([^"]+)"/.exec(await page())?.[1] ?? "";
  });
  afterAll(async () => {
    await demo?.close();
  });

  const page = async (query = "") => {
    const response = await fetch(`${demo.controlUrl}${query}`, { headers: { cookie } });
    const session = response.headers.getSetCookie().find((line) => line.startsWith("calsync_session="));
    if (session) cookie = session.split(";")[0] ?? "";
    expect(response.status).toBe(200);
    return response.text();
  };
  /** Posts a form as the browser does and follows the redirect to the page with the action's notice. */
  const submit = async (action: string, fields: Record<string, string>, token = csrf) => {
    const response = await fetch(`${demo.controlUrl}/${action}`, {
      method: "POST",
      body: new URLSearchParams({ ...fields, ...(token ? { _csrf: token } : {}) }),
      headers: { cookie },
      redirect: "manual",
    });
    if (response.status !== 303) return { status: response.status, html: await response.text() };
    const location = response.headers.get("location") ?? "";
    expect(location).toMatch(/^\/demo\?notice=[0-9a-f]+$/);
    const html = await (await fetch(new URL(location, demo.url), { headers: { cookie } })).text();
    return { status: response.status, html };
  };
  const bookingOf = (role: string) => {
    const booking = demo.seed.bookings.find((b) => b.role === role);
    if (!booking) throw new Error(`no ${role} booking in the seed`);
    return booking;
  };

  it("lists the bookings with their times in TIMEZONE, the sheet, and what the first sync did", async () => {
    const html = await page();
    expect(html).toContain("Mark Greenall");
    expect(html).toContain("mark.greenall@example.com");
    expect(html).toMatch(/<strong>\w{3} \d{1,2} \w{3}, 17:00<\/strong> · booked/);
    expect(html).toContain("rescheduled → ");
    expect(html).toContain('id="row-45"');
    expect(html).toContain("CALL_BOOKED");
    expect(html).toContain("Cal.com sync completed: 27 row(s) written");
    expect(html).toContain('action="/demo/sync"');
  });

  it("answers 413 to a form over 16 KB before reading it, and books nothing", async () => {
    const before = demo.calcom?.bookings().length;
    const answer = await submit("book", {
      name: "x".repeat(20 * 1024),
      email: "big@example.com",
      start: toLocalInput(new Date(demo.seededAt.getTime() + 5 * 86_400_000), TZ),
    });
    expect(answer.status).toBe(413);
    expect(demo.calcom?.bookings().length).toBe(before);
  });

  it("refuses a form without the page's CSRF token, and leaves the booking alone", async () => {
    const mark = bookingOf("mark");
    for (const token of ["", "forged-token"]) {
      const answer = await submit("cancel", { uid: mark.seed.uid }, token);
      expect(answer.status).toBe(403);
    }
    expect(demo.calcom?.booking(mark.seed.uid)?.status).toBe("accepted");
  });

  it("cancels a booking in Cal.com and, once calsync has the webhook, the row shows CALL_CANCELLED", async () => {
    const { seed, row } = bookingOf("mark");
    expect(demo.cell(`A${row}`)).toBe("CALL_BOOKED");

    const answer = await submit("cancel", { uid: seed.uid });
    await demo.webhooksIdle();

    expect(demo.calcom?.booking(seed.uid)?.status).toBe("cancelled");
    expect(demo.cell(`A${row}`)).toBe("CALL_CANCELLED");
    expect(demo.cell(`X${row}`)).toBe("");
    expect(answer.html).toContain("Mark Greenall cancelled the call");
    expect(answer.html).toContain("BOOKING_CANCELLED webhook, HTTP 200");
    expect(demo.printed.join("\n")).toContain("demo: Mark Greenall cancelled the call");
  });

  it("reschedules a booking, and the row follows it to the new time", async () => {
    const { seed, row } = bookingOf("matched");
    const newStart = new Date(seed.start.getTime() + 7 * 86_400_000);

    const answer = await submit("reschedule", { uid: seed.uid, start: toLocalInput(newStart, TZ) });
    await demo.webhooksIdle();

    expect(answer.html).toContain("BOOKING_RESCHEDULED webhook, HTTP 200");
    expect(demo.cell(`X${row}`)).toBe(formatBookingTime(newStart, TZ));
  });

  it("books a call for someone new, who is added to the sheet, and shows their name as text", async () => {
    const start = new Date(demo.seededAt.getTime() + 9 * 86_400_000);
    start.setUTCHours(11, 0, 0, 0);
    const name = "<img src=x onerror=alert(1)> Example";

    const answer = await submit("book", {
      name,
      email: "zed@example.com",
      phone: "",
      start: toLocalInput(start, TZ),
    });
    await demo.webhooksIdle();

    expect(answer.html).not.toContain("<img src=x");
    expect(answer.html).toContain("&lt;img src=x onerror=alert(1)&gt; Example");
    const row = DEMO_ROWS.unknownBooker + 1;
    expect(demo.cell(`A${row}`)).toBe("CALL_BOOKED");
    expect(demo.cell(`E${row}`)).toBe("zed@example.com");
    expect(demo.cell(`X${row}`)).toBe(formatBookingTime(start, TZ));
  });

  it("says why a booking could not be made", async () => {
    const answer = await submit("book", {
      name: "Too Late",
      email: "late@example.com",
      start: "2020-01-01T10:00",
    });
    expect(answer.html).toContain('class="notice error"');
    expect(answer.html).toContain("in the past");
  });

  it("types into a sheet cell as a person would, and the next sync keeps the person's edit", async () => {
    const row = DEMO_ROWS.twoCalls;
    await submit("cell", { cell: `a${row}`, value: "HOT" });
    expect(demo.cell(`A${row}`)).toBe("HOT");

    await submit("cell", { cell: "D2", value: "07700 900002" });
    // USER_ENTERED: the leading zero is lost, as in Google Sheets.
    expect(demo.cell("D2")).toBe("7700900002");

    const answer = await submit("sync", {});
    expect(answer.html).toContain("Cal.com sync completed");
    expect(demo.cell(`A${row}`)).toBe("HOT");
  });

  it("escapes what people type into the sheet, and prefills a cell's text for editing", async () => {
    await submit("cell", { cell: "U5", value: `<script>alert("x")</script>` });
    const html = await page("?edit=U5&cols=all");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
    expect(html).toMatch(/name="cell"[^>]*value="U5"/);
  });
});
