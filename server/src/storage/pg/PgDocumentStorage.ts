// DocumentStorage on PostgreSQL, with group commit: appends collect for GROUP_COMMIT_DELAY_MS (or until a
// batch is full), then go to the `updates` table in one multi-row INSERT (one commit), and every append of
// that batch becomes durable together. While a commit is in flight the next batch collects, and is committed
// the moment the previous one returns: under load a commit is always in flight and each carries everything
// that arrived meanwhile; when idle an update waits at most the delay plus one commit.
//
// A failed commit is retried (with back-off) until it succeeds: its appends stay unacknowledged, never lost.
// The INSERT skips rows already present, so a retry after a commit whose reply was lost is harmless.
import * as Y from 'yjs';
import type { Logger } from '../../logger.ts';
import type {
  Appended,
  DocumentStorage,
  HistoryEntry,
  LoadedDocument,
  UpdateLogReader,
} from '../types/documents.ts';
import { first, type PgPool, rows, transaction } from './pool.ts';

export interface PgDocumentStorageOptions {
  /** Log entries older than this (and covered by a snapshot) are deleted; 0 keeps them forever. */
  historyRetentionDays: number;
  /** How long the first update of a batch waits for others before the batch is committed. */
  groupCommitDelayMs?: number;
  log?: Logger;
  now?: () => number;
}

export const GROUP_COMMIT_DELAY_MS = 2;
/** A batch is committed at once, whatever the delay, when it holds this many entries or bytes. */
const BATCH_MAX_ENTRIES = 2000;
const BATCH_MAX_BYTES = 4 * 1024 * 1024;
const RETRY_MIN_MS = 20;
const RETRY_MAX_MS = 2000;

interface Entry {
  doc: string;
  seq: number;
  ts: number;
  userId: string | null;
  data: Uint8Array;
}

class Batch {
  readonly entries: Entry[] = [];
  bytes = 0;
  readonly durable: Promise<void>;
  resolve!: () => void;

  constructor() {
    // Never rejected: a failed commit is retried until it succeeds.
    this.durable = new Promise<void>((resolve) => {
      this.resolve = resolve;
    });
  }
}

const INSERT_BATCH = `INSERT INTO updates (doc, seq, ts, user_id, data)
  SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::bytea[])
  ON CONFLICT (doc, seq) DO NOTHING`;

