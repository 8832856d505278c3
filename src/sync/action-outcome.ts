import { CalsyncError, describeError, FAILURE_STATUS, UpstreamError } from "../errors.ts";

/**
 * What a dashboard action answers: done, or refused with an HTTP status and a sentence for the person.
 * 400 bad input · 404 no such lead or booking · 409 the sheet changed or a run holds the lock ·
 * 422 the request is understood but cannot be done (e.g. Cal.com refused the slot) · 502 a system failed.
 */
export type ActionFailure = { ok: false; status: 400 | 404 | 409 | 422 | 500 | 502; message: string };

export const refuse = (status: ActionFailure["status"], message: string): ActionFailure => ({
  ok: false,
  status,
  message,
});

/** Maps what an action threw to a failure a person can act on. */
export function failureOf(thrown: unknown): ActionFailure {
  if (thrown instanceof UpstreamError) {
    // Cal.com refusing the request itself (slot taken, in the past) is the person's to fix; anything else is ours.
    const refused = thrown.system === "calcom" && [400, 409, 422].includes(thrown.status ?? 0);
    return refuse(refused ? 422 : 502, describeError(thrown).message);
  }
  if (thrown instanceof CalsyncError) {
    return refuse(FAILURE_STATUS[thrown.code].http, describeError(thrown).message);
  }
  throw thrown;
}
