// Webhooks Tandem sends to course platforms (docs/webhooks.md): the event envelope, one data shape per event
// type, the signature headers, and the REST shapes of the delivery log. A platform's TypeScript can parse a
// received body with `webhookEventSchema` after checking its signature.
import * as v from 'valibot';
import { idSchema } from './ids.ts';
import { isoDateTimeSchema, queryInt } from './validation.ts';

/** Bumped when a payload changes incompatibly; sent as `Tandem-Webhook-Version`. */
export const WEBHOOK_VERSION = 1;

export const WEBHOOK_EVENT_TYPES = [
  'class.started',
  'class.ended',
  'attendance.ready',
  'poll.closed',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Request headers of every delivery (HTTP header names are case-insensitive). */
export const WEBHOOK_HEADERS = {
  /** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`; a new timestamp on every attempt. */
  signature: 'Tandem-Signature',
  /** The event id (`evt_...`): the same on every attempt and every URL, for deduplication. */
  id: 'Tandem-Webhook-Id',
  event: 'Tandem-Event',
  /** 1 on the first attempt, then 2, 3, ... */
  attempt: 'Tandem-Delivery-Attempt',
  version: 'Tandem-Webhook-Version',
} as const;

/** How old a signature's timestamp a receiver should accept (documented; verifySignature's default). */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

/** API paths (relative to the Tandem server's base URL) of the resources an event is about. */
const apiPath = v.pipe(v.string(), v.startsWith('/api/'));

const sessionData = {
  classId: idSchema,
  sessionId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
};

export const webhookEventSchema = v.variant('type', [
  v.object({
    id: v.string(),
    type: v.literal('class.started'),
    createdAt: isoDateTimeSchema,
    data: v.object({
      ...sessionData,
      startedAt: isoDateTimeSchema,
      /** Who started it: a user id, `platform` for an API key, null for none (a schedule). */
      startedById: v.nullable(v.string()),
      links: v.object({ session: apiPath }),
    }),
  }),
  v.object({
    id: v.string(),
    type: v.literal('class.ended'),
    createdAt: isoDateTimeSchema,
    data: v.object({
      ...sessionData,
      endedAt: isoDateTimeSchema,
      /** Who ended it: a user id, or `platform` for an API key. */
      endedById: v.string(),
      links: v.object({ session: apiPath, attendance: apiPath }),
    }),
  }),
  v.object({
    id: v.string(),
    type: v.literal('attendance.ready'),
    createdAt: isoDateTimeSchema,
    data: v.object({
      ...sessionData,
      /** JSON report; append `?format=csv` for CSV. */
      links: v.object({ session: apiPath, attendance: apiPath }),
    }),
  }),
  v.object({
    id: v.string(),
    type: v.literal('poll.closed'),
    createdAt: isoDateTimeSchema,
    data: v.object({
      classId: idSchema,
      /** The session the poll ran in; null when none was live. */
      sessionId: v.nullable(v.string()),
      pollId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
      title: v.string(),
      closedAt: isoDateTimeSchema,
      links: v.object({ poll: apiPath, results: apiPath }),
    }),
  }),
]);
export type WebhookEvent = v.InferOutput<typeof webhookEventSchema>;
export type WebhookEventOf<T extends WebhookEventType> = Extract<WebhookEvent, { type: T }>;

export const WEBHOOK_DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryState = (typeof WEBHOOK_DELIVERY_STATES)[number];

/** One event to one URL, as `GET /api/webhooks/deliveries` lists it. */
export interface WebhookDeliveryInfo {
  id: string;
  eventId: string;
  type: WebhookEventType;
  url: string;
  state: WebhookDeliveryState;
  /** Attempts made so far. */
  attempts: number;
  /** When the next attempt is due (pending only). */
  nextAttemptAt: string | null;
  /** Why the last attempt failed (status and the start of the reply, or the network error). */
  lastError: string | null;
  createdAt: string;
}

export const webhookDeliveriesQuerySchema = v.strictObject({
  state: v.optional(v.picklist(WEBHOOK_DELIVERY_STATES)),
  limit: v.optional(v.pipe(queryInt, v.minValue(1), v.maxValue(100))),
});
