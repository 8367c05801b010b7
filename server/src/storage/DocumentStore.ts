// Document persistence: a snapshot per document plus an append-only update log (who changed what, when).
// Loading = snapshot + the log entries after it. Knows nothing about sockets or Hocuspocus.
//
// Appending is one write() to the update journal (UpdateJournal.ts), which is what makes an update durable
// before it is acknowledged; the journal is folded into the `updates` table in one transaction per batch
// (every `foldIntervalMs`, or sooner when a batch grows large) and emptied. Every read folds first, so readers
// always see every appended update. On start, entries a crash left in the journal are folded.
//
// Client-id bindings (`client_ids`) are read with a document when it loads. New ones wait in memory for the
// document's next append, whose journal record carries them (one write() for the update and its bindings),
// and are folded in the same transaction as that update; any no append takes go in with the next fold.
// Each folded update is also indexed into edit spans (EditSpanStore.ts) in the same transaction.
import * as Y from 'yjs';
import type { Logger } from '../logger.ts';
import { ClientIdStore } from './ClientIdStore.ts';
import type { Db } from './db.ts';
import { EditSpanStore } from './EditSpanStore.ts';
import { classOfDocument, KEEP_FOR_RECORDINGS_SQLITE } from './recordingHistory.ts';
import type { ClientIdBinding } from './types/clientIds.ts';
import { type JournalEntry, UpdateJournal } from './UpdateJournal.ts';

export interface LoggedUpdate {
  seq: number;
  ts: number;
  userId: string | null;
  data: Uint8Array;
}

export interface DocumentStoreOptions {
  /** Log entries older than this (and already covered by a snapshot) are deleted; 0 keeps them forever. */
  historyRetentionDays: number;
  /** How long appended updates may wait in the journal before they are folded into SQLite. */
  foldIntervalMs?: number;
  /** Where the update journal lives; default: next to the database file. */
  journalFile?: string;
  log?: Logger;
  now?: () => number;
}

const DEFAULT_FOLD_INTERVAL_MS = 250;
/** Fold at once when this many entries or bytes wait, whatever the interval. */
const FOLD_AT_ENTRIES = 2000;
const FOLD_AT_BYTES = 4 * 1024 * 1024;
/** Log entries read at a time when the log is scanned (loggedUpdates). */
const LOG_PAGE_ROWS = 256;

