// The webhook outbox contract: one row per event and receiver URL, written before anything is sent (so a crash
// or restart loses nothing), claimed by the dispatcher for one attempt at a time with a lease (so two processes
// on one PostgreSQL database never send the same row at once, and a row claimed by a process that died is
// taken again when its lease runs out), and kept as a log: delivered rows for some days, failed ones longer.
import type { WebhookDeliveryState, WebhookEventType } from '@tandem/shared';

export interface NewWebhookDelivery {
  id: string;
  eventId: string;
  type: WebhookEventType;
  url: string;
  /** The JSON sent, byte for byte on every attempt (the signature covers it). */
  body: string;
}

export interface WebhookDeliveryRow extends NewWebhookDelivery {
  state: WebhookDeliveryState;
  /** Attempts finished so far. */
  attempts: number;
  /** Pending: when the next attempt is due (or a claim's lease ends). */
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
}

/** How an attempt ended. */
export type WebhookAttemptOutcome =
  | { state: 'delivered' }
  | { state: 'pending'; nextAttemptAt: number; error: string }
  | { state: 'failed'; error: string };

export interface WebhookStorage {
  /** Adds deliveries (one event to each URL) in one write, due at `now`. */
  enqueue(deliveries: readonly NewWebhookDelivery[], now: number): Promise<void>;
  /**
   * Takes up to `limit` pending deliveries due at `now`, oldest due first, and moves their next attempt to
   * `leaseUntil` so no other claim takes them meanwhile.
   */
  claim(now: number, limit: number, leaseUntil: number): Promise<WebhookDeliveryRow[]>;
  /** Records one finished attempt of a pending delivery (attempts + 1); false if it is not pending. */
  finishAttempt(id: string, outcome: WebhookAttemptOutcome): Promise<boolean>;
  /** Gives a claimed delivery back without counting an attempt (shutdown aborted it): due at `now`. */
  release(id: string, now: number): Promise<void>;
  /** When the earliest pending delivery is due (its lease included); null when none is pending. */
  nextDueAt(): Promise<number | null>;
  get(id: string): Promise<WebhookDeliveryRow | null>;
  /** Newest first, optionally in one state. */
  list(filter: { state?: WebhookDeliveryState; limit: number }): Promise<WebhookDeliveryRow[]>;
  /** A failed delivery made pending again with its attempts reset, due at `now`; null if none was failed. */
  retry(id: string, now: number): Promise<WebhookDeliveryRow | null>;
  /** Deletes delivered rows created before `deliveredBefore` and failed ones before `failedBefore`. */
  prune(deliveredBefore: number, failedBefore: number): Promise<number>;
}
