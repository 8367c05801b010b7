// HandStorage on PostgreSQL: one raised hand per person per class (a partial unique index), lowered hands
// stay as rows.
import type { HandEntry } from '@tandem/shared';
import type { AttendeeRef } from '../types/attendance.ts';
import type { HandStorage } from '../types/hands.ts';
import { changes, first, type PgPool, rows } from './pool.ts';

export class PgHandStorage implements HandStorage {
  constructor(
    private readonly pool: PgPool,
    private readonly now: () => number = Date.now,
  ) {}

  async raise(classId: string, sessionId: string, person: AttendeeRef, groupId: string | null) {
    const n = await changes(
      this.pool,
      `INSERT INTO hands (class_id, session_id, user_id, name, role, group_id, raised_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [classId, sessionId, person.id, person.name, person.role, groupId, this.now()],
    );
    return n === 1;
  }

  async lower(classId: string, userId: string, byId: string) {
    const n = await changes(
      this.pool,
      `UPDATE hands SET lowered_at = $1, lowered_by = $2
       WHERE class_id = $3 AND user_id = $4 AND lowered_at IS NULL`,
      [this.now(), byId, classId, userId],
    );
    return n === 1;
  }

  async lowerAll(classId: string, byId: string): Promise<string[]> {
    const lowered = await rows<{ userId: string }>(
      this.pool,
      `UPDATE hands SET lowered_at = $1, lowered_by = $2 WHERE class_id = $3 AND lowered_at IS NULL
       RETURNING user_id AS "userId"`,
      [this.now(), byId, classId],
    );
    return lowered.map((r) => r.userId);
  }

  queue(classId: string): Promise<HandEntry[]> {
    return rows(
      this.pool,
      `SELECT user_id AS "userId", name, role, raised_at AS "raisedAt", group_id AS "groupId" FROM hands
       WHERE class_id = $1 AND lowered_at IS NULL ORDER BY raised_at, id`,
      [classId],
    );
  }

  async isRaised(classId: string, userId: string) {
    const row = await first(
      this.pool,
      'SELECT 1 FROM hands WHERE class_id = $1 AND user_id = $2 AND lowered_at IS NULL',
      [classId, userId],
    );
    return row !== undefined;
  }
}
