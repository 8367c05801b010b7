// HandoutStorage on SQLite: one row per class in `handouts` (files as JSON) and one per student in
// `workspace_receipts`; publishing bumps the revision in one statement.
import type { Handout, StarterFile } from '@tandem/shared';
import type { Db } from '../db.ts';
import { type HandoutRow, toHandout } from '../types/handoutRows.ts';
import type { HandoutStorage, WorkspaceReceipt } from '../types/handouts.ts';

export class SqliteHandoutStorage implements HandoutStorage {
  private readonly stmts;

  constructor(db: Db) {
    const sql = db.sql;
    this.stmts = {
      current: sql.prepare('SELECT * FROM handouts WHERE class_id = ?'),
      publish: sql.prepare(
        `INSERT INTO handouts (class_id, revision, files, created_by, created_at) VALUES (?, 1, ?, ?, ?)
         ON CONFLICT (class_id) DO UPDATE SET revision = handouts.revision + 1, files = excluded.files,
           created_by = excluded.created_by, created_at = excluded.created_at
         RETURNING *`,
      ),
      mark: sql.prepare(
        `INSERT INTO workspace_receipts (class_id, user_id, revision, received_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (class_id, user_id) DO UPDATE SET revision = excluded.revision,
           received_at = excluded.received_at`,
      ),
      receipt: sql.prepare(
        `SELECT user_id AS userId, revision, received_at AS receivedAt FROM workspace_receipts
         WHERE class_id = ? AND user_id = ?`,
      ),
      receipts: sql.prepare(
        `SELECT user_id AS userId, revision, received_at AS receivedAt FROM workspace_receipts
         WHERE class_id = ? ORDER BY user_id COLLATE BINARY`,
      ),
    };
  }

  async current(classId: string): Promise<Handout | null> {
    const row = this.stmts.current.get(classId) as HandoutRow | undefined;
    return row ? toHandout(row) : null;
  }

  async publish(classId: string, files: readonly StarterFile[], createdBy: string, at: number) {
    return toHandout(this.stmts.publish.get(classId, JSON.stringify(files), createdBy, at) as HandoutRow);
  }

  async markReceived(classId: string, userId: string, revision: number, at: number): Promise<void> {
    this.stmts.mark.run(classId, userId, revision, at);
  }

  async receipt(classId: string, userId: string): Promise<WorkspaceReceipt | null> {
    return (this.stmts.receipt.get(classId, userId) as WorkspaceReceipt | undefined) ?? null;
  }

  async receipts(classId: string): Promise<WorkspaceReceipt[]> {
    return this.stmts.receipts.all(classId) as WorkspaceReceipt[];
  }
}
