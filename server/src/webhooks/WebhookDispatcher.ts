// Delivers the webhook outbox (storage/types/webhooks.ts): events are written there first, one row per URL, and
// this sends them — a few at a time, each attempt signed anew and bounded by a timeout, retried with back-off
// (backoff.ts) until delivered or out of attempts. Rows left pending by a previous run (a restart, a crash) are
// picked up at start; stop() aborts what is in flight and gives those rows back, to be sent after the restart.
import crypto from 'node:crypto';
import { WEBHOOK_HEADERS, WEBHOOK_VERSION, type WebhookEvent } from '@tandem/shared';
import type { Logger } from '../logger.ts';
import type { WebhookDeliveryRow, WebhookStorage } from '../storage/types/webhooks.ts';
import { nextDelayMs, parseRetryAfterMs } from './backoff.ts';
import { readReplyExcerpt } from './replyExcerpt.ts';
import { signatureHeader } from './verifySignature.ts';

/** Deliveries in flight at once (to all receivers together). */
const CONCURRENCY = 4;
/** A claimed row is not taken again for the attempt's timeout plus this (a process that died mid-attempt). */
const LEASE_MARGIN_MS = 60_000;
/** Look at the outbox at least this often (rows another process leased and never finished). */
const MAX_IDLE_MS = 60 * 60_000;
/** The soonest a timer looks again: a due row another process holds locked for a moment is not spun on. */
const MIN_WAKE_MS = 50;
const PRUNE_EVERY_MS = 6 * 60 * 60_000;
/** Delivered rows are kept a week as a log; failed ones a month, for an operator to retry. */
const DELIVERED_KEPT_MS = 7 * 24 * 60 * 60_000;
const FAILED_KEPT_MS = 30 * 24 * 60 * 60_000;
const USER_AGENT = `Tandem-Webhooks/${WEBHOOK_VERSION}`;

export type DeliveryOutcome = 'delivered' | 'retried' | 'failed';

export interface WebhookDispatcherOptions {
  store: WebhookStorage;
  urls: readonly string[];
  secret: string;
  timeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  log: Logger;
  /** Counts each finished attempt (metrics). */
  onOutcome?: (outcome: DeliveryOutcome) => void;
  now?: () => number;
  random?: () => number;
}

type AttemptResult =
  | { kind: 'ok' }
  | { kind: 'failed'; error: string; retryAfterMs?: number }
  /** Stopped by shutdown: not an attempt. */
  | { kind: 'aborted' };

export class WebhookDispatcher {
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly shutdown = new AbortController();
  private running = false;
  private pumping: Promise<void> | undefined;
  private pumpAgain = false;
  private wakeTimer: NodeJS.Timeout | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  private readonly random: () => number;

  constructor(private readonly o: WebhookDispatcherOptions) {
    this.now = o.now ?? Date.now;
    this.random = o.random ?? Math.random;
  }

  /** Writes the event to the outbox, one delivery per URL, then sends it when a slot is free. */
  async enqueue(event: WebhookEvent): Promise<void> {
    const body = JSON.stringify(event);
    const deliveries = this.o.urls.map((url) => ({
      id: `whd_${crypto.randomBytes(12).toString('base64url')}`,
      eventId: event.id,
      type: event.type,
      url,
      body,
    }));
    await this.o.store.enqueue(deliveries, this.now());
    this.kick();
  }

  /** Starts sending, beginning with whatever the outbox holds from before. */
  start(): void {
    if (this.running || this.shutdown.signal.aborted) return;
    this.running = true;
    void this.prune();
    this.pruneTimer = setInterval(() => void this.prune(), PRUNE_EVERY_MS).unref();
    this.kick();
  }

  /** Looks for due deliveries now (after an enqueue, a finished attempt or an operator's retry). */
  kick(): void {
    if (!this.running) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = this.pump()
      .catch((error: unknown) => {
        this.o.log.error({ err: error }, 'webhook outbox could not be read; trying again in a minute');
        this.wakeIn(60_000);
      })
      .finally(() => {
        this.pumping = undefined;
        if (this.pumpAgain) {
          this.pumpAgain = false;
          this.kick();
        }
      });
  }

