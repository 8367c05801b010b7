// Fencing of cluster writes in PostgreSQL: each class's greatest lease token (class_fences). A node granted a
// class's lease raises it before it serves the class; the update log's group commit and snapshots lock the
// row (FOR SHARE) and refuse rows written under an older token, so a node that lost its lease without noticing
// (a long pause) cannot add to the log the new owner loaded, nor replace its snapshot. The raise waits for
// commits in flight that hold the row, so everything a stale owner committed is there when the new one loads.
import type { PgPool } from './pool.ts';

/** The lease a write is made under: the root class and the token it was granted with. */
export interface WriteFence {
  classId: string;
  token: number;
}

/** The fence of a document's writes, or undefined when writes are not fenced (a single node). */
export type FenceOf = (documentName: string) => WriteFence | undefined;

export class FencedError extends Error {
  override name = 'FencedError';
}

export class PgClassFences {
  constructor(private readonly pool: PgPool) {}

  /**
   * Raises the class's fence to `token` (never lowers it); resolves once committed, with the fence now in
   * force: greater than `token` when the lease counter fell behind (a Redis that lost its data).
   */
  async raise(classId: string, token: number): Promise<number> {
    const { rows } = await this.pool.query<{ token: string }>(
      `INSERT INTO class_fences (class_id, token) VALUES ($1, $2)
       ON CONFLICT (class_id) DO UPDATE SET token = GREATEST(class_fences.token, excluded.token)
       RETURNING token`,
      [classId, token],
    );
    return Number(rows[0]?.token ?? token);
  }

  async tokenOf(classId: string): Promise<number | undefined> {
    const { rows } = await this.pool.query<{ token: string }>(
      'SELECT token FROM class_fences WHERE class_id = $1',
      [classId],
    );
    return rows[0] === undefined ? undefined : Number(rows[0].token);
  }
}
