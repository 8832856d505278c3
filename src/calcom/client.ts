import type { z } from "zod";
import { UpstreamError } from "../errors.ts";
import { createTransport, type TransportOptions } from "./transport.ts";
import {
  type ApiBooking,
  type ApiEventTypeWebhook,
  type ApiWebhook,
  BOOKINGS_API_VERSION,
  type BookingsPage,
  bookingEnvelopeSchema,
  bookingsPageSchema,
  type CancelBookingInput,
  type CreateBookingInput,
  type CreateWebhookInput,
  type DeclineBookingInput,
  eventTypeWebhookEnvelopeSchema,
  eventTypeWebhooksEnvelopeSchema,
  type ListBookingsFilters,
  type RescheduleBookingInput,
  type UpdateWebhookInput,
  webhookEnvelopeSchema,
  webhooksEnvelopeSchema,
} from "./types.ts";

export type CalcomClientOptions = TransportOptions;

export type CalcomClient = {
  /** One page of `GET /bookings`. */
  listBookings(filters?: ListBookingsFilters): Promise<BookingsPage>;
  /** Every booking matching the filters, following the pages 250 at a time. */
  listAllBookings(filters?: Omit<ListBookingsFilters, "take" | "skip">): Promise<ApiBooking[]>;
  getBooking(uid: string): Promise<ApiBooking>;
  createBooking(input: CreateBookingInput): Promise<ApiBooking>;
  cancelBooking(uid: string, input: CancelBookingInput): Promise<ApiBooking>;
  /** Returns the NEW booking: a reschedule gives the booking a new uid. */
  rescheduleBooking(uid: string, input: RescheduleBookingInput): Promise<ApiBooking>;
  confirmBooking(uid: string): Promise<ApiBooking>;
  declineBooking(uid: string, input?: DeclineBookingInput): Promise<ApiBooking>;
  listWebhooks(): Promise<ApiWebhook[]>;
  createWebhook(input: CreateWebhookInput): Promise<ApiWebhook>;
  updateWebhook(id: string, patch: UpdateWebhookInput): Promise<ApiWebhook>;
  deleteWebhook(id: string): Promise<ApiWebhook>;
  /** Every subscription scoped to one event type (`GET /event-types/{eventTypeId}/webhooks`). */
  listEventTypeWebhooks(eventTypeId: number): Promise<ApiEventTypeWebhook[]>;
  getEventTypeWebhook(eventTypeId: number, id: string): Promise<ApiEventTypeWebhook>;
  /** Cal.com answers 409 when the event type already has a subscription with this `subscriberUrl`. */
  createEventTypeWebhook(eventTypeId: number, input: CreateWebhookInput): Promise<ApiEventTypeWebhook>;
  updateEventTypeWebhook(
    eventTypeId: number,
    id: string,
    patch: UpdateWebhookInput,
  ): Promise<ApiEventTypeWebhook>;
  deleteEventTypeWebhook(eventTypeId: number, id: string): Promise<ApiEventTypeWebhook>;
};

/** The API's largest page (GetBookingsInput_2024_08_13: `@Max(250) take`). */
export const MAX_PAGE_SIZE = 250;
/** A guard against a server that always says there is a next page. */
const MAX_PAGES = 1000;
/**
 * Pages in flight at once after the first. 10,000 bookings are 40 pages, a third of Cal.com's 120 requests a
 * minute whatever the concurrency; 8 keeps a 50-100 ms round trip from adding up (a 429 is still retried).
 */
const PAGES_AT_ONCE = 8;

/**
 * A typed client for Cal.com API v2 (https://cal.com/docs/api-reference/v2). Bookings endpoints get
 * `cal-api-version: 2024-08-13`; the webhooks endpoints (user-level and event-type-scoped) document no
 * version header and get none.
 * Failures are UpstreamError (with the API's own message) or RateLimitedError once 429 retries run out.
 */
