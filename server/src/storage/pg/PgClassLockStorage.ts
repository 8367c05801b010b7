// ClassLockStorage on PostgreSQL: one row per class in `class_locks`.
import type { ClassLocks } from '@tandem/shared';
import type { ClassLockStorage } from '../types/locks.ts';
import { first, type PgPool } from './pool.ts';

export class PgClassLockStorage implements ClassLockStorage {
  constructor(private readonly pool: PgPool) {}

  async get(classId: string): Promise<ClassLocks | null> {
    const row = await first<ClassLocks>(
      this.pool,
      'SELECT code_locked AS "codeLocked", board_locked AS "boardLocked" FROM class_locks WHERE class_id = $1',
      [classId],
    );
    return row ? { codeLocked: row.codeLocked, boardLocked: row.boardLocked } : null;
  }

  async save(classId: string, locks: ClassLocks): Promise<void> {
    await this.pool.query(
      `INSERT INTO class_locks (class_id, code_locked, board_locked, updated_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (class_id) DO UPDATE SET code_locked = excluded.code_locked,
         board_locked = excluded.board_locked, updated_at = excluded.updated_at`,
      [classId, locks.codeLocked, locks.boardLocked, Date.now()],
    );
  }
}
