import type { HttpBindings } from "@hono/node-server";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { err, ok, type Result } from "../../core/result.ts";
import { type ApiFailure, badRequest, errorEnvelope } from "./error-bodies.ts";

/** The sandbox's Hono environment: Node's request objects (to drop connections) and per-request flags. */
export type SandboxEnv = { Bindings: HttpBindings; Variables: { dropped: boolean } };
export type SandboxContext = Context<SandboxEnv>;

/** `request.url` as Nest reports it in error envelopes: path and query string. */
export function requestPath(c: SandboxContext): string {
  const url = new URL(c.req.url);
  return `${url.pathname}${url.search}`;
}

export function answerFailure(c: SandboxContext, failure: ApiFailure, timestamp: string): Response {
  return c.json(errorEnvelope(failure, requestPath(c), timestamp), failure.status as ContentfulStatusCode);
}

export function success(c: SandboxContext, data: unknown, status: ContentfulStatusCode = 200): Response {
  return c.json({ status: "success", data }, status);
}

/** Query parameters with repeated ones joined by commas, the way the API's DTO transforms read them. */
export function joinedQuery(c: SandboxContext): Record<string, string> {
  return Object.fromEntries(
    Object.entries(c.req.queries()).map(([name, values]) => [name, values.join(",")]),
  );
}

/** The body as JSON; an empty body is `undefined`. Broken JSON is a 400, as Express's body parser gives. */
export async function readJsonBody(c: SandboxContext): Promise<Result<unknown, ApiFailure>> {
  const text = await c.req.text();
  if (text.trim() === "") return ok(undefined);
  try {
    return ok(JSON.parse(text));
  } catch (error) {
    return err(badRequest(error instanceof Error ? error.message : "The body is not valid JSON"));
  }
}
