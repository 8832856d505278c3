import type { MiddlewareHandler } from "hono";
import { secureHeaders } from "hono/secure-headers";

/**
 * Pages hold lead data and forms: no script runs on them at all (script-src 'none', so markup slipped into
 * a lead's name could never run), they post only here, another site may never frame them (clickjacking a
 * "Book call"), a shared proxy never caches them, and links out carry no dashboard URL. Styles are inline
 * (one <style> and a few style attributes). HSTS is left to whoever terminates TLS in front of calsync: it
 * binds every subdomain of the host, which is that operator's choice to make.
 */
export function pageHeaders(): MiddlewareHandler {
  const headers = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'none'"],
      styleSrc: ["'unsafe-inline'"],
      imgSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
    xFrameOptions: "DENY",
    referrerPolicy: "same-origin",
    strictTransportSecurity: false,
  });
  return async (c, next) => {
    await headers(c, next);
    c.res.headers.set("Cache-Control", "no-store");
  };
}
