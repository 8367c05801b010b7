// WebhookStorage on SQLite: the `webhook_deliveries` outbox. A claim selects the due rows and moves their next
// attempt to the lease's end in one transaction (one process owns a SQLite file, so that is the whole lock).
import type { WebhookDeliveryState } from '@tandem/shared';
import type { Db } from '../db.ts';
import { type DeliveryRecord, toDeliveryRow } from '../types/webhookRows.ts';
import type {
  NewWebhookDelivery,
  WebhookAttemptOutcome,
  WebhookDeliveryRow,
  WebhookStorage,
} from '../types/webhooks.ts';

const COLUMNS = `id, event_id, event_type, url, body, state, attempts, next_attempt_at, last_error, created_at`;

export class SqliteWebhookStorage implements WebhookStorage {
  private readonly stmts;
  private readonly enqueueTx;
  private readonly claimTx;

  constructor(db: Db) {
    const sql = db.sql;
    this.stmts = {
      insert: sql.prepare(
        `INSERT INTO webhook_deliveries (id, event_id, event_type, url, body, state, next_attempt_at, created_at)
         VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`,
      ),
      due: sql.prepare(
        `SELECT ${COLUMNS} FROM webhook_deliveries WHERE state = 'pending' AND next_attempt_at <= ?
         ORDER BY next_attempt_at, created_at, id LIMIT ?`,
      ),
      lease: sql.prepare(`UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ?`),
      finish: sql.prepare(
        `UPDATE webhook_deliveries SET state = ?, attempts = attempts + 1, next_attempt_at = ?, last_error = ?
         WHERE id = ? AND state = 'pending'`,
      ),
      release: sql.prepare(
        `UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ? AND state = 'pending'`,
      ),
      nextDue: sql.prepare(
        `SELECT MIN(next_attempt_at) AS at FROM webhook_deliveries WHERE state = 'pending'`,
      ),
      get: sql.prepare(`SELECT ${COLUMNS} FROM webhook_deliveries WHERE id = ?`),
      listAll: sql.prepare(
        `SELECT ${COLUMNS} FROM webhook_deliveries ORDER BY created_at DESC, id DESC LIMIT ?`,
      ),
      listState: sql.prepare(
        `SELECT ${COLUMNS} FROM webhook_deliveries WHERE state = ? ORDER BY created_at DESC, id DESC LIMIT ?`,
      ),
      retry: sql.prepare(
        `UPDATE webhook_deliveries SET state = 'pending', attempts = 0, next_attempt_at = ?
         WHERE id = ? AND state = 'failed'`,
      ),
      prune: sql.prepare(
        `DELETE FROM webhook_deliveries
         WHERE (state = 'delivered' AND created_at < ?) OR (state = 'failed' AND created_at < ?)`,
      ),
    };
    this.enqueueTx = sql.transaction((deliveries: readonly NewWebhookDelivery[], now: number) => {
      for (const d of deliveries) this.stmts.insert.run(d.id, d.eventId, d.type, d.url, d.body, now, now);
    });
    this.claimTx = sql.transaction((now: number, limit: number, leaseUntil: number) => {
      const due = (this.stmts.due.all(now, limit) as DeliveryRecord[]).map(toDeliveryRow);
      for (const row of due) this.stmts.lease.run(leaseUntil, row.id);
      return due.map((row) => ({ ...row, nextAttemptAt: leaseUntil }));
    });
  }

  async enqueue(deliveries: readonly NewWebhookDelivery[], now: number): Promise<void> {
    this.enqueueTx(deliveries, now);
  }

  async claim(now: number, limit: number, leaseUntil: number): Promise<WebhookDeliveryRow[]> {
    return this.claimTx(now, limit, leaseUntil);
  }

  async finishAttempt(id: string, outcome: WebhookAttemptOutcome): Promise<boolean> {
    const next = outcome.state === 'pending' ? outcome.nextAttemptAt : 0;
    const error = outcome.state === 'delivered' ? null : outcome.error;
    return this.stmts.finish.run(outcome.state, next, error, id).changes === 1;
  }

  async release(id: string, now: number): Promise<void> {
    this.stmts.release.run(now, id);
  }

  async nextDueAt(): Promise<number | null> {
    return (this.stmts.nextDue.get() as { at: number | null }).at;
  }

  async get(id: string): Promise<WebhookDeliveryRow | null> {
    const row = this.stmts.get.get(id) as DeliveryRecord | undefined;
    return row ? toDeliveryRow(row) : null;
  }

  async list({
    state,
    limit,
  }: {
    state?: WebhookDeliveryState;
    limit: number;
  }): Promise<WebhookDeliveryRow[]> {
    const found = state ? this.stmts.listState.all(state, limit) : this.stmts.listAll.all(limit);
    return (found as DeliveryRecord[]).map(toDeliveryRow);
  }

  async retry(id: string, now: number): Promise<WebhookDeliveryRow | null> {
    if (this.stmts.retry.run(now, id).changes !== 1) return null;
    return this.get(id);
  }

  async prune(deliveredBefore: number, failedBefore: number): Promise<number> {
    return this.stmts.prune.run(deliveredBefore, failedBefore).changes;
  }
}
