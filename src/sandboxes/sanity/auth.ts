import type { SandboxContext } from "./sandbox-context.ts";
import { sessionDoesNotMatchProject, sessionNotFound } from "./sanity-errors.ts";

/** Who is asking: a known token, or nobody. */
export type Caller = { authenticated: boolean };

/**
 * Token check as the real API does it. A token it does not know is refused on every endpoint, reads of a
 * public dataset included (401 SIO-401-ANF, sanity-io/sanity#2451). No token at all is an anonymous
 * caller: the sandbox's dataset is private, so anonymous queries see no documents and anonymous mutations
 * are refused with 403 insufficient permissions, which is what Sanity answers for a private dataset.
 * https://www.sanity.io/docs/content-lake/keeping-your-data-safe
 */
export function identifyCaller(
  headers: { authorization: string | undefined; projectId: string | undefined },
  context: SandboxContext,
): Caller {
  const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization?.trim() ?? "");
  const token = bearer?.[1]?.trim();
  if (token === undefined) {
    if (headers.authorization !== undefined && headers.authorization.trim() !== "") throw sessionNotFound();
    return { authenticated: false };
  }
  if (!context.tokens.has(token)) throw sessionNotFound();
  // With a custom API host the client names the project in this header instead of the hostname.
  if (headers.projectId !== undefined && headers.projectId !== context.projectId)
    throw sessionDoesNotMatchProject();
  return { authenticated: true };
}
