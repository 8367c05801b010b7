// The document storage contract: a snapshot per document plus an append-only update log. Two engines
// implement it (sqlite/SqliteDocumentStorage.ts, pg/PgDocumentStorage.ts), with the client-id bindings
// (clientIds.ts) loaded and written alongside; test/integration/storage/*Contract.test.ts runs both.

export interface LoggedUpdate {
  seq: number;
  ts: number;
  userId: string | null;
  data: Uint8Array;
}

export interface HistoryEntry {
  seq: number;
  ts: number;
  userId: string | null;
  bytes: number;
}

export interface LoadedDocument {
  /** Snapshot + later log entries merged into one update; null for a document never written. */
  state: Uint8Array | null;
  /** Sequence number of the last logged update. */
  seq: number;
  /** Log entries after the snapshot (how much a new snapshot would compact). */
  pendingLogEntries: number;
}

/**
 * An appended update: its sequence number at once, and when it is durable. `durable` is null when the update
 * already is (SQLite's journal write), else a promise that settles once the engine has committed it: the
 * seam the collaboration core waits on before it acknowledges the update.
 */
export interface Appended {
  seq: number;
  /** The server clock written with the entry (what the timeline seeks by). */
  ts: number;
  durable: Promise<void> | null;
}

export interface DocumentStorage {
  /** Reads the document, and its client-id bindings for ClientIdStorage.loadedClientIds(). */
  load(name: string): Promise<LoadedDocument>;
  /**
   * Logs one accepted update. Call load(name) first: sequence numbers are handed out from what load read,
   * without a round trip. Never throws for a database failure; a failed commit is retried and `durable`
   * waits for it.
   */
  append(name: string, update: Uint8Array, userId: string | null): Appended;
  /** The sequence number of the last appended update (0 for none). */
  currentSeq(name: string): Promise<number>;
  /**
   * Stores a snapshot covering the log up to `seq` (the state must hold every update up to it), then drops
   * covered log entries older than the retention period. No-op when a newer snapshot is stored already.
   */
  saveSnapshot(name: string, state: Uint8Array, seq: number): Promise<void>;
  /** Log entries after `afterSeq`, without their bytes: who changed the document, when. */
  history(name: string, afterSeq?: number, limit?: number): Promise<HistoryEntry[]>;
  /** The first sequence number still in the log (older entries were compacted away), or null. */
  oldestLoggedSeq(name: string): Promise<number | null>;
  /** The log replayed up to `seq` as one update, or null when the log's start was compacted away. */
  stateAt(name: string, seq: number): Promise<Uint8Array | null>;
  /** Waits until every update appended and every binding made so far is durable and visible to reads. */
  flush(): Promise<void>;
  /** Drops what is cached about a document (it was unloaded). */
  forget(name: string): void;
  /** Flushes, then releases the engine's resources for documents (idempotent). */
  close(): Promise<void>;
}

/**
 * What the update checks (collab/UpdateGate.ts) read of a document's log when it has just been loaded.
 * storedBytes is synchronous (they decide before an update is applied, with no round trip): SQLite reads its
 * database; PostgreSQL answers from what its last load read (pg/PgDocumentStorage.ts).
 */
export interface UpdateLogReader {
  /** Bytes a load of the document reads: its snapshot and the log after it (at least its encoded size). */
  storedBytes(name: string): number;
  /**
   * Log entries still kept, oldest first, with their authors: client ids found in a document without a binding
   * (written before bindings existed, or before they moved to this engine) are attributed from these when the
   * document loads. Read in pages; a reader may stop early.
   */
  loggedUpdates(name: string): AsyncIterable<{ userId: string | null; data: Uint8Array }>;
}
