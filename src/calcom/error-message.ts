import { apiErrorEnvelopeSchema, bareErrorSchema } from "./types.ts";

const MAX_TEXT = 300;

/**
 * The human part of a Cal.com error answer, whichever of its shapes it came in: the envelope's
 * `error.message`, with the validation constraints when the message is only "Bad Request Exception";
 * the bare `{statusCode, message}` of unhandled errors; or the start of a non-JSON body (a proxy's page).
 */
export function errorMessageFromBody(bodyText: string): string | null {
  const trimmed = bodyText.trim();
  if (trimmed === "") return null;
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    return trimmed.length > MAX_TEXT ? `${trimmed.slice(0, MAX_TEXT)}…` : trimmed;
  }
  const envelope = apiErrorEnvelopeSchema.safeParse(json);
  if (envelope.success) {
    const constraints = constraintMessages(envelope.data.error.details);
    return constraints.length > 0 ? constraints.join("; ") : envelope.data.error.message;
  }
  const bare = bareErrorSchema.safeParse(json);
  if (bare.success) {
    const { message } = bare.data;
    return Array.isArray(message) ? message.join("; ") : message;
  }
  return null;
}

/**
 * class-validator errors (`details.errors[].constraints`, nested in `children`) say what was wrong;
 * the envelope's own message for them is the uninformative "Bad Request Exception".
 */
function constraintMessages(details: unknown): string[] {
  if (!isRecord(details) || !Array.isArray(details.errors)) return [];
  const messages: string[] = [];
  const visit = (error: unknown) => {
    if (!isRecord(error)) return;
    if (isRecord(error.constraints)) {
      for (const message of Object.values(error.constraints)) {
        if (typeof message === "string") messages.push(message);
      }
    }
    if (Array.isArray(error.children)) error.children.forEach(visit);
  };
  details.errors.forEach(visit);
  return messages;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
