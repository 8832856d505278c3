import type { Hono } from "hono";
import type { ApiBooking } from "../../calcom/types.ts";
import type { Result } from "../../core/result.ts";
import type { BookingActions } from "./booking-actions.ts";
import {
  parseCancelBody,
  parseCreateBookingBody,
  parseDeclineBody,
  parseRescheduleBody,
} from "./booking-input.ts";
import { type ApiFailure, notFound } from "./error-bodies.ts";
import {
  answerFailure,
  joinedQuery,
  readJsonBody,
  type SandboxContext,
  type SandboxEnv,
  success,
} from "./http-helpers.ts";
import { parseListQuery, selectBookings } from "./list-bookings.ts";
import type { BookingStore, StoredBooking } from "./store.ts";

export type BookingRouteDeps = {
  store: BookingStore;
  actions: BookingActions;
  toApi: (booking: StoredBooking) => ApiBooking;
  now: () => Date;
};

/**
 * The bookings endpoints of API v2, 2024-08-13 (spec paths `/v2/bookings…`): list, get, create (201),
 * cancel (200), reschedule (201, answering the NEW booking), confirm and decline (200). Every request
 * here is by the API key's owner, i.e. the host.
 */
export function registerBookingRoutes(app: Hono<SandboxEnv>, deps: BookingRouteDeps): void {
  const { store, actions, toApi } = deps;
  const timestamp = () => deps.now().toISOString();
  const fail = (c: SandboxContext, failure: ApiFailure) => answerFailure(c, failure, timestamp());
  const answer = (c: SandboxContext, result: Result<StoredBooking, ApiFailure>, status: 200 | 201) =>
    result.ok ? success(c, toApi(result.value), status) : fail(c, result.error);

  app.get("/v2/bookings", (c) => {
    const query = parseListQuery(joinedQuery(c));
    if (!query.ok) return fail(c, query.error);
    const visible = store.all().filter((booking) => !store.isHidden(booking.uid));
    const { items, pagination } = selectBookings(visible, query.value, deps.now());
    return c.json({ status: "success", data: items.map(toApi), pagination });
  });

  app.post("/v2/bookings", async (c) => {
    const body = await readJsonBody(c);
    if (!body.ok) return fail(c, body.error);
    const request = parseCreateBookingBody(body.value);
    if (!request.ok) return fail(c, request.error);
    return answer(c, await actions.create(request.value), 201);
  });

  app.get("/v2/bookings/:uid", (c) => {
    const uid = c.req.param("uid");
    const booking = store.isHidden(uid) ? undefined : store.get(uid);
    if (!booking) return fail(c, notFound(`Booking with uid=${uid} was not found in the database`));
    return success(c, toApi(booking));
  });

  app.post("/v2/bookings/:uid/cancel", async (c) => {
    const body = await readJsonBody(c);
    if (!body.ok) return fail(c, body.error);
    const request = parseCancelBody(body.value);
    if (!request.ok) return fail(c, request.error);
    return answer(
      c,
      await actions.cancel(c.req.param("uid"), {
        reason: request.value.reason,
        by: "host",
        seatUid: request.value.seatUid,
      }),
      200,
    );
  });

  app.post("/v2/bookings/:uid/reschedule", async (c) => {
    const body = await readJsonBody(c);
    if (!body.ok) return fail(c, body.error);
    const request = parseRescheduleBody(body.value);
    if (!request.ok) return fail(c, request.error);
    const { start, reason, seatUid, rescheduledBy } = request.value;
    return answer(
      c,
      await actions.reschedule(c.req.param("uid"), { start, reason, by: "host", seatUid, rescheduledBy }),
      201,
    );
  });

  app.post("/v2/bookings/:uid/confirm", async (c) =>
    answer(c, await actions.confirm(c.req.param("uid")), 200),
  );

  app.post("/v2/bookings/:uid/decline", async (c) => {
    const body = await readJsonBody(c);
    if (!body.ok) return fail(c, body.error);
    const request = parseDeclineBody(body.value);
    if (!request.ok) return fail(c, request.error);
    return answer(c, await actions.decline(c.req.param("uid"), request.value.reason), 200);
  });
}
