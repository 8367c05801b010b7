// Which user writes under each Yjs client id of a document (the `client_ids` table). The first user whose
// update adds content under a client id owns it in that document from then on; knows nothing about Yjs.
import type { Db } from './db.ts';

export class ClientIdStore {
  private readonly stmts;

  constructor(
    db: Db,
    private readonly now: () => number = Date.now,
  ) {
    const { sql } = db;
    this.stmts = {
      load: sql.prepare('SELECT client, user_id AS userId FROM client_ids WHERE doc = ?'),
      // A new row, or a claim of a row nobody owns yet; an owned row is left as it is.
      bind: sql.prepare(
        `INSERT INTO client_ids (doc, client, user_id, bound_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (doc, client) DO UPDATE SET user_id = excluded.user_id, bound_at = excluded.bound_at
         WHERE client_ids.user_id IS NULL`,
      ),
      owner: sql.prepare('SELECT user_id AS userId FROM client_ids WHERE doc = ? AND client = ?'),
    };
    this.transaction = sql.transaction((doc: string, rows: [number, string | null][]) => {
      const at = this.now();
      for (const [client, userId] of rows) this.stmts.bind.run(doc, client, userId, at);
    });
  }

  private readonly transaction: (doc: string, rows: [number, string | null][]) => void;

  /** Every client id of `doc` with its owner (null: nobody yet). */
  load(doc: string): Map<number, string | null> {
    const rows = this.stmts.load.all(doc) as { client: number; userId: string | null }[];
    return new Map(rows.map((r) => [r.client, r.userId]));
  }

  /**
   * Binds `client` to `userId` unless another user owns it already; returns the owner recorded afterwards
   * (`userId` when the binding took).
   */
  bind(doc: string, client: number, userId: string): string | null {
    const { changes } = this.stmts.bind.run(doc, client, userId, this.now());
    if (changes > 0) return userId;
    return (this.stmts.owner.get(doc, client) as { userId: string | null } | undefined)?.userId ?? null;
  }

  /** Records several bindings at once (null: known client id, owner unknown); owned rows stay as they are. */
  bindAll(doc: string, rows: [number, string | null][]): void {
    if (rows.length > 0) this.transaction(doc, rows);
  }
}
