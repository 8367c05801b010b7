// RecordingStorage on SQLite: the `recordings` table (migration 11), the manifest as JSON text.
import type { RecordingManifest, RecordingState } from '@tandem/shared';
import type { Db } from '../db.ts';
import type { RecordingStorage } from '../types/recordings.ts';

type Row = { manifest: string };
const parse = (row: Row | undefined): RecordingManifest | null =>
  row ? (JSON.parse(row.manifest) as RecordingManifest) : null;
const parseAll = (rows: unknown[]): RecordingManifest[] => (rows as Row[]).map((r) => JSON.parse(r.manifest));

export class SqliteRecordingStorage implements RecordingStorage {
  private readonly stmts;

  constructor(db: Db) {
    const sql = db.sql;
    this.stmts = {
      insert: sql.prepare(
        `INSERT INTO recordings (id, session_id, class_id, state, started_at, stopped_at, manifest, created_at,
           updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      save: sql.prepare(
        `UPDATE recordings SET state = ?, started_at = ?, stopped_at = ?, manifest = ?, updated_at = ? WHERE id = ?`,
      ),
      get: sql.prepare(`SELECT manifest FROM recordings WHERE id = ?`),
      bySession: sql.prepare(`SELECT manifest FROM recordings WHERE session_id = ? ORDER BY created_at, id`),
      inState: sql.prepare(`SELECT manifest FROM recordings WHERE state = ? ORDER BY created_at, id`),
      stoppedBefore: sql.prepare(
        `SELECT manifest FROM recordings WHERE stopped_at IS NOT NULL AND stopped_at < ?
         ORDER BY stopped_at, id LIMIT ?`,
      ),
      remove: sql.prepare(`DELETE FROM recordings WHERE id = ?`),
    };
  }

  async create(m: RecordingManifest, now: number): Promise<void> {
    this.stmts.insert.run(
      m.id,
      m.sessionId,
      m.classId,
      m.state,
      m.startedAt,
      m.stoppedAt,
      JSON.stringify(m),
      now,
      now,
    );
  }

  async save(m: RecordingManifest, now: number): Promise<boolean> {
    return this.stmts.save.run(m.state, m.startedAt, m.stoppedAt, JSON.stringify(m), now, m.id).changes === 1;
  }

  async get(id: string): Promise<RecordingManifest | null> {
    return parse(this.stmts.get.get(id) as Row | undefined);
  }

  async listBySession(sessionId: string): Promise<RecordingManifest[]> {
    return parseAll(this.stmts.bySession.all(sessionId));
  }

  async inState(state: RecordingState): Promise<RecordingManifest[]> {
    return parseAll(this.stmts.inState.all(state));
  }

  async stoppedBefore(before: number, limit: number): Promise<RecordingManifest[]> {
    return parseAll(this.stmts.stoppedBefore.all(before, limit));
  }

  async remove(id: string): Promise<boolean> {
    return this.stmts.remove.run(id).changes === 1;
  }
}
