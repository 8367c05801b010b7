// Named versions of a document: full states with a label and author, kept apart from the update log.
import type { Db } from './db.ts';
import type { VersionInfo } from './types/versions.ts';

export class VersionStore {
  private readonly stmts;

  constructor(db: Db) {
    const sql = db.sql;
    const cols = 'id, label, author_id AS authorId, author_name AS authorName, created_at AS createdAt, seq';
    this.stmts = {
      insert: sql.prepare(
        'INSERT INTO versions (doc, label, author_id, author_name, created_at, seq, state) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      list: sql.prepare(`SELECT ${cols} FROM versions WHERE doc = ? ORDER BY id DESC LIMIT ?`),
      get: sql.prepare(`SELECT ${cols}, state FROM versions WHERE doc = ? AND id = ?`),
    };
  }

  create(
    doc: string,
    v: { label: string; authorId: string | null; authorName: string | null; seq: number; state: Uint8Array },
  ): VersionInfo {
    const createdAt = Date.now();
    const result = this.stmts.insert.run(doc, v.label, v.authorId, v.authorName, createdAt, v.seq, v.state);
    return {
      id: Number(result.lastInsertRowid),
      label: v.label,
      authorId: v.authorId,
      authorName: v.authorName,
      createdAt,
      seq: v.seq,
    };
  }

  list(doc: string, limit = 200): VersionInfo[] {
    return this.stmts.list.all(doc, limit) as VersionInfo[];
  }

  get(doc: string, id: number): (VersionInfo & { state: Uint8Array }) | undefined {
    return this.stmts.get.get(doc, id) as (VersionInfo & { state: Uint8Array }) | undefined;
  }
}
