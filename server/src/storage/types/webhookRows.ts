// Row-to-object mapping of `webhook_deliveries`, the same columns on SQLite and PostgreSQL (times as epoch
// milliseconds), and the REST shape of a delivery.
import type { WebhookDeliveryInfo, WebhookDeliveryState, WebhookEventType } from '@tandem/shared';
import type { WebhookDeliveryRow } from './webhooks.ts';

export interface DeliveryRecord {
  id: string;
  event_id: string;
  event_type: WebhookEventType;
  url: string;
  body: string;
  state: WebhookDeliveryState;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
}

export const toDeliveryRow = (r: DeliveryRecord): WebhookDeliveryRow => ({
  id: r.id,
  eventId: r.event_id,
  type: r.event_type,
  url: r.url,
  body: r.body,
  state: r.state,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  createdAt: r.created_at,
});

export const toDeliveryInfo = (r: WebhookDeliveryRow): WebhookDeliveryInfo => ({
  id: r.id,
  eventId: r.eventId,
  type: r.type,
  url: r.url,
  state: r.state,
  attempts: r.attempts,
  nextAttemptAt: r.state === 'pending' ? new Date(r.nextAttemptAt).toISOString() : null,
  lastError: r.lastError,
  createdAt: new Date(r.createdAt).toISOString(),
});
