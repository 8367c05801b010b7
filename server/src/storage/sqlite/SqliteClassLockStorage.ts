// ClassLockStorage on SQLite: one row per class in `class_locks`.
import type { ClassLocks } from '@tandem/shared';
import type { Db } from '../db.ts';
import type { ClassLockStorage } from '../types/locks.ts';

export class SqliteClassLockStorage implements ClassLockStorage {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      get: db.sql.prepare(
        'SELECT code_locked AS codeLocked, board_locked AS boardLocked FROM class_locks WHERE class_id = ?',
      ),
      upsert: db.sql.prepare(
        `INSERT INTO class_locks (class_id, code_locked, board_locked, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (class_id) DO UPDATE SET code_locked = excluded.code_locked,
           board_locked = excluded.board_locked, updated_at = excluded.updated_at`,
      ),
    };
  }

  async get(classId: string): Promise<ClassLocks | null> {
    const row = this.stmts.get.get(classId) as { codeLocked: number; boardLocked: number } | undefined;
    return row ? { codeLocked: row.codeLocked === 1, boardLocked: row.boardLocked === 1 } : null;
  }

  async save(classId: string, locks: ClassLocks): Promise<void> {
    this.stmts.upsert.run(classId, locks.codeLocked ? 1 : 0, locks.boardLocked ? 1 : 0, Date.now());
  }
}