export function createCalcomClient(options: CalcomClientOptions): CalcomClient {
  const request = createTransport(options);
  const bookings = { apiVersion: BOOKINGS_API_VERSION };
  const webhooks = { apiVersion: null };
  const encode = encodeURIComponent;

  const listBookings = async (filters: ListBookingsFilters = {}): Promise<BookingsPage> => {
    const page = await request({
      method: "GET",
      path: "/bookings",
      query: bookingQuery(filters),
      schema: bookingsPageSchema,
      ...bookings,
    });
    return { bookings: page.data, pagination: page.pagination };
  };

  const bookingCall = (method: "GET" | "POST", path: string, body?: unknown) =>
    request({ method, path, body, schema: bookingEnvelopeSchema, ...bookings }).then((answer) => answer.data);

  /** A webhooks list (`take`/`skip`, no pagination block): pages of 250 until one comes back short. */
  const listAllWebhooks = async <T>(path: string, schema: z.ZodType<{ data: T[] }>): Promise<T[]> => {
    const all: T[] = [];
    for (let pageNumber = 0; pageNumber < MAX_PAGES; pageNumber++) {
      const page = await request({
        method: "GET",
        path,
        query: { take: String(MAX_PAGE_SIZE), skip: all.length > 0 ? String(all.length) : undefined },
        schema,
        ...webhooks,
      });
      all.push(...page.data);
      if (page.data.length < MAX_PAGE_SIZE) return all;
    }
    throw new UpstreamError("calcom", `GET ${path} kept returning full pages after ${MAX_PAGES} pages`);
  };
  const eventTypeWebhooks = (eventTypeId: number) => `/event-types/${encode(String(eventTypeId))}/webhooks`;
  const eventTypeWebhookCall = (
    method: "GET" | "POST" | "PATCH" | "DELETE",
    path: string,
    body?: unknown,
  ): Promise<ApiEventTypeWebhook> =>
    request({ method, path, body, schema: eventTypeWebhookEnvelopeSchema, ...webhooks }).then(
      (answer) => answer.data,
    );

  return {
    listBookings,

    async listAllBookings(filters = {}) {
      const page = (skip: number) => listBookings({ ...filters, take: MAX_PAGE_SIZE, skip });
      let last = await page(0);
      const all = [...last.bookings];
      // The first page says how many there are: fetch the rest a few pages at a time (at 100 ms per request,
      // 40 pages one after another are 4 s). Bookings arriving meanwhile may shift a page; callers key by uid.
      const skips: number[] = [];
      for (
        let skip = MAX_PAGE_SIZE;
        skip < last.pagination.totalItems && skips.length < MAX_PAGES;
        skip += MAX_PAGE_SIZE
      ) {
        skips.push(skip);
      }
      if (!last.pagination.hasNextPage) skips.length = 0;
      // A window rather than batches: a slow page holds up only its own slot, not the next few pages.
      const pages = await inWindow(skips, PAGES_AT_ONCE, page);
      for (const fetched of pages) all.push(...fetched.bookings);
      last = pages.at(-1) ?? last;
      // More arrived than the first page counted: read on, one page at a time, while pages come back full.
      let skip = MAX_PAGE_SIZE * (skips.length + 1);
      for (let guard = 0; last.pagination.hasNextPage && last.bookings.length === MAX_PAGE_SIZE; guard++) {
        if (guard >= MAX_PAGES)
          throw new UpstreamError(
            "calcom",
            `GET /bookings kept reporting a next page after ${MAX_PAGES} pages`,
          );
        last = await page(skip);
        all.push(...last.bookings);
        skip += MAX_PAGE_SIZE;
      }
      return all;
    },

    getBooking: (uid) => bookingCall("GET", `/bookings/${encode(uid)}`),
    createBooking: (input) => bookingCall("POST", "/bookings", input),
    cancelBooking: (uid, input) => bookingCall("POST", `/bookings/${encode(uid)}/cancel`, input),
    rescheduleBooking: (uid, input) => bookingCall("POST", `/bookings/${encode(uid)}/reschedule`, input),
    confirmBooking: (uid) => bookingCall("POST", `/bookings/${encode(uid)}/confirm`),
    declineBooking: (uid, input = {}) => bookingCall("POST", `/bookings/${encode(uid)}/decline`, input),

    listWebhooks: () => listAllWebhooks("/webhooks", webhooksEnvelopeSchema),
    createWebhook: (input) =>
      request({
        method: "POST",
        path: "/webhooks",
        body: input,
        schema: webhookEnvelopeSchema,
        ...webhooks,
      }).then((answer) => answer.data),
    updateWebhook: (id, patch) =>
      request({
        method: "PATCH",
        path: `/webhooks/${encode(id)}`,
        body: patch,
        schema: webhookEnvelopeSchema,
        ...webhooks,
      }).then((answer) => answer.data),
    deleteWebhook: (id) =>
      request({
        method: "DELETE",
        path: `/webhooks/${encode(id)}`,
        schema: webhookEnvelopeSchema,
        ...webhooks,
      }).then((answer) => answer.data),

    listEventTypeWebhooks: (eventTypeId) =>
      listAllWebhooks(eventTypeWebhooks(eventTypeId), eventTypeWebhooksEnvelopeSchema),
    getEventTypeWebhook: (eventTypeId, id) =>
      eventTypeWebhookCall("GET", `${eventTypeWebhooks(eventTypeId)}/${encode(id)}`),
    createEventTypeWebhook: (eventTypeId, input) =>
      eventTypeWebhookCall("POST", eventTypeWebhooks(eventTypeId), input),
    updateEventTypeWebhook: (eventTypeId, id, patch) =>
      eventTypeWebhookCall("PATCH", `${eventTypeWebhooks(eventTypeId)}/${encode(id)}`, patch),
    deleteEventTypeWebhook: (eventTypeId, id) =>
      eventTypeWebhookCall("DELETE", `${eventTypeWebhooks(eventTypeId)}/${encode(id)}`),
  };
}

/** Lists go comma-separated, as the API documents (`?status=upcoming,past`, `?eventTypeIds=100,200`). */
function bookingQuery(filters: ListBookingsFilters): Record<string, string | undefined> {
  const time = (value: string | Date | undefined) =>
    value === undefined ? undefined : typeof value === "string" ? value : value.toISOString();
  return {
    status: filters.status?.length ? filters.status.join(",") : undefined,
    eventTypeIds: filters.eventTypeIds?.length ? filters.eventTypeIds.join(",") : undefined,
    afterStart: time(filters.afterStart),
    beforeEnd: time(filters.beforeEnd),
    afterUpdatedAt: time(filters.afterUpdatedAt),
    sortStart: filters.sortStart,
    take: filters.take === undefined ? undefined : String(filters.take),
    skip: filters.skip === undefined ? undefined : String(filters.skip),
  };
}

/** `fetch` over every item, at most `width` at a time, the answers in the items' order. */
async function inWindow<T, R>(
  items: readonly T[],
  width: number,
  fetch: (item: T) => Promise<R>,
): Promise<R[]> {
  const answers = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const at = next++;
      answers[at] = await fetch(items[at] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return answers;
}
