// HandoutStorage on PostgreSQL: one row per class in `handouts` (files as JSON text) and one per student in
// `workspace_receipts`; publishing bumps the revision in one upsert.
import type { Handout, StarterFile } from '@tandem/shared';
import { type HandoutRow, toHandout } from '../types/handoutRows.ts';
import type { HandoutStorage, WorkspaceReceipt } from '../types/handouts.ts';
import { first, type PgPool, rows } from './pool.ts';

const RECEIPT = 'user_id AS "userId", revision, received_at AS "receivedAt"';

export class PgHandoutStorage implements HandoutStorage {
  constructor(private readonly pool: PgPool) {}

  async current(classId: string): Promise<Handout | null> {
    const row = await first<HandoutRow>(this.pool, 'SELECT * FROM handouts WHERE class_id = $1', [classId]);
    return row ? toHandout(row) : null;
  }

  async publish(classId: string, files: readonly StarterFile[], createdBy: string, at: number) {
    const row = await first<HandoutRow>(
      this.pool,
      `INSERT INTO handouts (class_id, revision, files, created_by, created_at) VALUES ($1, 1, $2, $3, $4)
       ON CONFLICT (class_id) DO UPDATE SET revision = handouts.revision + 1, files = excluded.files,
         created_by = excluded.created_by, created_at = excluded.created_at
       RETURNING *`,
      [classId, JSON.stringify(files), createdBy, at],
    );
    return toHandout(row!);
  }

  async markReceived(classId: string, userId: string, revision: number, at: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO workspace_receipts (class_id, user_id, revision, received_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (class_id, user_id) DO UPDATE SET revision = excluded.revision,
         received_at = excluded.received_at`,
      [classId, userId, revision, at],
    );
  }

  async receipt(classId: string, userId: string): Promise<WorkspaceReceipt | null> {
    const row = await first<WorkspaceReceipt>(
      this.pool,
      `SELECT ${RECEIPT} FROM workspace_receipts WHERE class_id = $1 AND user_id = $2`,
      [classId, userId],
    );
    return row ?? null;
  }

  async receipts(classId: string): Promise<WorkspaceReceipt[]> {
    const found = await rows<WorkspaceReceipt>(
      this.pool,
      `SELECT ${RECEIPT} FROM workspace_receipts WHERE class_id = $1`,
      [classId],
    );
    // Sorted here: the database's collation may order ids differently from SQLite's byte order.
    return found.sort((a, b) => (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
  }
}
