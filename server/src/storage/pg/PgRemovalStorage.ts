// RemovalStorage on PostgreSQL: one row per removal, at most one active per person and class (a partial
// unique index); lifting stamps the row.
import type { RemovedPerson } from '@tandem/shared';
import type { RemovalInput, RemovalStorage } from '../types/removals.ts';
import { changes, type PgPool, rows } from './pool.ts';

export class PgRemovalStorage implements RemovalStorage {
  constructor(
    private readonly pool: PgPool,
    private readonly now: () => number = Date.now,
  ) {}

  async add(classId: string, { sessionId, person, byId, byName }: RemovalInput): Promise<boolean> {
    const n = await changes(
      this.pool,
      `INSERT INTO removals (class_id, session_id, user_id, name, role, by_id, by_name, removed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [classId, sessionId, person.id, person.name, person.role, byId, byName, this.now()],
    );
    return n === 1;
  }

  async lift(classId: string, userId: string, byId: string): Promise<boolean> {
    const n = await changes(
      this.pool,
      `UPDATE removals SET lifted_at = $1, lifted_by = $2
       WHERE class_id = $3 AND user_id = $4 AND lifted_at IS NULL`,
      [this.now(), byId, classId, userId],
    );
    return n === 1;
  }

  async liftAll(classId: string, byId: string): Promise<string[]> {
    const lifted = await rows<{ userId: string }>(
      this.pool,
      `UPDATE removals SET lifted_at = $1, lifted_by = $2 WHERE class_id = $3 AND lifted_at IS NULL
       RETURNING user_id AS "userId"`,
      [this.now(), byId, classId],
    );
    return lifted.map((r) => r.userId);
  }

  active(classId: string): Promise<RemovedPerson[]> {
    return rows(
      this.pool,
      `SELECT user_id AS "userId", name, role, by_name AS "byName", removed_at AS at FROM removals
       WHERE class_id = $1 AND lifted_at IS NULL ORDER BY removed_at, id`,
      [classId],
    );
  }
}
