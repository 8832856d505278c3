import type { Hono } from "hono";

/**
 * A visitor of the dashboard without a browser, for HTTP-level tests: keeps cookies as a browser would
 * (per name, latest wins, cleared by Max-Age=0), follows nothing by itself, and finds form tokens in pages.
 * It talks to an app in-process, or to a running server by its URL (then the server sees a real connection).
 */
export type PageClient = {
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  /** Posts a form as a browser does: urlencoded, with the page's Origin. */
  post(path: string, fields: Record<string, string>, headers?: Record<string, string>): Promise<Response>;
  /** The CSRF token of the last page fetched with `get`. */
  csrf(): string;
  cookies: Map<string, string>;
};

export function pageClient(target: Hono | string, origin = "http://127.0.0.1:3000"): PageClient {
  const cookies = new Map<string, string>();
  let lastPage = "";
  const base = typeof target === "string" ? target : origin;
  const send = async (path: string, init: RequestInit) => {
    const headers = new Headers(init.headers);
    if (typeof target !== "string" && !headers.has("host")) headers.set("host", new URL(origin).host);
    if (cookies.size > 0) headers.set("cookie", [...cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const request = { ...init, headers, redirect: "manual" as const };
    const response =
      typeof target === "string"
        ? await fetch(`${target}${path}`, request)
        : await target.request(`${origin}${path}`, request);
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired) cookies.delete(name);
      else cookies.set(name, pair.slice(eq + 1).trim());
    }
    return response;
  };
  return {
    cookies,
    async get(path, headers = {}) {
      const response = await send(path, { method: "GET", headers });
      lastPage = await response.clone().text();
      return response;
    },
    post(path, fields, headers = {}) {
      return send(path, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: base, ...headers },
        body: new URLSearchParams(fields).toString(),
      });
    },
    csrf() {
      const match = /name="_csrf" value="([^"]+)"/.exec(lastPage);
      if (!match?.[1]) throw new Error("the last page has no form token");
      return match[1];
    },
  };
}
