import type { HttpBindings } from "@hono/node-server";
import { Hono } from "hono";
import type { ApiBooking } from "../../calcom/types.ts";
import type { Result } from "../../core/result.ts";
import { serveLocal } from "../../http/serve-local.ts";
import { toApiBooking } from "./api-shape.ts";
import { createSandboxApp } from "./app.ts";
import { createBookingActions, type RescheduleStyle } from "./booking-actions.ts";
import type { ApiFailure } from "./error-bodies.ts";
import { DEFAULT_EVENT_TYPES, DEFAULT_HOST, type SandboxEventType, type SandboxHost } from "./event-types.ts";
import { createFaultInjector, type FaultSpec } from "./faults.ts";
import { createSeededRandom } from "./random.ts";
import { createRateLimiter } from "./rate-limiter.ts";
import { createRequestLog, type LoggedRequest } from "./request-log.ts";
import { nextHour, randomBooker, type SeedBooking, seedBooking } from "./seed.ts";
import { createBookingStore, type PhoneLocation, type StoredBooking } from "./store.ts";
import {
  createWebhookDispatcher,
  type DeliverOptions,
  type DeliveryAttempt,
  type PendingDelivery,
  type VersionHeaderPolicy,
  type WebhookMode,
} from "./webhook-dispatcher.ts";
import {
  type BookingEvent,
  bookingWebhookBody,
  chooseVariation,
  meetingEndedPayload,
} from "./webhook-payloads.ts";
import { createWebhookSubscriptions, type SandboxWebhook } from "./webhook-subscriptions.ts";

export type {
  DeliverOptions,
  DeliveryAttempt,
  FaultSpec,
  LoggedRequest,
  PendingDelivery,
  PhoneLocation,
  RescheduleStyle,
  SandboxEventType,
  SandboxHost,
  SandboxWebhook,
  SeedBooking,
  VersionHeaderPolicy,
  WebhookMode,
};
export { meetingEndedPayload };

export const DEFAULT_SANDBOX_API_KEY = "cal_test_sandbox_key";

export type CalcomSandboxOptions = {
  /** Default 0: a free port. */
  port?: number;
  /** Accepted API keys; default `["cal_test_sandbox_key"]`. */
  apiKeys?: string[];
  /** The sandbox's clock (filters, past-slot checks, timestamps, the rate-limit window). */
  now?: () => Date;
  /** Delay added to every answer. */
  latencyMs?: number;
  /** Default 120 requests per 60 000 ms per key, as Cal.com's default for API keys. */
  rateLimit?: { limit: number; windowMs: number };
  /** Default `documented`. */
  rescheduleStyle?: RescheduleStyle;
  /** Default `sometimes`. */
  webhookVersionHeader?: VersionHeaderPolicy;
  /** Default `immediate`. */
  webhookMode?: WebhookMode;
  /** Default: 3721996 "Introduction Call", 15 minutes. */
  eventTypes?: SandboxEventType[];
  host?: SandboxHost;
  /** Seeds the generator behind uids, made-up names and webhook payload variation. */
  seed?: number;
};

/** A booker acting on the booking page, as opposed to the host calling the API. */
export type PersonBooking = {
  start?: string | Date;
  eventTypeId?: number;
  attendee?: {
    name?: string;
    email?: string;
    phone?: string;
    timeZone?: string;
    firstName?: string;
    lastName?: string;
  };
  /** Where Cal.com keeps the phone; default `both` (a booking page with a phone field). */
  phoneIn?: PhoneLocation;
  notes?: string;
};

