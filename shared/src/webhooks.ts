// Webhooks Tandem sends to course platforms (docs/webhooks.md): the event envelope, one data shape per event
// type, the signature headers, and the REST shapes of the delivery log. A platform's TypeScript can parse a
// received body with `webhookEventSchema` after checking its signature.
import { z } from 'zod';
import { idSchema } from './ids.ts';

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

const isoTime = z.iso.datetime({ offset: true });
/** API paths (relative to the Tandem server's base URL) of the resources an event is about. */
const apiPath = z.string().startsWith('/api/');

const sessionData = {
  classId: idSchema,
  sessionId: z.string().min(1).max(64),
};

export const webhookEventSchema = z.discriminatedUnion('type', [
  z.object({
    id: z.string(),
    type: z.literal('class.started'),
    createdAt: isoTime,
    data: z.object({
      ...sessionData,
      startedAt: isoTime,
      /** Who started it: a user id, `platform` for an API key, null for none (a schedule). */
      startedById: z.string().nullable(),
      links: z.object({ session: apiPath }),
    }),
  }),
  z.object({
    id: z.string(),
    type: z.literal('class.ended'),
    createdAt: isoTime,
    data: z.object({
      ...sessionData,
      endedAt: isoTime,
      /** Who ended it: a user id, or `platform` for an API key. */
      endedById: z.string(),
      links: z.object({ session: apiPath, attendance: apiPath }),
    }),
  }),
  z.object({
    id: z.string(),
    type: z.literal('attendance.ready'),
    createdAt: isoTime,
    data: z.object({
      ...sessionData,
      /** JSON report; append `?format=csv` for CSV. */
      links: z.object({ session: apiPath, attendance: apiPath }),
    }),
  }),
  z.object({
    id: z.string(),
    type: z.literal('poll.closed'),
    createdAt: isoTime,
    data: z.object({
      classId: idSchema,
      /** The session the poll ran in; null when none was live. */
      sessionId: z.string().nullable(),
      pollId: z.string().min(1).max(64),
      title: z.string(),
      closedAt: isoTime,
      links: z.object({ poll: apiPath, results: apiPath }),
    }),
  }),
]);
export type WebhookEvent = z.infer<typeof webhookEventSchema>;
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

export const webhookDeliveriesQuerySchema = z.strictObject({
  state: z.enum(WEBHOOK_DELIVERY_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