export class DocumentStore {
  private readonly now: () => number;
  private readonly lastSeq = new Map<string, number>();
  /** Documents whose `documents` row this store has made sure of (rows are never deleted). */
  private readonly ensured = new Set<string>();
  private readonly stmts;
  private readonly journal: UpdateJournal;
  private readonly foldIntervalMs: number;
  private readonly clientIds: ClientIdStore;
  /** When each client's clock ranges were written (attribution), folded with the updates. */
  readonly spans: EditSpanStore;
  private pending: JournalEntry[] = [];
  private pendingBytes = 0;
  private foldTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly db: Db,
    private readonly options: DocumentStoreOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.foldIntervalMs = options.foldIntervalMs ?? DEFAULT_FOLD_INTERVAL_MS;
    const sql = db.sql;
    this.stmts = {
      ensureDoc: sql.prepare('INSERT OR IGNORE INTO documents (name, created_at) VALUES (?, ?)'),
      getDoc: sql.prepare('SELECT snapshot, snapshot_seq FROM documents WHERE name = ?'),
      updatesAfter: sql.prepare('SELECT seq, data FROM updates WHERE doc = ? AND seq > ? ORDER BY seq'),
      maxSeq: sql.prepare('SELECT MAX(seq) AS seq FROM updates WHERE doc = ?'),
      insertUpdate: sql.prepare('INSERT INTO updates (doc, seq, ts, user_id, data) VALUES (?, ?, ?, ?, ?)'),
      recoverUpdate: sql.prepare(
        'INSERT OR IGNORE INTO updates (doc, seq, ts, user_id, data) VALUES (?, ?, ?, ?, ?)',
      ),
      setSnapshot: sql.prepare(
        'UPDATE documents SET snapshot = ?, snapshot_seq = ?, snapshot_at = ? WHERE name = ? AND snapshot_seq <= ?',
      ),
      // Entries are logged in time order, so the ones past retention are a prefix: delete up to the first recent
      // one, walking only the rows deleted (a filter on ts alone would scan the document's whole log each time).
      // A class's keystroke history is kept from the start of its oldest recording still kept (recordingHistory.ts).
      prune: sql.prepare(
        `DELETE FROM updates WHERE doc = :doc AND seq <= :upTo AND seq < COALESCE(
           (SELECT seq FROM updates WHERE doc = :doc AND ts >= ${KEEP_FOR_RECORDINGS_SQLITE} ORDER BY seq LIMIT 1),
           :upTo + 1)`,
      ),
      // Checkpoints go with the log they cover: one older than the log's first entry's base is never read again.
      pruneCheckpoints: sql.prepare(
        'DELETE FROM doc_checkpoints WHERE doc = :doc AND seq < COALESCE((SELECT MIN(seq) FROM updates WHERE doc = :doc), :upTo + 1) - 1',
      ),
      history: sql.prepare(
        'SELECT seq, ts, user_id AS userId, length(data) AS bytes FROM updates WHERE doc = ? AND seq > ? ORDER BY seq LIMIT ?',
      ),
      updatesUpTo: sql.prepare(
        'SELECT seq, ts, user_id AS userId, data FROM updates WHERE doc = ? AND seq <= ? ORDER BY seq',
      ),
      minSeq: sql.prepare('SELECT MIN(seq) AS seq FROM updates WHERE doc = ?'),
      loggedUpdates: sql.prepare(
        'SELECT seq, user_id AS userId, data FROM updates WHERE doc = ? AND seq > ? ORDER BY seq LIMIT ?',
      ),
      storedBytes: sql.prepare(
        `SELECT COALESCE((SELECT length(snapshot) FROM documents WHERE name = :doc), 0) + COALESCE((SELECT SUM(length(data))
           FROM updates WHERE doc = :doc AND seq > COALESCE((SELECT snapshot_seq FROM documents WHERE name = :doc), 0)), 0) AS bytes`,
      ),
    };
    this.clientIds = new ClientIdStore(db);
    this.spans = new EditSpanStore(db);
    const { journal, contents } = UpdateJournal.open(options.journalFile ?? `${db.file}.updates`);
    this.journal = journal;
    this.recover(contents.entries, contents.discardedBytes);
  }

  /**
   * The document's full state (snapshot + later log entries) merged into one update, or null if new. Its
   * client-id bindings are read too, for takeLoadedClientIds().
   */
  load(name: string): { state: Uint8Array | null; seq: number; pendingLogEntries: number } {
    this.fold();
    this.clientIds.readForLoad(name);
    const row = this.stmts.getDoc.get(name) as { snapshot: Buffer | null; snapshot_seq: number } | undefined;
    const base = row?.snapshot_seq ?? 0;
    const rows = this.stmts.updatesAfter.all(name, base) as { seq: number; data: Buffer }[];
    const parts: Uint8Array[] = [];
    if (row?.snapshot) parts.push(row.snapshot);
    for (const r of rows) parts.push(r.data);
    // No entry after the snapshot: every logged one is at or below it (a MAX(seq) query would say the same).
    const seq = rows.at(-1)?.seq ?? base;
    this.lastSeq.set(name, seq);
    // A stored document has its row; only a new one needs the (write) statement that creates it.
    if (row) this.ensured.add(name);
    else this.ensureDoc(name, this.now());
    const state = parts.length === 0 ? null : parts.length === 1 ? parts[0]! : Y.mergeUpdates(parts);
    return { state, seq, pendingLogEntries: rows.length };
  }

  /**
   * Appends one accepted update durably (one write() to the journal) before the server acknowledges it to
   * anyone. Returns the update's sequence number and the time written with it.
   */
  append(name: string, update: Uint8Array, userId: string | null): { seq: number; ts: number } {
    const entry: JournalEntry = {
      doc: name,
      seq: (this.lastSeq.get(name) ?? this.maxSeq(name, 0)) + 1,
      ts: this.now(),
      userId,
      data: update,
    };
    const bindings = this.clientIds.waitingFor(name);
    if (bindings) entry.bindings = bindings;
    this.journal.append(entry);
    // Only once the record is written: if the write threw, the bindings wait for the next append or fold.
    if (bindings) this.clientIds.journaled(name);
    this.lastSeq.set(name, entry.seq);
    this.pending.push(entry);
    this.pendingBytes += update.length;
    if (this.pending.length >= FOLD_AT_ENTRIES || this.pendingBytes >= FOLD_AT_BYTES) this.foldLogged();
    else this.foldTimer ??= setTimeout(() => this.foldLogged(), this.foldIntervalMs).unref();
    return { seq: entry.seq, ts: entry.ts };
  }

  /**
   * Records client-id bindings for `name`: the document's next append writes them in its journal record, or
   * the next fold writes them if no append comes first.
   */
  bind(name: string, bindings: readonly ClientIdBinding[]): void {
    if (bindings.length === 0) return;
    this.clientIds.add(name, bindings);
    this.foldTimer ??= setTimeout(() => this.foldLogged(), this.foldIntervalMs).unref();
  }

  /** Hands over the bindings the last load(name) read; throws if there are none to take. */
  takeLoadedClientIds(name: string): Map<number, string | null> {
    return this.clientIds.takeLoaded(name);
  }

  /**
   * Moves every journaled update and waiting binding into SQLite (one transaction), then empties the journal.
   * Throws if SQLite fails; nothing is lost then: the journal and the pending batch stay for the next try.
   */
  fold(): void {
    if (this.foldTimer) {
      clearTimeout(this.foldTimer);
      this.foldTimer = null;
    }
    if (this.pending.length === 0 && !this.clientIds.anyWaiting) return;
    const batch = this.pending;
    try {
      this.transaction(() => {
        for (const e of batch) {
          this.ensureDoc(e.doc, e.ts);
          this.stmts.insertUpdate.run(e.doc, e.seq, e.ts, e.userId, e.data);
          this.spans.record(e);
          if (e.bindings) this.clientIds.write(e.doc, e.bindings, e.ts);
        }
        this.spans.write();
        this.clientIds.writeWaiting(this.now());
      });
    } catch (error) {
      // The span index forgets its open spans so the retry writes the rolled-back ones again.
      this.spans.reset();
      // Retried from the timer, even if no other update or read comes along.
      this.foldTimer ??= setTimeout(() => this.foldLogged(), this.foldIntervalMs).unref();
      throw error;
    }
    this.pending = [];
    this.pendingBytes = 0;
    this.clientIds.written();
    this.journal.clear();
  }

  /** Folds what is pending and closes the journal (shutdown). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.fold();
    } finally {
      this.journal.close();
    }
  }

  currentSeq(name: string): number {
    return this.lastSeq.get(name) ?? this.maxSeq(name, 0);
  }

  /**
   * Stores a snapshot covering the log up to `seq` (the state must include every update up to it), then
   * drops log entries that are both covered and older than the retention period.
   */
  saveSnapshot(name: string, state: Uint8Array, seq: number): void {
    // The snapshot may only cover updates the table holds: recovery skips journal entries a snapshot covers.
    this.fold();
    const ts = this.now();
    this.transaction(() => {
      this.ensureDoc(name, ts);
      this.stmts.setSnapshot.run(state, seq, ts, name, seq);
      if (this.options.historyRetentionDays > 0) {
        const cutoff = ts - this.options.historyRetentionDays * 86_400_000;
        this.stmts.prune.run({ doc: name, upTo: seq, cutoff, cls: classOfDocument(name) });
        this.stmts.pruneCheckpoints.run({ doc: name, upTo: seq });
      }
    });
  }

  /** Log entries after `afterSeq` without their bytes: who changed the document and when. */
  history(
    name: string,
    afterSeq = 0,
    limit = 500,
  ): { seq: number; ts: number; userId: string | null; bytes: number }[] {
    this.fold();
    return this.stmts.history.all(name, afterSeq, limit) as never;
  }

  /** Every log entry of a document still kept, oldest first, with its author (client-id bindings read these). */
  *loggedUpdates(name: string): Generator<{ userId: string | null; data: Uint8Array }> {
    // Read in pages, so no statement stays open while the reader works (or awaits) between entries.
    for (let after = 0; ; ) {
      this.fold();
      const page = this.stmts.loggedUpdates.all(name, after, LOG_PAGE_ROWS) as {
        seq: number;
        userId: string | null;
        data: Buffer;
      }[];
      for (const { userId, data } of page) yield { userId, data };
      if (page.length < LOG_PAGE_ROWS) return;
      after = page.at(-1)!.seq;
    }
  }

  /** Bytes a load reads for the document: its snapshot and the log after it (at least its encoded size). */
  storedBytes(name: string): number {
    this.fold();
    return (this.stmts.storedBytes.get({ doc: name }) as { bytes: number | null }).bytes ?? 0;
  }

  /** The first sequence number still in the log (older entries were compacted away). */
  oldestLoggedSeq(name: string): number | null {
    this.fold();
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
    this.ensured.delete(name);
    this.clientIds.forget(name);
    this.spans.forget(name);
  }

  /** One SQLite transaction; if it rolls back, rows it ensured may not exist, so they are checked again. */
  private transaction(fn: () => void): void {
    try {
      this.db.sql.transaction(fn)();
    } catch (error) {
      this.ensured.clear();
      throw error;
    }
  }

  private ensureDoc(name: string, ts: number): void {
    if (this.ensured.has(name)) return;
    this.stmts.ensureDoc.run(name, ts);
    // Remembered only while the document is loaded (forget() drops both): a write that lands after its unload
    // (a fold or snapshot finishing late) must not leave the name behind for the life of the process.
    if (this.lastSeq.has(name)) this.ensured.add(name);
  }

  private maxSeq(name: string, fallback: number): number {
    this.fold();
    const row = this.stmts.maxSeq.get(name) as { seq: number | null };
    return Math.max(row.seq ?? 0, fallback);
  }

  /** fold() from a timer or an append: a failure is logged and retried, never thrown at the writer. */
  private foldLogged(): void {
    try {
      this.fold();
    } catch (error) {
      this.options.log?.error(
        { err: error, pending: this.pending.length },
        'update log fold failed; will retry',
      );
    }
  }

  /** Folds what a crash left in the journal; entries already in the table (or under a snapshot) are skipped. */
  private recover(entries: JournalEntry[], discardedBytes: number): void {
    if (discardedBytes > 0) {
      this.options.log?.warn({ bytes: discardedBytes }, 'update journal: cut off a torn record at its end');
    }
    if (entries.length === 0) {
      this.journal.clear();
      return;
    }
    let recovered = 0;
    this.transaction(() => {
      const floor = new Map<string, number>();
      for (const e of entries) {
        let covered = floor.get(e.doc);
        if (covered === undefined) {
          const row = this.stmts.getDoc.get(e.doc) as { snapshot_seq: number } | undefined;
          const logged = (this.stmts.maxSeq.get(e.doc) as { seq: number | null }).seq ?? 0;
          covered = Math.max(row?.snapshot_seq ?? 0, logged);
          floor.set(e.doc, covered);
          this.ensureDoc(e.doc, e.ts);
        }
        // Bindings are kept even when the update is covered: writing them again changes nothing.
        if (e.bindings) this.clientIds.write(e.doc, e.bindings, e.ts);
        if (e.seq <= covered) continue;
        this.stmts.recoverUpdate.run(e.doc, e.seq, e.ts, e.userId, e.data);
        this.spans.record(e);
        recovered++;
      }
      this.spans.write();
    });
    this.journal.clear();
    this.options.log?.info({ entries: entries.length, recovered }, 'update journal folded after restart');
  }
}