export type CalcomSandbox = {
  /** The base URL including `/v2`: what CALCOM_API_URL holds. */
  url: string;
  port: number;
  /** The first accepted API key. */
  apiKey: string;
  close(): Promise<void>;

  /** Puts a booking straight into the store (no validation, no webhooks) and gives it API-shaped. */
  addBooking(seed?: SeedBooking): ApiBooking;
  bookings(): ApiBooking[];
  booking(uid: string): ApiBooking | undefined;

  /** The booker books on the booking page: validated like the API, fires BOOKING_CREATED or _REQUESTED. */
  book(input?: PersonBooking): Promise<ApiBooking>;
  /** The booker cancels (with `seatUid`: their seat only); fires BOOKING_CANCELLED. */
  cancel(uid: string, reason?: string, seatUid?: string): Promise<ApiBooking>;
  /**
   * The booker picks another time (with `seatUid`: their seat moves); fires BOOKING_RESCHEDULED and gives
   * the NEW booking (for a seat, the booking it now belongs to).
   */
  reschedule(uid: string, newStart: string | Date, reason?: string, seatUid?: string): Promise<ApiBooking>;
  /** The host confirms a pending booking; fires BOOKING_CREATED. */
  confirm(uid: string): Promise<ApiBooking>;
  /** The host rejects a pending booking; fires BOOKING_REJECTED. */
  reject(uid: string, reason?: string): Promise<ApiBooking>;
  /** The meeting ends; fires the flat MEETING_ENDED body. */
  endMeeting(uid: string): Promise<void>;
  /**
   * The host asks the booker to pick another time ("Request reschedule"): the booking is cancelled and
   * BOOKING_CANCELLED is sent with `requestReschedule: true`. API v2 then shows it as any cancelled booking.
   */
  requestReschedule(uid: string, reason?: string): Promise<ApiBooking>;
  /** The booking leaves this API key's sight (handed to another team member), or comes back. */
  setHidden(uid: string, hidden: boolean): void;

  failNext(fault: FaultSpec): void;
  /** While down, every connection is reset without an answer. */
  setDown(down: boolean): void;
  requests(): LoggedRequest[];
  resetRequests(): void;

  /**
   * Adds a subscription directly (no validation, duplicates allowed): the user's, or with `eventTypeId`
   * one scoped to that event type, which receives only its bookings.
   */
  addWebhook(input: {
    subscriberUrl: string;
    triggers: string[];
    secret?: string;
    active?: boolean;
    payloadTemplate?: string;
    eventTypeId?: number;
  }): SandboxWebhook;
  /** Every subscription, user-level and event-type-scoped (`eventTypeId` set). */
  webhooks(): SandboxWebhook[];
  setWebhookMode(mode: WebhookMode): void;
  pendingDeliveries(): PendingDelivery[];
  deliver(options?: DeliverOptions): Promise<DeliveryAttempt[]>;
  deliveryLog(): DeliveryAttempt[];
};

/**
 * A local stand-in for Cal.com API v2 and its webhooks, faithful to the live service's shapes, status
 * codes, quirks and failures (see src/calcom/README.md for what it emulates and where it differs).
 */
