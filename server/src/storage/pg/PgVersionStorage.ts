// VersionStorage on PostgreSQL.
import type { NewVersion, VersionInfo, VersionStorage } from '../types/versions.ts';
import { first, type PgPool, rows } from './pool.ts';

const COLUMNS =
  'id, label, author_id AS "authorId", author_name AS "authorName", created_at AS "createdAt", seq';

export class PgVersionStorage implements VersionStorage {
  constructor(
    private readonly pool: PgPool,
    private readonly now: () => number = Date.now,
  ) {}

  async create(doc: string, v: NewVersion): Promise<VersionInfo> {
    const createdAt = this.now();
    const row = await first<{ id: number }>(
      this.pool,
      `INSERT INTO versions (doc, label, author_id, author_name, created_at, seq, state)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [doc, v.label, v.authorId, v.authorName, createdAt, v.seq, v.state],
    );
    return {
      id: row!.id,
      label: v.label,
      authorId: v.authorId,
      authorName: v.authorName,
      createdAt,
      seq: v.seq,
    };
  }

  list(doc: string, limit = 200): Promise<VersionInfo[]> {
    return rows(this.pool, `SELECT ${COLUMNS} FROM versions WHERE doc = $1 ORDER BY id DESC LIMIT $2`, [
      doc,
      limit,
    ]);
  }

  get(doc: string, id: number): Promise<(VersionInfo & { state: Uint8Array }) | undefined> {
    return first(this.pool, `SELECT ${COLUMNS}, state FROM versions WHERE doc = $1 AND id = $2`, [doc, id]);
  }
}
