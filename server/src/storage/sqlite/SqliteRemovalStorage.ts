// RemovalStorage on SQLite: one row per removal in `removals`, at most one active per person and class (a
// partial unique index); lifting stamps the row.
import type { RemovedPerson } from '@tandem/shared';
import type { Db } from '../db.ts';
import type { RemovalInput, RemovalStorage } from '../types/removals.ts';

export class SqliteRemovalStorage implements RemovalStorage {
  private readonly stmts;

  constructor(
    db: Db,
    private readonly now: () => number = Date.now,
  ) {
    const sql = db.sql;
    this.stmts = {
      add: sql.prepare(
        `INSERT INTO removals (class_id, session_id, user_id, name, role, by_id, by_name, removed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      ),
      lift: sql.prepare(
        'UPDATE removals SET lifted_at = ?, lifted_by = ? WHERE class_id = ? AND user_id = ? AND lifted_at IS NULL',
      ),
      liftAll: sql.prepare(
        `UPDATE removals SET lifted_at = ?, lifted_by = ? WHERE class_id = ? AND lifted_at IS NULL
         RETURNING user_id AS userId`,
      ),
      active: sql.prepare(
        `SELECT user_id AS userId, name, role, by_name AS byName, removed_at AS at FROM removals
         WHERE class_id = ? AND lifted_at IS NULL ORDER BY removed_at, id`,
      ),
    };
  }

  async add(classId: string, { sessionId, person, byId, byName }: RemovalInput): Promise<boolean> {
    const { changes } = this.stmts.add.run(
      classId,
      sessionId,
      person.id,
      person.name,
      person.role,
      byId,
      byName,
      this.now(),
    );
    return changes === 1;
  }

  async lift(classId: string, userId: string, byId: string): Promise<boolean> {
    return this.stmts.lift.run(this.now(), byId, classId, userId).changes === 1;
  }

  async liftAll(classId: string, byId: string): Promise<string[]> {
    return (this.stmts.liftAll.all(this.now(), byId, classId) as { userId: string }[]).map((r) => r.userId);
  }

  async active(classId: string): Promise<RemovedPerson[]> {
    return this.stmts.active.all(classId) as RemovedPerson[];
  }
}