export async function startCalcomSandbox(options: CalcomSandboxOptions = {}): Promise<CalcomSandbox> {
  const now = options.now ?? (() => new Date());
  const host = options.host ?? DEFAULT_HOST;
  const apiKeys = options.apiKeys ?? [DEFAULT_SANDBOX_API_KEY];
  const rateLimit = options.rateLimit ?? { limit: 120, windowMs: 60_000 };
  const random = createSeededRandom(options.seed ?? 1);
  const store = createBookingStore({ now, random, eventTypes: options.eventTypes ?? DEFAULT_EVENT_TYPES });
  const subscriptions = createWebhookSubscriptions({ userId: host.id, random });
  const dispatcher = createWebhookDispatcher({
    subscriptions,
    random,
    now,
    versionHeader: options.webhookVersionHeader ?? "sometimes",
    mode: options.webhookMode ?? "immediate",
  });

  const eventTypeOf = (booking: StoredBooking): SandboxEventType =>
    store.eventType(booking.eventTypeId) ?? {
      id: booking.eventTypeId,
      slug: `event-type-${booking.eventTypeId}`,
      title: "Event",
      lengthInMinutes: Math.round((Date.parse(booking.end) - Date.parse(booking.start)) / 60_000),
    };
  const toApi = (booking: StoredBooking) => toApiBooking(booking, eventTypeOf(booking), host);

  const announce = async (event: BookingEvent) => {
    const body = bookingWebhookBody(event, {
      eventType: eventTypeOf(event.booking),
      host,
      createdAt: now().toISOString(),
      variation: chooseVariation(random),
    });
    const payload = body.payload as Record<string, unknown>;
    await dispatcher.dispatch({
      trigger: event.trigger,
      body,
      templateData: { ...payload, triggerEvent: body.triggerEvent, createdAt: body.createdAt },
      bookingUid: event.booking.uid,
      eventTypeId: event.booking.eventTypeId,
    });
  };

  const actions = createBookingActions({
    store,
    host,
    random,
    now,
    rescheduleStyle: options.rescheduleStyle ?? "documented",
    announce,
  });
  const requestLog = createRequestLog();
  const faults = createFaultInjector();
  const app = createSandboxApp({
    store,
    actions,
    subscriptions,
    toApi,
    requestLog,
    faults,
    rateLimiter: createRateLimiter({ ...rateLimit, now }),
    rateLimit,
    apiKeys,
    latencyMs: options.latencyMs ?? 0,
    now,
  });
  // serveLocal serves a plain Hono app; @hono/node-server passes Node's request objects as its env,
  // which the sandbox needs to drop connections.
  const outer = new Hono();
  outer.all("*", (c) => app.fetch(c.req.raw, c.env as HttpBindings));
  const server = await serveLocal(outer, options.port ?? 0);

  const settle = (result: Result<StoredBooking, ApiFailure>): ApiBooking => {
    if (!result.ok) throw new Error(`Cal.com sandbox refused: ${result.error.message}`);
    return toApi(result.value);
  };
  const storedOrThrow = (uid: string) => {
    const booking = store.get(uid);
    if (!booking) throw new Error(`Cal.com sandbox has no booking ${uid}`);
    return booking;
  };

  return {
    url: `${server.url}/v2`,
    port: server.port,
    apiKey: apiKeys[0] ?? DEFAULT_SANDBOX_API_KEY,
    close: () => server.close(),

    addBooking: (seed = {}) => toApi(seedBooking(seed, { store, host, random, now })),
    bookings: () => store.all().map(toApi),
    booking(uid) {
      const booking = store.get(uid);
      return booking ? toApi(booking) : undefined;
    },

    async book(input = {}) {
      const made = randomBooker(random);
      const given = input.attendee ?? {};
      const name =
        given.name ?? (given.firstName ? `${given.firstName} ${given.lastName ?? ""}`.trim() : made.name);
      const start = input.start ? new Date(input.start) : nextHour(now(), 24);
      const eventTypeId = input.eventTypeId ?? store.eventTypes()[0]?.id ?? 0;
      return settle(
        await actions.create(
          {
            eventTypeId,
            start,
            lengthInMinutes: null,
            attendee: {
              name,
              email: given.email ?? made.email,
              timeZone: given.timeZone ?? "Europe/London",
              language: "en",
              phoneNumber: given.phone ?? null,
            },
            bookingFieldsResponses: {},
            metadata: {},
            guests: [],
          },
          {
            ...(input.phoneIn ? { phoneIn: input.phoneIn } : {}),
            ...(input.notes ? { notes: input.notes } : {}),
            ...(given.firstName ? { firstName: given.firstName, lastName: given.lastName ?? "" } : {}),
          },
        ),
      );
    },
    cancel: async (uid, reason, seatUid) =>
      settle(await actions.cancel(uid, { reason: reason ?? null, by: "booker", seatUid: seatUid ?? null })),
    reschedule: async (uid, newStart, reason, seatUid) =>
      settle(
        await actions.reschedule(uid, {
          start: new Date(newStart),
          reason: reason ?? null,
          by: "booker",
          seatUid: seatUid ?? null,
        }),
      ),
    confirm: async (uid) => settle(await actions.confirm(uid)),
    requestReschedule: async (uid, reason) => settle(await actions.requestReschedule(uid, reason ?? null)),
    setHidden: (uid, hidden) => store.setHidden(uid, hidden),
    reject: async (uid, reason) => settle(await actions.decline(uid, reason ?? null)),
    async endMeeting(uid) {
      const booking = storedOrThrow(uid);
      const body = meetingEndedPayload(toApi(booking));
      await dispatcher.dispatch({
        trigger: "MEETING_ENDED",
        body,
        templateData: body,
        bookingUid: uid,
        eventTypeId: booking.eventTypeId,
      });
    },

    failNext: (fault) => faults.failNext(fault),
    setDown: (down) => faults.setDown(down),
    requests: () => requestLog.entries(),
    resetRequests: () => requestLog.reset(),

    addWebhook: (input) =>
      subscriptions.create(
        {
          subscriberUrl: input.subscriberUrl,
          triggers: input.triggers,
          active: input.active ?? true,
          ...(input.secret !== undefined ? { secret: input.secret } : {}),
          ...(input.payloadTemplate !== undefined ? { payloadTemplate: input.payloadTemplate } : {}),
        },
        input.eventTypeId === undefined
          ? { kind: "user" }
          : { kind: "eventType", eventTypeId: input.eventTypeId },
      ),
    webhooks: () => subscriptions.list(),
    setWebhookMode: (mode) => dispatcher.setMode(mode),
    pendingDeliveries: () => dispatcher.pending(),
    deliver: (deliverOptions) => dispatcher.deliver(deliverOptions),
    deliveryLog: () => dispatcher.log(),
  };
}
