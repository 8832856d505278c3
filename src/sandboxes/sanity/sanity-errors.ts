import type { JsonObject } from "./json.ts";

/**
 * An answer the sandbox gives instead of a result, with the body Sanity gives in that case. Thrown anywhere
 * while handling a request; the app turns it into the HTTP response.
 *
 * Bodies marked "observed" were copied from real responses quoted in public issues and logs; the others
 * follow the same families (gateway errors in Boom form `{statusCode, error, message}`, Content Lake errors
 * as `{error: {description, type, ...}}`) with wording of our own.
 */
export class SanityHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: JsonObject,
    readonly headers: Record<string, string> = {},
  ) {
    super(`Sanity sandbox answered ${status}`);
    this.name = "SanityHttpError";
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Payload Too Large",
  429: "Too Many Requests",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/**
 * Gateway-style (Boom) body, e.g. `{"statusCode":503,"error":"Service Unavailable","message":"..."}`;
 * Boom's default message for a 500 is "An internal server error occurred".
 */
export function gatewayError(status: number, message?: string): SanityHttpError {
  const error = STATUS_TEXT[status] ?? "Error";
  const fallback = status === 500 ? "An internal server error occurred" : error;
  return new SanityHttpError(status, { statusCode: status, error, message: message ?? fallback });
}

/** Observed: a token the project does not know, on any endpoint (sanity-io/sanity#2451, sanity-io/squizzy#20). */
export function sessionNotFound(): SanityHttpError {
  return new SanityHttpError(401, {
    statusCode: 401,
    errorCode: "SIO-401-ANF",
    error: "Unauthorized",
    message: "Session not found",
  });
}

/** Observed wording: a token valid somewhere, but not for the project the request names. */
export function sessionDoesNotMatchProject(): SanityHttpError {
  return new SanityHttpError(401, {
    statusCode: 401,
    errorCode: "SIO-401-AWH",
    error: "Unauthorized",
    message: "Session does not match project host",
  });
}

/** Observed message, e.g. `Dataset "staging" not found for project ID "abc123"`. */
export function datasetNotFound(dataset: string, projectId: string): SanityHttpError {
  return new SanityHttpError(404, {
    statusCode: 404,
    error: "Dataset not found",
    message: `Dataset "${dataset}" not found for project ID "${projectId}"`,
  });
}

/**
 * The API gateway's rate-limit answer. Sanity's responses carry Kong's rate-limit headers
 * (`x-ratelimit-limit-second`, `ratelimit-reset`), and Kong's 429 body is this one; the client reports it
 * as "API rate limit exceeded". https://www.sanity.io/docs/content-lake/technical-limits
 */
export function rateLimited(retryAfterSeconds: number, limit: number): SanityHttpError {
  return new SanityHttpError(
    429,
    { message: "API rate limit exceeded" },
    {
      "retry-after": String(retryAfterSeconds),
      "ratelimit-limit": String(limit),
      "ratelimit-remaining": "0",
      "ratelimit-reset": String(retryAfterSeconds),
      "x-ratelimit-limit-second": String(limit),
      "x-ratelimit-remaining-second": "0",
    },
  );
}

/** Content Lake's answer to a malformed request (bad JSON, unknown keys, a parameter that is not JSON). */
export function badRequest(description: string): SanityHttpError {
  return new SanityHttpError(400, { error: { description, type: "httpBadRequest" } });
}

/**
 * Observed shape of a GROQ syntax error. `start`/`end` are offsets into `query`; @sanity/client prints
 * them as a code frame.
 */
export function queryParseError(
  query: string,
  description: string,
  start: number,
  end: number,
): SanityHttpError {
  return new SanityHttpError(400, { error: { description, end, query, start, type: "queryParseError" } });
}

/** Observed shape of the errors GROQ finds before running, e.g. `unknown function "foo"`: no position. */
export function queryError(description: string): SanityHttpError {
  return new SanityHttpError(400, { error: { description, type: "queryParseError" } });
}

/**
 * A rejected transaction: nothing of it was applied. Observed shape:
 * `{"error":{"description":"Mutation failed: <item>","items":[{"error":{...},"index":0}],"type":"mutationError"}}`.
 */
export function mutationFailed(
  status: number,
  index: number,
  item: { description: string; type: string } & JsonObject,
): SanityHttpError {
  return new SanityHttpError(status, {
    error: {
      description: `Mutation failed: ${item.description}`,
      items: [{ error: item, index }],
      type: "mutationError",
    },
  });
}

/** Observed (409): `create` of an id that exists. */
export function documentAlreadyExists(id: string, index: number): SanityHttpError {
  return mutationFailed(409, index, {
    description: `Document by ID "${id}" already exists`,
    id,
    type: "documentAlreadyExistsError",
  });
}

/** Observed (409): `ifRevisionID` that is not the document's current `_rev`. */
export function revisionMismatch(
  id: string,
  current: string,
  expected: string,
  index: number,
): SanityHttpError {
  return mutationFailed(409, index, {
    currentRevisionID: current,
    description: `Document "${id}" has unexpected revision ID ("${current}"), expected "${expected}"`,
    expectedRevisionID: expected,
    type: "documentRevisionIDDoesNotMatchError",
  });
}

/** A patch (by id) of a document that does not exist. Shape as the others; status and wording unverified. */
export function documentNotFound(id: string, index: number): SanityHttpError {
  return mutationFailed(404, index, {
    description: `Document "${id}" not found`,
    id,
    type: "documentNotFoundError",
  });
}

/** Observed (403): a mutation without a token, e.g. `Insufficient permissions; permission "create" required`. */
export function insufficientPermissions(
  permission: "create" | "update" | "delete",
  index: number,
): SanityHttpError {
  return mutationFailed(403, index, {
    description: `Insufficient permissions; permission "${permission}" required`,
    permission,
    type: "insufficientPermissionsError",
  });
}

/** Observed description (`Malformed document ID: "#x!"`); the item type is ours. */
export function malformedDocumentId(id: string, index: number): SanityHttpError {
  return mutationFailed(400, index, {
    description: `Malformed document ID: "${id}"`,
    id,
    type: "invalidDocumentIdError",
  });
}

/** A mutation the engine cannot carry out as asked (missing `_id`, insert into a non-array...). */
export function invalidMutation(description: string, index: number): SanityHttpError {
  return mutationFailed(400, index, { description, type: "invalidMutationError" });
}

/** What Sanity answers with `status`, for injected faults: 401 and 429 as above, the rest in Boom form. */
export function errorForStatus(status: number, mutationsPerSecond: number): SanityHttpError {
  if (status === 401) return sessionNotFound();
  if (status === 429) return rateLimited(1, mutationsPerSecond);
  return gatewayError(status);
}
