// WebhookStorage on PostgreSQL: the `webhook_deliveries` outbox. A claim is one statement that locks the due
// rows it takes (SKIP LOCKED: processes sharing the database take different rows) and moves their next attempt
// to the lease's end.
import type { WebhookDeliveryState } from '@tandem/shared';
import { type DeliveryRecord, toDeliveryRow } from '../types/webhookRows.ts';
import type {
  NewWebhookDelivery,
  WebhookAttemptOutcome,
  WebhookDeliveryRow,
  WebhookStorage,
} from '../types/webhooks.ts';
import { changes, first, type PgPool, rows } from './pool.ts';

const COLUMNS = `id, event_id, event_type, url, body, state, attempts, next_attempt_at, last_error, created_at`;

export class PgWebhookStorage implements WebhookStorage {
  constructor(private readonly pool: PgPool) {}

  async enqueue(deliveries: readonly NewWebhookDelivery[], now: number): Promise<void> {
    if (deliveries.length === 0) return;
    // $1 is `now`; each delivery takes the next five parameters. One statement is one transaction.
    const values: unknown[] = [now];
    const tuples = deliveries.map((d) => {
      const p = values.length;
      values.push(d.id, d.eventId, d.type, d.url, d.body);
      return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, 'pending', $1, $1)`;
    });
    await this.pool.query(
      `INSERT INTO webhook_deliveries (id, event_id, event_type, url, body, state, next_attempt_at, created_at)
       VALUES ${tuples.join(', ')}`,
      values,
    );
  }

  async claim(now: number, limit: number, leaseUntil: number): Promise<WebhookDeliveryRow[]> {
    const claimed = await rows<DeliveryRecord & { due_at: number }>(
      this.pool,
      `WITH due AS (
         SELECT id, next_attempt_at AS due_at FROM webhook_deliveries
         WHERE state = 'pending' AND next_attempt_at <= $1
         ORDER BY next_attempt_at, created_at, id LIMIT $2 FOR UPDATE SKIP LOCKED
       )
       UPDATE webhook_deliveries w SET next_attempt_at = $3 FROM due WHERE w.id = due.id
       RETURNING w.id, w.event_id, w.event_type, w.url, w.body, w.state, w.attempts, w.next_attempt_at,
         w.last_error, w.created_at, due.due_at`,
      [now, limit, leaseUntil],
    );
    claimed.sort((a, b) => a.due_at - b.due_at || a.created_at - b.created_at || (a.id < b.id ? -1 : 1));
    return claimed.map(toDeliveryRow);
  }

  async finishAttempt(id: string, outcome: WebhookAttemptOutcome): Promise<boolean> {
    const next = outcome.state === 'pending' ? outcome.nextAttemptAt : 0;
    const error = outcome.state === 'delivered' ? null : outcome.error;
    const n = await changes(
      this.pool,
      `UPDATE webhook_deliveries SET state = $1, attempts = attempts + 1, next_attempt_at = $2, last_error = $3
       WHERE id = $4 AND state = 'pending'`,
      [outcome.state, next, error, id],
    );
    return n === 1;
  }

  async release(id: string, now: number): Promise<void> {
    await this.pool.query(
      `UPDATE webhook_deliveries SET next_attempt_at = $1 WHERE id = $2 AND state = 'pending'`,
      [now, id],
    );
  }

  async nextDueAt(): Promise<number | null> {
    const row = await first<{ at: number | null }>(
      this.pool,
      `SELECT MIN(next_attempt_at) AS at FROM webhook_deliveries WHERE state = 'pending'`,
    );
    return row?.at ?? null;
  }

  async get(id: string): Promise<WebhookDeliveryRow | null> {
    const row = await first<DeliveryRecord>(
      this.pool,
      `SELECT ${COLUMNS} FROM webhook_deliveries WHERE id = $1`,
      [id],
    );
    return row ? toDeliveryRow(row) : null;
  }

  async list({
    state,
    limit,
  }: {
    state?: WebhookDeliveryState;
    limit: number;
  }): Promise<WebhookDeliveryRow[]> {
    const found = state
      ? await rows<DeliveryRecord>(
          this.pool,
          `SELECT ${COLUMNS} FROM webhook_deliveries WHERE state = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
          [state, limit],
        )
      : await rows<DeliveryRecord>(
          this.pool,
          `SELECT ${COLUMNS} FROM webhook_deliveries ORDER BY created_at DESC, id DESC LIMIT $1`,
          [limit],
        );
    return found.map(toDeliveryRow);
  }

  async retry(id: string, now: number): Promise<WebhookDeliveryRow | null> {
    const row = await first<DeliveryRecord>(
      this.pool,
      `UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = $1
       WHERE id = $2 AND state = 'failed' RETURNING ${COLUMNS}`,
      [now, id],
    );
    return row ? toDeliveryRow(row) : null;
  }

  prune(deliveredBefore: number, failedBefore: number): Promise<number> {
    return changes(
      this.pool,
      `DELETE FROM webhook_deliveries
       WHERE (state = 'delivered' AND created_at < $1) OR (state = 'failed' AND created_at < $2)`,
      [deliveredBefore, failedBefore],
    );
  }
}
