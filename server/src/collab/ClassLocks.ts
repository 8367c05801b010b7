// Per-class lock switches (code editing, whiteboard) for students: persisted, and announced to listeners
// so open connections change permission at once.
import { type ClassLocks, DEFAULT_LOCKS } from '@tandem/shared';
import type { Db } from '../storage/db.ts';

type Listener = (classId: string, locks: ClassLocks) => void;

export class ClassLockRegistry {
  private readonly cache = new Map<string, ClassLocks>();
  private readonly listeners = new Set<Listener>();
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

  get(classId: string): ClassLocks {
    const cached = this.cache.get(classId);
    if (cached) return cached;
    const row = this.stmts.get.get(classId) as { codeLocked: number; boardLocked: number } | undefined;
    const locks = row
      ? { codeLocked: row.codeLocked === 1, boardLocked: row.boardLocked === 1 }
      : DEFAULT_LOCKS;
    this.cache.set(classId, locks);
    return locks;
  }

  set(classId: string, patch: Partial<ClassLocks>): ClassLocks {
    const locks = { ...this.get(classId), ...patch };
    this.stmts.upsert.run(classId, locks.codeLocked ? 1 : 0, locks.boardLocked ? 1 : 0, Date.now());
    this.cache.set(classId, locks);
    for (const listener of this.listeners) listener(classId, locks);
    return locks;
  }

  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
