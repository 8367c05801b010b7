// TimelineStorage on PostgreSQL (types/timeline.ts). Reads of the update log wait for the group commit first,
// so they see every appended update. Document names compare in byte order (COLLATE "C"), as on SQLite.
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
import { first, type PgPool, rows } from './pool.ts';

export class PgTimelineStorage implements TimelineStorage {
  constructor(
    private readonly pool: PgPool,
    /** Waits until every appended update is committed (PgDocumentStorage.flush). */
    private readonly flush: () => Promise<void>,
  ) {}

  async record(row: NewTimelineRow): Promise<void> {
    await this.pool.query(
      'INSERT INTO timeline_events (class_id, at, kind, actor_id, actor_name, data) VALUES ($1, $2, $3, $4, $5, $6)',
      [row.classId, row.at, row.kind, row.actorId, row.actorName, JSON.stringify(row.data)],
    );
  }

  async events(classIds: readonly string[], from: number, to: number, limit: number) {
    const found = await rows<TimelineEventRow>(
      this.pool,
      `SELECT * FROM timeline_events WHERE class_id = ANY($1) AND at >= $2 AND at <= $3
       ORDER BY at, id LIMIT $4`,
      [classIds, from, to, limit],
    );
    return found.map(toTimelineRow);
  }

  hands(classId: string, sessionId: string) {
    return rows<HandRow>(
      this.pool,
      `SELECT id, user_id AS "userId", name, raised_at AS "raisedAt", lowered_at AS "loweredAt",
         lowered_by AS "loweredBy" FROM hands WHERE class_id = $1 AND session_id = $2 ORDER BY raised_at, id`,
      [classId, sessionId],
    );
  }

  breakoutSets(sessionId: string) {
    return rows<BreakoutSetTimes>(
      this.pool,
      `SELECT id, created_at AS "createdAt", closed_at AS "closedAt", created_by AS "createdBy"
       FROM breakout_sets WHERE session_id = $1 ORDER BY created_at, id`,
      [sessionId],
    );
  }

  polls(sessionId: string) {
    return rows<PollTimes>(
      this.pool,
      `SELECT id, definition, opened_at AS "openedAt", closed_at AS "closedAt", created_by AS "createdBy"
       FROM polls WHERE session_id = $1 AND opened_at IS NOT NULL ORDER BY opened_at, id`,
      [sessionId],
    );
  }

  async logStats(prefix: string, from: number, to: number) {
    await this.flush();
    return rows<DocLogStats>(
      this.pool,
      `SELECT doc, COUNT(*)::int AS edits, MIN(ts) AS "firstTs", MAX(ts) AS "lastTs" FROM updates
       WHERE doc COLLATE "C" >= $1 AND doc COLLATE "C" < $2 AND ts >= $3 AND ts <= $4
       GROUP BY doc ORDER BY doc COLLATE "C"`,
      [prefix, `${prefix}\uffff`, from, to],
    );
  }

  async logEntries(doc: string, to: number, after: { ts: number; seq: number }, limit: number) {
    await this.flush();
    return rows<LogEntry>(
      this.pool,
      `SELECT doc, seq, ts, user_id AS "userId", length(data) AS bytes FROM updates
       WHERE doc = $1 AND ts <= $2 AND (ts > $3 OR (ts = $3 AND seq > $4)) ORDER BY seq LIMIT $5`,
      [doc, to, after.ts, after.seq, limit],
    );
  }

  async activity(docs: readonly string[], from: number, bucketMs: number, buckets: number) {
    await this.flush();
    const counts = new Array<number>(buckets).fill(0);
    const found = await rows<{ bucket: number; n: number }>(
      this.pool,
      `SELECT (ts - $2) / $3 AS bucket, COUNT(*)::int AS n FROM updates
       WHERE doc = ANY($1) AND ts >= $2 AND ts < $2 + $3 * $4 GROUP BY bucket`,
      [docs, from, bucketMs, buckets],
    );
    for (const { bucket, n } of found) if (bucket >= 0 && bucket < buckets) counts[bucket] = n;
    return counts;
  }

  async updates(doc: string, afterSeq: number, limit: number) {
    await this.flush();
    return rows<LoggedUpdate>(
      this.pool,
      'SELECT seq, ts, user_id AS "userId", data FROM updates WHERE doc = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [doc, afterSeq, limit],
    );
  }

  async checkpointAt(doc: string, t: number) {
    const [at, next] = await Promise.all([
      first<Checkpoint>(
        this.pool,
        'SELECT seq, ts, state FROM doc_checkpoints WHERE doc = $1 AND ts <= $2 ORDER BY ts DESC, seq DESC LIMIT 1',
        [doc, t],
      ),
      first<{ seq: number }>(
        this.pool,
        'SELECT seq FROM doc_checkpoints WHERE doc = $1 AND ts > $2 ORDER BY ts, seq LIMIT 1',
        [doc, t],
      ),
    ]);
    return { at: at ?? null, nextSeq: next?.seq ?? null };
  }

  async latestCheckpointSeq(doc: string) {
    const row = await first<{ seq: number | null }>(
      this.pool,
      'SELECT MAX(seq) AS seq FROM doc_checkpoints WHERE doc = $1',
      [doc],
    );
    return row?.seq ?? 0;
  }

  checkpoints(doc: string) {
    return rows<CheckpointInfo>(
      this.pool,
      'SELECT seq, ts, length(state) AS bytes FROM doc_checkpoints WHERE doc = $1 ORDER BY seq',
      [doc],
    );
  }

  async saveCheckpoint(doc: string, c: Checkpoint) {
    await this.pool.query(
      'INSERT INTO doc_checkpoints (doc, seq, ts, state) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
      [doc, c.seq, c.ts, c.state],
    );
  }

  async dropCheckpoints(doc: string, seqs: readonly number[]) {
    if (seqs.length === 0) return;
    await this.pool.query('DELETE FROM doc_checkpoints WHERE doc = $1 AND seq = ANY($2)', [doc, seqs]);
  }
}
