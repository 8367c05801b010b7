// The timeline storage contract (docs/timeline.md): the facts of a class stored with no time elsewhere
// (timeline_events), reads of what other tables already hold with times (the update log, hands, breakout
// sets, polls), and the time-indexed document checkpoints that make seeking fast (doc_checkpoints).
// Two engines: sqlite/SqliteTimelineStorage.ts, pg/PgTimelineStorage.ts.
import type { LoggedUpdate } from './documents.ts';

export interface NewTimelineRow {
  classId: string;
  at: number;
  kind: string;
  actorId: string | null;
  actorName: string | null;
  /** Plain JSON, stored as text. */
  data: unknown;
}

export interface TimelineRow extends NewTimelineRow {
  id: number;
}

/** A log entry without its bytes' content. */
export interface LogEntry {
  doc: string;
  seq: number;
  ts: number;
  userId: string | null;
  bytes: number;
}

export interface DocLogStats {
  doc: string;
  edits: number;
  firstTs: number;
  lastTs: number;
}

export interface HandRow {
  id: number;
  userId: string;
  name: string;
  raisedAt: number;
  loweredAt: number | null;
  loweredBy: string | null;
}

export interface BreakoutSetTimes {
  id: number;
  createdAt: number;
  closedAt: number | null;
  createdBy: string;
}

export interface PollTimes {
  id: string;
  /** The poll's definition as stored (JSON). */
  definition: string;
  openedAt: number | null;
  closedAt: number | null;
  createdBy: string | null;
}

export interface Checkpoint {
  seq: number;
  ts: number;
  state: Uint8Array;
}

export interface CheckpointInfo {
  seq: number;
  ts: number;
  bytes: number;
}

export interface TimelineStorage {
  record(row: NewTimelineRow): Promise<void>;
  /** Stored events of the classes with `at` in [from, to], in (at, id) order, at most `limit`. */
  events(classIds: readonly string[], from: number, to: number, limit: number): Promise<TimelineRow[]>;
  /** Hands raised in a session (main class id), oldest first. */
  hands(classId: string, sessionId: string): Promise<HandRow[]>;
  breakoutSets(sessionId: string): Promise<BreakoutSetTimes[]>;
  polls(sessionId: string): Promise<PollTimes[]>;
  /** Documents named `<prefix>...` with log entries in [from, to], with their counts, by name. */
  logStats(prefix: string, from: number, to: number): Promise<DocLogStats[]>;
  /**
   * Log entries of `doc` in [from, to] after the position (ts, seq) `after` (later ts, or the same ts and a
   * larger seq), in seq order, at most `limit`.
   */
  logEntries(doc: string, to: number, after: { ts: number; seq: number }, limit: number): Promise<LogEntry[]>;
  /** Log entries of the documents per bucket of `bucketMs` from `from` (`buckets` counts). */
  activity(docs: readonly string[], from: number, bucketMs: number, buckets: number): Promise<number[]>;
  /** Logged updates after `afterSeq` in seq order, at most `limit`, with their bytes. */
  updates(doc: string, afterSeq: number, limit: number): Promise<LoggedUpdate[]>;
  /** The newest checkpoint written at or before `t`, and the seq of the first one after it (or null). */
  checkpointAt(doc: string, t: number): Promise<{ at: Checkpoint | null; nextSeq: number | null }>;
  /** The newest checkpoint's seq (0: none). */
  latestCheckpointSeq(doc: string): Promise<number>;
  /** Every checkpoint of the document without its state, oldest first. */
  checkpoints(doc: string): Promise<CheckpointInfo[]>;
  /** Stores a checkpoint (ignored when one exists at `seq`). */
  saveCheckpoint(doc: string, checkpoint: Checkpoint): Promise<void>;
  dropCheckpoints(doc: string, seqs: readonly number[]): Promise<void>;
}
