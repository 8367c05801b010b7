// RecordingStorage on PostgreSQL: the `recordings` table (migration 11), the manifest as JSON text.
import type { RecordingManifest, RecordingState } from '@tandem/shared';
import type { RecordingStorage } from '../types/recordings.ts';
import { changes, first, type PgPool, rows } from './pool.ts';

type Row = { manifest: string };
const parseAll = (found: Row[]): RecordingManifest[] => found.map((r) => JSON.parse(r.manifest));

export class PgRecordingStorage implements RecordingStorage {
  constructor(private readonly pool: PgPool) {}

  async create(m: RecordingManifest, now: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO recordings (id, session_id, class_id, state, started_at, stopped_at, manifest, created_at,
         updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
      [m.id, m.sessionId, m.classId, m.state, m.startedAt, m.stoppedAt, JSON.stringify(m), now],
    );
  }

  async save(m: RecordingManifest, now: number): Promise<boolean> {
    const n = await changes(
      this.pool,
      `UPDATE recordings SET state = $1, started_at = $2, stopped_at = $3, manifest = $4, updated_at = $5
       WHERE id = $6`,
      [m.state, m.startedAt, m.stoppedAt, JSON.stringify(m), now, m.id],
    );
    return n === 1;
  }

  async get(id: string): Promise<RecordingManifest | null> {
    const row = await first<Row>(this.pool, `SELECT manifest FROM recordings WHERE id = $1`, [id]);
    return row ? (JSON.parse(row.manifest) as RecordingManifest) : null;
  }

  async listBySession(sessionId: string): Promise<RecordingManifest[]> {
    return parseAll(
      await rows<Row>(
        this.pool,
        `SELECT manifest FROM recordings WHERE session_id = $1 ORDER BY created_at, id`,
        [sessionId],
      ),
    );
  }

  async inState(state: RecordingState): Promise<RecordingManifest[]> {
    return parseAll(
      await rows<Row>(this.pool, `SELECT manifest FROM recordings WHERE state = $1 ORDER BY created_at, id`, [
        state,
      ]),
    );
  }

  async stoppedBefore(before: number, limit: number): Promise<RecordingManifest[]> {
    return parseAll(
      await rows<Row>(
        this.pool,
        `SELECT manifest FROM recordings WHERE stopped_at IS NOT NULL AND stopped_at < $1
         ORDER BY stopped_at, id LIMIT $2`,
        [before, limit],
      ),
    );
  }

  async remove(id: string): Promise<boolean> {
    return (await changes(this.pool, `DELETE FROM recordings WHERE id = $1`, [id])) === 1;
  }
}
