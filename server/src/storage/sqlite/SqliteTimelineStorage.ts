// TimelineStorage on SQLite (types/timeline.ts). Reads of the update log fold the journal first, so they see
// every appended update.
import type { Db } from '../db.ts';
import type { LoggedUpdate } from '../types/documents.ts';
import type {
  BreakoutSetTimes,
  Checkpoint,
  CheckpointInfo,
  DocLogStats,
  HandRow,
  LogEntry,
  NewTimelineRow,
  PollTimes,
  TimelineStorage,
} from '../types/timeline.ts';
import { type TimelineEventRow, toTimelineRow } from '../types/timelineRows.ts';

export class SqliteTimelineStorage implements TimelineStorage {
  private readonly stmts;

  constructor(
    private readonly db: Db,
    /** Folds the update journal into the `updates` table (DocumentStore.fold). */
    private readonly fold: () => void,
  ) {
    const sql = db.sql;
    this.stmts = {
      record: sql.prepare(
        'INSERT INTO timeline_events (class_id, at, kind, actor_id, actor_name, data) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      events: sql.prepare(
        `SELECT * FROM timeline_events WHERE class_id IN (SELECT value FROM json_each(?)) AND at >= ? AND at <= ?
         ORDER BY at, id LIMIT ?`,
      ),
      hands: sql.prepare(
        `SELECT id, user_id AS userId, name, raised_at AS raisedAt, lowered_at AS loweredAt, lowered_by AS loweredBy
         FROM hands WHERE class_id = ? AND session_id = ? ORDER BY raised_at, id`,
      ),
      breakoutSets: sql.prepare(
        `SELECT id, created_at AS createdAt, closed_at AS closedAt, created_by AS createdBy FROM breakout_sets
         WHERE session_id = ? ORDER BY created_at, id`,
      ),
      polls: sql.prepare(
        `SELECT id, definition, opened_at AS openedAt, closed_at AS closedAt, created_by AS createdBy FROM polls
         WHERE session_id = ? AND opened_at IS NOT NULL ORDER BY opened_at, id`,
      ),
      logStats: sql.prepare(
        `SELECT doc, COUNT(*) AS edits, MIN(ts) AS firstTs, MAX(ts) AS lastTs FROM updates
         WHERE doc >= ? AND doc < ? AND ts >= ? AND ts <= ? GROUP BY doc ORDER BY doc`,
      ),
      logEntries: sql.prepare(
        `SELECT doc, seq, ts, user_id AS userId, length(data) AS bytes FROM updates
         WHERE doc = :doc AND ts <= :to AND (ts > :afterTs OR (ts = :afterTs AND seq > :afterSeq))
         ORDER BY seq LIMIT :limit`,
      ),
      activity: sql.prepare(
        `SELECT CAST((ts - :from) / :bucketMs AS INTEGER) AS bucket, COUNT(*) AS n FROM updates
         WHERE doc IN (SELECT value FROM json_each(:docs)) AND ts >= :from AND ts < :from + :bucketMs * :buckets
         GROUP BY bucket`,
      ),
      updates: sql.prepare(
        'SELECT seq, ts, user_id AS userId, data FROM updates WHERE doc = ? AND seq > ? ORDER BY seq LIMIT ?',
      ),
      checkpointAt: sql.prepare(
        'SELECT seq, ts, state FROM doc_checkpoints WHERE doc = ? AND ts <= ? ORDER BY ts DESC, seq DESC LIMIT 1',
      ),
      nextCheckpoint: sql.prepare(
        'SELECT seq FROM doc_checkpoints WHERE doc = ? AND ts > ? ORDER BY ts, seq LIMIT 1',
      ),
      latestSeq: sql.prepare('SELECT MAX(seq) AS seq FROM doc_checkpoints WHERE doc = ?'),
      checkpoints: sql.prepare(
        'SELECT seq, ts, length(state) AS bytes FROM doc_checkpoints WHERE doc = ? ORDER BY seq',
      ),
      saveCheckpoint: sql.prepare(
        'INSERT OR IGNORE INTO doc_checkpoints (doc, seq, ts, state) VALUES (?, ?, ?, ?)',
      ),
      dropCheckpoint: sql.prepare('DELETE FROM doc_checkpoints WHERE doc = ? AND seq = ?'),
    };
  }

  async record(row: NewTimelineRow): Promise<void> {
    this.stmts.record.run(
      row.classId,
      row.at,
      row.kind,
      row.actorId,
      row.actorName,
      JSON.stringify(row.data),
    );
  }

  async events(classIds: readonly string[], from: number, to: number, limit: number) {
    const found = this.stmts.events.all(JSON.stringify(classIds), from, to, limit) as TimelineEventRow[];
    return found.map(toTimelineRow);
  }

  async hands(classId: string, sessionId: string) {
    return this.stmts.hands.all(classId, sessionId) as HandRow[];
  }

  async breakoutSets(sessionId: string) {
    return this.stmts.breakoutSets.all(sessionId) as BreakoutSetTimes[];
  }

  async polls(sessionId: string) {
    return this.stmts.polls.all(sessionId) as PollTimes[];
  }

  async logStats(prefix: string, from: number, to: number) {
    this.fold();
    return this.stmts.logStats.all(prefix, `${prefix}\uffff`, from, to) as DocLogStats[];
  }

  async logEntries(doc: string, to: number, after: { ts: number; seq: number }, limit: number) {
    this.fold();
    return this.stmts.logEntries.all({
      doc,
      to,
      afterTs: after.ts,
      afterSeq: after.seq,
      limit,
    }) as LogEntry[];
  }

  async activity(docs: readonly string[], from: number, bucketMs: number, buckets: number) {
    this.fold();
    const counts = new Array<number>(buckets).fill(0);
    const found = this.stmts.activity.all({
      docs: JSON.stringify(docs),
      from,
      bucketMs,
      buckets,
    }) as { bucket: number; n: number }[];
    for (const { bucket, n } of found) if (bucket >= 0 && bucket < buckets) counts[bucket] = n;
    return counts;
  }

  async updates(doc: string, afterSeq: number, limit: number) {
    this.fold();
    return this.stmts.updates.all(doc, afterSeq, limit) as LoggedUpdate[];
  }

  async checkpointAt(doc: string, t: number) {
    const at = (this.stmts.checkpointAt.get(doc, t) as Checkpoint | undefined) ?? null;
    const next = this.stmts.nextCheckpoint.get(doc, t) as { seq: number } | undefined;
    return { at, nextSeq: next?.seq ?? null };
  }

  async latestCheckpointSeq(doc: string) {
    return (this.stmts.latestSeq.get(doc) as { seq: number | null }).seq ?? 0;
  }

  async checkpoints(doc: string) {
    return this.stmts.checkpoints.all(doc) as CheckpointInfo[];
  }

  async saveCheckpoint(doc: string, c: Checkpoint) {
    this.stmts.saveCheckpoint.run(doc, c.seq, c.ts, c.state);
  }

  async dropCheckpoints(doc: string, seqs: readonly number[]) {
    this.db.sql.transaction(() => {
      for (const seq of seqs) this.stmts.dropCheckpoint.run(doc, seq);
    })();
  }
}
