import { type Html, html } from "./html.ts";
import { csrfField, plainPage } from "./layout.ts";

export function loginPage(view: {
  csrf: string;
  next: string;
  error: string | null;
  /** Plain http to a host other than this machine: the browser will not keep the Secure login cookie. */
  insecure: boolean;
}): Html {
  return plainPage(
    "Log in",
    html`<section class="card" style="max-width:420px;margin:24px auto">
<h1>Log in to the dashboard</h1>
${view.error ? html`<div class="notice error" role="alert">${view.error}</div>` : ""}
${
  view.insecure
    ? html`<div class="notice error" role="alert">This page was not served over HTTPS, so your browser will not keep the login. Serve calsync behind HTTPS.</div>`
    : ""
}
<form method="post" action="/dashboard/login">
${csrfField(view.csrf)}
<input type="hidden" name="next" value="${view.next}">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required autofocus>
<p><button type="submit">Log in</button></p>
</form>
<p class="meta">The password is DASHBOARD_PASSWORD from calsync's environment.</p>
</section>`,
  );
}
