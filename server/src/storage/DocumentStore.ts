// Document persistence: a snapshot per document plus an append-only update log (who changed what, when).
// Loading = snapshot + the log entries after it. Knows nothing about sockets or Hocuspocus.
import * as Y from 'yjs';
import type { Db } from './db.ts';

export interface LoggedUpdate {
  seq: number;
  ts: number;
  userId: string | null;
  data: Uint8Array;
}

export interface DocumentStoreOptions {
  /** Log entries older than this (and already covered by a snapshot) are deleted; 0 keeps them forever. */
  historyRetentionDays: number;
  now?: () => number;
}

export class DocumentStore {
  private readonly now: () => number;
  private readonly lastSeq = new Map<string, number>();
  private readonly stmts;

  constructor(
    private readonly db: Db,
    private readonly options: DocumentStoreOptions,
  ) {
    this.now = options.now ?? Date.now;
    const sql = db.sql;
    this.stmts = {
      ensureDoc: sql.prepare('INSERT OR IGNORE INTO documents (name, created_at) VALUES (?, ?)'),
      getDoc: sql.prepare('SELECT snapshot, snapshot_seq FROM documents WHERE name = ?'),
      updatesAfter: sql.prepare('SELECT seq, data FROM updates WHERE doc = ? AND seq > ? ORDER BY seq'),
      maxSeq: sql.prepare('SELECT MAX(seq) AS seq FROM updates WHERE doc = ?'),
      insertUpdate: sql.prepare('INSERT INTO updates (doc, seq, ts, user_id, data) VALUES (?, ?, ?, ?, ?)'),
      setSnapshot: sql.prepare(
        'UPDATE documents SET snapshot = ?, snapshot_seq = ?, snapshot_at = ? WHERE name = ? AND snapshot_seq <= ?',
      ),
      prune: sql.prepare('DELETE FROM updates WHERE doc = ? AND seq <= ? AND ts < ?'),
      history: sql.prepare(
        'SELECT seq, ts, user_id AS userId, length(data) AS bytes FROM updates WHERE doc = ? AND seq > ? ORDER BY seq LIMIT ?',
      ),
      updatesUpTo: sql.prepare(
        'SELECT seq, ts, user_id AS userId, data FROM updates WHERE doc = ? AND seq <= ? ORDER BY seq',
      ),
      minSeq: sql.prepare('SELECT MIN(seq) AS seq FROM updates WHERE doc = ?'),
    };
  }

  /** The document's full state (snapshot + later log entries) merged into one update, or null if new. */
  load(name: string): { state: Uint8Array | null; seq: number; pendingLogEntries: number } {
    const row = this.stmts.getDoc.get(name) as { snapshot: Buffer | null; snapshot_seq: number } | undefined;
    const base = row?.snapshot_seq ?? 0;
    const rows = this.stmts.updatesAfter.all(name, base) as { seq: number; data: Buffer }[];
    const parts: Uint8Array[] = [];
    if (row?.snapshot) parts.push(row.snapshot);
    for (const r of rows) parts.push(r.data);
    const seq = rows.at(-1)?.seq ?? this.maxSeq(name, base);
    this.stmts.ensureDoc.run(name, this.now());
    this.lastSeq.set(name, seq);
    const state = parts.length === 0 ? null : parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
    return { state, seq, pendingLogEntries: rows.length };
  }

  /**
   * Appends one accepted update, synchronously and durably (its own transaction), before the server
   * acknowledges it to anyone. Returns the update's sequence number.
   */
  append(name: string, update: Uint8Array, userId: string | null): number {
    const known = this.lastSeq.get(name);
    const seq = (known ?? this.maxSeq(name, 0)) + 1;
    const ts = this.now();
    // A document seen by load() or an earlier append already has its row.
    if (known === undefined) this.stmts.ensureDoc.run(name, ts);
    this.stmts.insertUpdate.run(name, seq, ts, userId, update);
    this.lastSeq.set(name, seq);
    return seq;
  }

  currentSeq(name: string): number {
    return this.lastSeq.get(name) ?? this.maxSeq(name, 0);
  }

  /**
   * Stores a snapshot covering the log up to `seq` (the state must include every update up to it), then
   * drops log entries that are both covered and older than the retention period.
   */
  saveSnapshot(name: string, state: Uint8Array, seq: number): void {
    const ts = this.now();
    this.db.sql.transaction(() => {
      this.stmts.ensureDoc.run(name, ts);
      this.stmts.setSnapshot.run(state, seq, ts, name, seq);
      if (this.options.historyRetentionDays > 0) {
        this.stmts.prune.run(name, seq, ts - this.options.historyRetentionDays * 86_400_000);
      }
    })();
  }

  /** Log entries after `afterSeq` without their bytes: who changed the document and when. */
  history(
    name: string,
    afterSeq = 0,
    limit = 500,
  ): { seq: number; ts: number; userId: string | null; bytes: number }[] {
    return this.stmts.history.all(name, afterSeq, limit) as never;
  }

  /** The first sequence number still in the log (older entries were compacted away). */
  oldestLoggedSeq(name: string): number | null {
    return (this.stmts.minSeq.get(name) as { seq: number | null }).seq;
  }

  /** Replays the log up to `seq` into a fresh Y.Doc (for replay and attribution), or null if compacted away. */
  stateAt(name: string, seq: number): Uint8Array | null {
    const oldest = this.oldestLoggedSeq(name);
    if (oldest === null || oldest > 1) return null;
    const rows = this.stmts.updatesUpTo.all(name, seq) as { data: Buffer }[];
    return rows.length ? Y.mergeUpdates(rows.map((r) => r.data)) : new Uint8Array([0, 0]);
  }

  forget(name: string): void {
    this.lastSeq.delete(name);
  }

  private maxSeq(name: string, fallback: number): number {
    const row = this.stmts.maxSeq.get(name) as { seq: number | null };
    return Math.max(row.seq ?? 0, fallback);
  }
}