  /** Stops sending: attempts in flight are aborted and their rows stay pending for the next start. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.wakeTimer);
    clearInterval(this.pruneTimer);
    this.shutdown.abort();
    await this.pumping;
    await Promise.all(this.inFlight.values());
  }

  private async pump(): Promise<void> {
    clearTimeout(this.wakeTimer);
    for (;;) {
      const free = CONCURRENCY - this.inFlight.size;
      // A finishing attempt kicks again.
      if (!this.running || free <= 0) return;
      const now = this.now();
      const claimed = await this.o.store.claim(now, free, now + this.o.timeoutMs + LEASE_MARGIN_MS);
      for (const row of claimed) this.track(row);
      if (claimed.length < free) break;
    }
    const next = await this.o.store.nextDueAt();
    if (next !== null) this.wakeIn(next - this.now());
    else this.wakeIn(MAX_IDLE_MS);
  }

  private wakeIn(ms: number): void {
    if (!this.running) return;
    clearTimeout(this.wakeTimer);
    this.wakeTimer = setTimeout(() => this.kick(), Math.min(Math.max(MIN_WAKE_MS, ms), MAX_IDLE_MS)).unref();
  }

  private track(row: WebhookDeliveryRow): void {
    const done = this.deliver(row)
      .catch((error: unknown) => {
        // The outcome could not be stored: the lease runs out and the row is sent again (at least once).
        this.o.log.error({ err: error, delivery: row.id }, 'webhook attempt could not be recorded');
      })
      .finally(() => {
        this.inFlight.delete(row.id);
        this.kick();
      });
    this.inFlight.set(row.id, done);
  }

  private async deliver(row: WebhookDeliveryRow): Promise<void> {
    const { store, maxAttempts, retryBaseMs, log } = this.o;
    const attempt = row.attempts + 1;
    const result = await this.attempt(row, attempt);
    const where = { delivery: row.id, event: row.eventId, type: row.type, to: safeUrl(row.url), attempt };
    switch (result.kind) {
      case 'aborted':
        await store.release(row.id, this.now());
        return;
      case 'ok':
        await store.finishAttempt(row.id, { state: 'delivered' });
        this.o.onOutcome?.('delivered');
        log.debug(where, 'webhook delivered');
        return;
      case 'failed': {
        if (attempt >= maxAttempts) {
          await store.finishAttempt(row.id, { state: 'failed', error: result.error });
          this.o.onOutcome?.('failed');
          log.warn({ ...where, error: result.error }, 'webhook failed; no attempts left');
          return;
        }
        const delay = nextDelayMs(attempt, retryBaseMs, result.retryAfterMs, this.random());
        const nextAttemptAt = this.now() + delay;
        await store.finishAttempt(row.id, { state: 'pending', nextAttemptAt, error: result.error });
        this.o.onOutcome?.('retried');
        log.info({ ...where, error: result.error, retryInMs: delay }, 'webhook attempt failed; will retry');
        return;
      }
    }
  }

  /** One POST: never follows a redirect, reads at most a little of the reply, gives up after the timeout. */
  private async attempt(row: WebhookDeliveryRow, attempt: number): Promise<AttemptResult> {
    const timeout = AbortSignal.timeout(this.o.timeoutMs);
    const signal = AbortSignal.any([timeout, this.shutdown.signal]);
    const timestamp = Math.floor(this.now() / 1000);
    try {
      const res = await fetch(row.url, {
        method: 'POST',
        redirect: 'manual',
        signal,
        body: row.body,
        headers: {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          [WEBHOOK_HEADERS.id]: row.eventId,
          [WEBHOOK_HEADERS.event]: row.type,
          [WEBHOOK_HEADERS.attempt]: String(attempt),
          [WEBHOOK_HEADERS.version]: String(WEBHOOK_VERSION),
          [WEBHOOK_HEADERS.signature]: signatureHeader(this.o.secret, timestamp, row.body),
        },
      });
      if (res.status >= 200 && res.status < 300) {
        await res.body?.cancel();
        return { kind: 'ok' };
      }
      const excerpt = await readReplyExcerpt(res);
      const retryAfterMs =
        res.status === 429 || res.status === 503
          ? parseRetryAfterMs(res.headers.get('retry-after'), this.now())
          : undefined;
      const redirect = res.status >= 300 && res.status < 400 ? ' (redirects are not followed)' : '';
      return {
        kind: 'failed',
        error: `HTTP ${res.status}${redirect}${excerpt ? `: ${excerpt}` : ''}`,
        retryAfterMs,
      };
    } catch (error) {
      if (this.shutdown.signal.aborted) return { kind: 'aborted' };
      if (timeout.aborted) return { kind: 'failed', error: `no reply within ${this.o.timeoutMs} ms` };
      return { kind: 'failed', error: networkError(error) };
    }
  }

  private async prune(): Promise<void> {
    const now = this.now();
    try {
      const n = await this.o.store.prune(now - DELIVERED_KEPT_MS, now - FAILED_KEPT_MS);
      if (n > 0) this.o.log.info({ deliveries: n }, 'old webhook deliveries pruned');
    } catch (error) {
      this.o.log.warn({ err: error }, 'webhook deliveries could not be pruned');
    }
  }
}

/** A receiver URL for logs: without its query, which may carry the receiver's own token. */
function safeUrl(url: string): string {
  const u = new URL(url);
  return `${u.origin}${u.pathname}`;
}

function networkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
  return `no connection: ${detail}`.slice(0, 300);
}
