// Raised hands in SQLite: one raised hand per person per class, in the order raised. Lowered hands stay
// as rows (who lowered them, when) and count toward attendance.
import type { HandEntry } from '@tandem/shared';
import type { Db } from '../storage/db.ts';
import type { PresentPerson } from './PresenceTracker.ts';

export class HandStore {
  private readonly stmts;

  constructor(
    db: Db,
    private readonly now: () => number = Date.now,
  ) {
    const sql = db.sql;
    this.stmts = {
      raise: sql.prepare(
        `INSERT INTO hands (class_id, session_id, user_id, name, role, group_id, raised_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      ),
      lower: sql.prepare(
        'UPDATE hands SET lowered_at = ?, lowered_by = ? WHERE class_id = ? AND user_id = ? AND lowered_at IS NULL',
      ),
      lowerAll: sql.prepare(
        'UPDATE hands SET lowered_at = ?, lowered_by = ? WHERE class_id = ? AND lowered_at IS NULL RETURNING user_id AS userId',
      ),
      queue: sql.prepare(
        `SELECT user_id AS userId, name, role, raised_at AS raisedAt, group_id AS groupId FROM hands
         WHERE class_id = ? AND lowered_at IS NULL ORDER BY raised_at, id`,
      ),
      raised: sql.prepare('SELECT 1 FROM hands WHERE class_id = ? AND user_id = ? AND lowered_at IS NULL'),
    };
  }

  /** Raises a hand; false when it was already up (nothing changes). */
  raise(classId: string, sessionId: string, person: PresentPerson, groupId: string | null): boolean {
    const result = this.stmts.raise.run(
      classId,
      sessionId,
      person.id,
      person.name,
      person.role,
      groupId,
      this.now(),
    );
    return result.changes === 1;
  }

  /** Lowers a hand; false when it was not up. */
  lower(classId: string, userId: string, byId: string): boolean {
    return this.stmts.lower.run(this.now(), byId, classId, userId).changes === 1;
  }

  /** Lowers every hand; returns whose. */
  lowerAll(classId: string, byId: string): string[] {
    return (this.stmts.lowerAll.all(this.now(), byId, classId) as { userId: string }[]).map((r) => r.userId);
  }

  queue(classId: string): HandEntry[] {
    return this.stmts.queue.all(classId) as HandEntry[];
  }

  isRaised(classId: string, userId: string): boolean {
    return this.stmts.raised.get(classId, userId) !== undefined;
  }
}
