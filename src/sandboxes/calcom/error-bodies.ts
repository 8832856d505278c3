/**
 * Error answers as API v2 gives them. Handled errors come in the envelope of
 * apps/api/v2/src/filters/http-exception.filter.ts, `details` being the NestJS exception's response;
 * unhandled ones are NestJS's bare `{"statusCode":500,"message":"Internal server error"}`.
 * Fixtures: test/fixtures/calcom/api-v2-error-*.json.
 */

/** A failure a route decided on; the app turns it into the envelope. */
export type ApiFailure = {
  status: number;
  /** The NestJS exception's name, e.g. `BadRequestException`. */
  code: string;
  message: string;
  /** Omitted from the envelope when undefined. */
  details?: unknown;
};

/** One class-validator error, as the ValidationPipe reports it in `details.errors`. */
export type ValidationError = {
  target?: Record<string, unknown>;
  value: unknown;
  property: string;
  children: ValidationError[];
  constraints?: Record<string, string>;
};

const HTTP_ERROR_NAMES: Record<number, [code: string, error: string]> = {
  400: ["BadRequestException", "Bad Request"],
  401: ["UnauthorizedException", "Unauthorized"],
  403: ["ForbiddenException", "Forbidden"],
  404: ["NotFoundException", "Not Found"],
  409: ["ConflictException", "Conflict"],
  422: ["UnprocessableEntityException", "Unprocessable Entity"],
};

/** `throw new XxxException(message)`: the envelope's details repeat the message with the status. */
export function httpFailure(status: number, message: string): ApiFailure {
  const [code, error] = HTTP_ERROR_NAMES[status] ?? ["HttpException", "Error"];
  return { status, code, message, details: { message, error, statusCode: status } };
}

export const badRequest = (message: string) => httpFailure(400, message);
export const notFound = (message: string) => httpFailure(404, message);

/** The ValidationPipe's answer: a useless message, the real reasons in `details.errors`. */
export function validationFailure(errors: ValidationError[]): ApiFailure {
  return { status: 400, code: "BadRequestException", message: "Bad Request Exception", details: { errors } };
}

/** A single failed constraint on one property. */
export function invalidProperty(
  property: string,
  value: unknown,
  constraint: string,
  message: string,
  target?: Record<string, unknown>,
): ValidationError {
  return {
    ...(target ? { target } : {}),
    value,
    property,
    children: [],
    constraints: { [constraint]: message },
  };
}

/** The throttler's 429: its `details` is the message string itself (fixture api-v2-error-429-throttled.json). */
export function throttledFailure(): ApiFailure {
  const message = "CustomThrottlerGuard - Too many requests. Please try again later.";
  return { status: 429, code: "ThrottlerException", message, details: message };
}

export function unknownApiKeyFailure(): ApiFailure {
  return httpFailure(401, "CustomThrottlerGuard - Invalid API Key");
}

/** apps/api/v2/src/modules/auth/strategies/api-auth/api-auth.strategy.ts, no credentials at all. */
export function missingCredentialsFailure(): ApiFailure {
  return httpFailure(
    401,
    "No authentication method provided. Either pass an API key as 'Bearer' header or OAuth client credentials as 'x-cal-secret-key' and 'x-cal-client-id' headers",
  );
}

export function errorEnvelope(failure: ApiFailure, requestPath: string, timestamp: string) {
  return {
    status: "error",
    timestamp,
    path: requestPath,
    error: {
      code: failure.code,
      message: failure.message,
      ...(failure.details !== undefined ? { details: failure.details } : {}),
    },
  };
}

/** What answers when no filter handled the error, or a gateway in front failed. */
export function bareServerError(status: number): { statusCode: number; message: string } {
  const messages: Record<number, string> = {
    500: "Internal server error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
  };
  return { statusCode: status, message: messages[status] ?? "Internal server error" };
}
