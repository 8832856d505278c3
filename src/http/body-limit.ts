import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";

/** A form or a JSON request of calsync's is well under a kilobyte; 16 KB leaves room and no more. */
export const FORM_BODY_LIMIT_BYTES = 16 * 1024;

/**
 * Caps a request's body before anything reads it, authentication included, so an anonymous sender cannot
 * make calsync buffer or parse megabytes. A declared Content-Length over the limit is refused at once; a
 * chunked body is counted as it arrives and refused as soon as it passes the limit.
 */
export function limitBody(tooLarge: (c: Context) => Response | Promise<Response>): MiddlewareHandler {
  return bodyLimit({ maxSize: FORM_BODY_LIMIT_BYTES, onError: tooLarge });
}

export const TOO_LARGE_MESSAGE = `The request body is larger than ${FORM_BODY_LIMIT_BYTES / 1024} KB.`;
