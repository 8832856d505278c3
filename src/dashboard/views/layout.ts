import type { WebhookHealth } from "../../core/webhook-health.ts";
import { type Html, html, trusted } from "./html.ts";
import { STYLES } from "./styles.ts";

export type NavKey = "overview" | "leads" | "attention" | "history" | "none";

/** A one-off message shown at the top of the next page (after a form's redirect). */
export type Flash = { kind: "ok" | "error"; text: string };

/** What every page frame needs: who is looking, their form token, and the team's time zone. */
export type Frame = {
  csrf: string;
  timeZone: string;
  /** Shows the log-out button (only when a password protects the dashboard). */
  canLogOut: boolean;
  flash?: Flash | null;
  /** Shown as a banner on every page when degraded (the webhook subscription is probably gone). */
  webhooks?: WebhookHealth | null;
};

const NAV: { key: Exclude<NavKey, "none">; href: string; label: string }[] = [
  { key: "overview", href: "/dashboard", label: "Overview" },
  { key: "leads", href: "/dashboard/leads", label: "Leads" },
  { key: "attention", href: "/dashboard/attention", label: "Needs attention" },
  { key: "history", href: "/dashboard/history", label: "Sync history" },
];

/** The hidden field every dashboard form carries (see guard.ts). */
export function csrfField(csrf: string): Html {
  return html`<input type="hidden" name="_csrf" value="${csrf}">`;
}

export function page(frame: Frame, args: { title: string; active: NavKey; body: Html }): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${args.title} · calsync</title>
<style>${trusted(STYLES)}</style>
</head>
<body>
<header class="top"><div class="bar">
<a class="brand" href="/dashboard">calsync</a>
<nav aria-label="Dashboard">${NAV.map(
    (item) =>
      html`<a href="${item.href}"${item.key === args.active ? trusted(' aria-current="page"') : ""}>${item.label}</a>`,
  )}</nav>
<form method="post" action="/dashboard/sync">${csrfField(frame.csrf)}<button type="submit">Sync now</button></form>
${
  frame.canLogOut
    ? html`<form method="post" action="/dashboard/logout">${csrfField(frame.csrf)}<button type="submit">Log out</button></form>`
    : ""
}
</div></header>
<main>
${frame.webhooks?.status === "degraded" ? webhookBanner(frame.webhooks) : ""}
${frame.flash ? html`<div class="notice ${frame.flash.kind}" role="status">${frame.flash.text}</div>` : ""}
${args.body}
</main>
<footer>Times are in ${frame.timeZone}.</footer>
</body>
</html>`;
}

function webhookBanner(health: WebhookHealth): Html {
  return html`<div class="notice error" id="webhook-banner" role="alert"><strong>Cal.com webhooks seem to have stopped.</strong>
No delivery has arrived for ${health.silenceHours} hours while polls found ${health.missedInSilence} change(s) Cal.com
should have sent: the subscription is probably gone. Re-register it with
<code>calsync webhooks register --url https://&lt;your host&gt;</code>. Until then calsync catches changes at each
scheduled sync. <a href="/dashboard/webhooks">Webhook deliveries</a></div>`;
}

/** A page outside the dashboard frame: login, refusal, errors. */
export function plainPage(title: string, body: Html): Html {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · calsync</title>
<style>${trusted(STYLES)}</style>
</head>
<body>
<header class="top"><div class="bar"><a class="brand" href="/dashboard">calsync</a></div></header>
<main>${body}</main>
</body>
</html>`;
}

export function statusBadge(status: string | null | undefined, hotStatuses: readonly string[]): Html {
  const text = (status ?? "").trim();
  if (text === "") return html`<span class="badge">no status</span>`;
  const upper = text.toUpperCase();
  const tone = hotStatuses.includes(upper)
    ? "hot"
    : upper.includes("BOOKED")
      ? "ok"
      : upper.includes("CANCEL")
        ? "bad"
        : "";
  return html`<span class="badge ${tone}">${text}</span>`;
}