export class PgDocumentStorage implements DocumentStorage, UpdateLogReader {
  private readonly now: () => number;
  private readonly delayMs: number;
  private readonly lastSeq = new Map<string, number>();
  /** Bytes the last load of each loaded document read, plus those appended since (UpdateLogReader). */
  private readonly bytes = new Map<string, number>();
  private open = new Batch();
  /** The batch being committed, if any. */
  private committing: Batch | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly pool: PgPool,
    private readonly options: PgDocumentStorageOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.delayMs = options.groupCommitDelayMs ?? GROUP_COMMIT_DELAY_MS;
  }

  async load(name: string): Promise<LoadedDocument> {
    await this.flush();
    await this.pool.query('INSERT INTO documents (name, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
      name,
      this.now(),
    ]);
    const doc = await first<{ snapshot: Buffer | null; snapshot_seq: number }>(
      this.pool,
      'SELECT snapshot, snapshot_seq FROM documents WHERE name = $1',
      [name],
    );
    const base = doc?.snapshot_seq ?? 0;
    const logged = await rows<{ seq: number; data: Buffer }>(
      this.pool,
      'SELECT seq, data FROM updates WHERE doc = $1 AND seq > $2 ORDER BY seq',
      [name, base],
    );
    const parts: Uint8Array[] = [];
    if (doc?.snapshot) parts.push(doc.snapshot);
    for (const r of logged) parts.push(r.data);
    const seq = logged.at(-1)?.seq ?? (await this.maxSeq(name, base));
    this.lastSeq.set(name, seq);
    const bytes = parts.reduce((sum, part) => sum + part.byteLength, 0);
    this.bytes.set(name, bytes);
    const state = parts.length === 0 ? null : parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
    return { state, seq, pendingLogEntries: logged.length };
  }

  append(name: string, update: Uint8Array, userId: string | null): Appended {
    const last = this.lastSeq.get(name);
    if (last === undefined) throw new Error(`append to ${name} before load`);
    if (this.closed) throw new Error('document storage is closed');
    const entry: Entry = { doc: name, seq: last + 1, ts: this.now(), userId, data: update };
    this.lastSeq.set(name, entry.seq);
    this.bytes.set(name, (this.bytes.get(name) ?? 0) + update.byteLength);
    const batch = this.open;
    batch.entries.push(entry);
    batch.bytes += update.length;
    if (!this.committing) {
      if (batch.entries.length >= BATCH_MAX_ENTRIES || batch.bytes >= BATCH_MAX_BYTES) this.commitOpen();
      else this.timer ??= setTimeout(() => this.commitOpen(), this.delayMs);
    }
    return { seq: entry.seq, durable: batch.durable };
  }

  async currentSeq(name: string): Promise<number> {
    const known = this.lastSeq.get(name);
    if (known !== undefined) return known;
    await this.flush();
    const doc = await first<{ s: number }>(
      this.pool,
      'SELECT snapshot_seq AS s FROM documents WHERE name = $1',
      [name],
    );
    return this.maxSeq(name, doc?.s ?? 0);
  }

  async saveSnapshot(name: string, state: Uint8Array, seq: number): Promise<void> {
    // The snapshot may only cover updates the table holds.
    await this.flush();
    const ts = this.now();
    await transaction(this.pool, async (client) => {
      await client.query('INSERT INTO documents (name, created_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
        name,
        ts,
      ]);
      await client.query(
        `UPDATE documents SET snapshot = $1, snapshot_seq = $2, snapshot_at = $3
         WHERE name = $4 AND snapshot_seq <= $2`,
        [state, seq, ts, name],
      );
      if (this.options.historyRetentionDays > 0) {
        const cutoff = ts - this.options.historyRetentionDays * 86_400_000;
        // Entries are logged in time order, so those past retention are a prefix (as in DocumentStore.ts).
        await client.query(
          `DELETE FROM updates WHERE doc = $1 AND seq <= $2 AND seq < COALESCE(
             (SELECT seq FROM updates WHERE doc = $1 AND ts >= $3 ORDER BY seq LIMIT 1), $2 + 1)`,
          [name, seq, cutoff],
        );
      }
    });
  }

  async history(name: string, afterSeq = 0, limit = 500): Promise<HistoryEntry[]> {
    await this.flush();
    return rows(
      this.pool,
      `SELECT seq, ts, user_id AS "userId", length(data) AS bytes FROM updates
       WHERE doc = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
      [name, afterSeq, limit],
    );
  }

  async oldestLoggedSeq(name: string): Promise<number | null> {
    await this.flush();
    const row = await first<{ seq: number | null }>(
      this.pool,
      'SELECT MIN(seq) AS seq FROM updates WHERE doc = $1',
      [name],
    );
    return row?.seq ?? null;
  }

  async stateAt(name: string, seq: number): Promise<Uint8Array | null> {
    const oldest = await this.oldestLoggedSeq(name);
    if (oldest === null || oldest > 1) return null;
    const logged = await rows<{ data: Buffer }>(
      this.pool,
      'SELECT data FROM updates WHERE doc = $1 AND seq <= $2 ORDER BY seq',
      [name, seq],
    );
    return logged.length ? Y.mergeUpdates(logged.map((r) => r.data)) : new Uint8Array([0, 0]);
  }

  async flush(): Promise<void> {
    const last = this.open.entries.length > 0 ? this.open : this.committing;
    if (!last) return;
    if (last === this.open && !this.committing) this.commitOpen();
    await last.durable;
  }

  forget(name: string): void {
    this.lastSeq.delete(name);
    this.bytes.delete(name);
  }

  /**
   * What the last load of the document read (snapshot and log after it) plus every append since: read by the
   * update checks right after a load, when it is exact; later snapshots make it an over-estimate, which only
   * makes the size check measure the document sooner.
   */
  storedBytes(name: string): number {
    return this.bytes.get(name) ?? 0;
  }

  /**
   * Nothing: the log is not read synchronously here. The update checks scan it only for client ids written
   * before client-id bindings existed, and no document on PostgreSQL predates them; an unbound client id
   * found in a document (DATA_DIR, where bindings live, replaced) goes to its first writer.
   */
  loggedUpdates(_name: string): Iterable<{ userId: string | null; data: Uint8Array }> {
    return [];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
  }

  /** Starts committing the open batch; the next appends collect in a new one. */
  private commitOpen(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const batch = this.open;
    if (batch.entries.length === 0 || this.committing) return;
    this.open = new Batch();
    this.committing = batch;
    void this.commit(batch).then(() => {
      this.committing = null;
      // Whatever arrived during the commit is the next group.
      if (this.open.entries.length > 0) this.commitOpen();
    });
  }

  /** Commits one batch, retrying until it succeeds; resolves the batch's `durable`. */
  private async commit(batch: Batch): Promise<void> {
    const { entries } = batch;
    const columns = [
      entries.map((e) => e.doc),
      entries.map((e) => e.seq),
      entries.map((e) => e.ts),
      entries.map((e) => e.userId),
      entries.map((e) => e.data),
    ];
    for (let attempt = 0; ; attempt++) {
      try {
        await this.pool.query(INSERT_BATCH, columns);
        batch.resolve();
        return;
      } catch (error) {
        const retryMs = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** attempt);
        this.options.log?.error(
          { err: error, entries: entries.length, retryMs },
          'update log commit failed; will retry',
        );
        await new Promise((r) => setTimeout(r, retryMs));
      }
    }
  }

  private async maxSeq(name: string, fallback: number): Promise<number> {
    const row = await first<{ seq: number | null }>(
      this.pool,
      'SELECT MAX(seq) AS seq FROM updates WHERE doc = $1',
      [name],
    );
    return Math.max(row?.seq ?? 0, fallback);
  }
}
