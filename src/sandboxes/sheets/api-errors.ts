/**
 * Google's error body, `{ error: { code, message, status, details? } }`, with the canonical status name
 * for each HTTP code. https://cloud.google.com/apis/design/errors#http_mapping
 *
 * Handlers throw SheetsApiError and the router turns it into the response, the way Hono's HTTPException
 * works: any step of a request may end it with Google's answer.
 */

const STATUS_NAMES: Record<number, string> = {
  400: "INVALID_ARGUMENT",
  401: "UNAUTHENTICATED",
  403: "PERMISSION_DENIED",
  404: "NOT_FOUND",
  409: "ABORTED",
  429: "RESOURCE_EXHAUSTED",
  500: "INTERNAL",
  501: "NOT_IMPLEMENTED",
  502: "UNAVAILABLE",
  503: "UNAVAILABLE",
  504: "DEADLINE_EXCEEDED",
};

/** The messages Google sends with each status when nothing more specific applies. */
const DEFAULT_MESSAGES: Record<number, string> = {
  400: "Request contains an invalid argument.",
  401: "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
  403: "The caller does not have permission",
  404: "Requested entity was not found.",
  409: "The operation was aborted.",
  429: "Resource has been exhausted (e.g. check quota).",
  500: "Internal error encountered.",
  502: "Bad Gateway",
  503: "The service is currently unavailable.",
  504: "Deadline exceeded.",
};

export type GoogleErrorBody = {
  error: { code: number; message: string; status: string; details?: unknown[] };
};

export class SheetsApiError extends Error {
  constructor(
    readonly code: number,
    message = DEFAULT_MESSAGES[code] ?? "Unknown error.",
    readonly details?: unknown[],
  ) {
    super(message);
    this.name = "SheetsApiError";
  }

  get status(): string {
    return STATUS_NAMES[this.code] ?? (this.code >= 500 ? "INTERNAL" : "UNKNOWN");
  }

  toBody(): GoogleErrorBody {
    const error = { code: this.code, message: this.message, status: this.status };
    return { error: this.details ? { ...error, details: this.details } : error };
  }
}

export const invalidArgument = (message: string) => new SheetsApiError(400, message);

export const notFound = () => new SheetsApiError(404);

/** The real API says this for a sheet name it does not know as well as for broken syntax. */
export const unableToParseRange = (range: string) => invalidArgument(`Unable to parse range: ${range}`);

export const missingCredentials = () =>
  new SheetsApiError(
    401,
    "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
  );

export const invalidCredentials = () => new SheetsApiError(401);

export const insufficientScopes = () =>
  new SheetsApiError(403, "Request had insufficient authentication scopes.");

/** A request inside spreadsheets.batchUpdate, named as Google names it: `Invalid requests[2].addSheet: ...`. */
export const invalidRequest = (index: number, kind: string, reason: string) =>
  invalidArgument(`Invalid requests[${index}].${kind}: ${reason}`);
