// Client-id bindings on SQLite (the `client_ids` table: which user writes under each Yjs client id of a
// document), as DocumentStore keeps them: read when a document loads and held until the update checks take
// them; new ones wait here until the document's next journal record carries them, and are written to the
// table inside DocumentStore's transactions. The contract the rest of the server sees is types/clientIds.ts.
import type { Db } from './db.ts';
import type { ClientIdBinding } from './types/clientIds.ts';

export class ClientIdStore {
  private readonly stmts;
  /** Bindings per document that no journal record carries yet. */
  private waiting = new Map<string, ClientIdBinding[]>();
  /** What the last load of each document read, until taken. */
  private readonly loaded = new Map<string, Map<number, string | null>>();

  constructor(db: Db) {
    const { sql } = db;
    this.stmts = {
      load: sql.prepare('SELECT client, user_id AS userId FROM client_ids WHERE doc = ?'),
      // A new row, or a claim of a row nobody owns yet; an owned row is left as it is.
      bind: sql.prepare(
        `INSERT INTO client_ids (doc, client, user_id, bound_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (doc, client) DO UPDATE SET user_id = excluded.user_id, bound_at = excluded.bound_at
         WHERE client_ids.user_id IS NULL`,
      ),
    };
  }

  /** Reads every stored binding of `doc` (call once nothing is waiting for it) to be taken by takeLoaded(). */
  readForLoad(doc: string): void {
    const rows = this.stmts.load.all(doc) as { client: number; userId: string | null }[];
    this.loaded.set(doc, new Map(rows.map((r) => [r.client, r.userId])));
  }

  /** Hands over what the last load of `doc` read; throws if there is nothing to take. */
  takeLoaded(doc: string): Map<number, string | null> {
    const bindings = this.loaded.get(doc);
    if (!bindings) throw new Error(`client ids of ${doc} read before load, or taken already`);
    this.loaded.delete(doc);
    return bindings;
  }

  forget(doc: string): void {
    this.loaded.delete(doc);
  }

  /** Bindings made for `doc`, to go with its next journal record. */
  add(doc: string, bindings: readonly ClientIdBinding[]): void {
    const list = this.waiting.get(doc);
    if (list) list.push(...bindings);
    else this.waiting.set(doc, [...bindings]);
  }

  /** The bindings waiting for `doc`'s next journal record; drop them with journaled() once it is written. */
  waitingFor(doc: string): readonly ClientIdBinding[] | undefined {
    return this.waiting.get(doc);
  }

  journaled(doc: string): void {
    this.waiting.delete(doc);
  }

  get anyWaiting(): boolean {
    return this.waiting.size > 0;
  }

  /** Writes bindings (inside a transaction); owned rows stay as they are, rows without owner are claimed. */
  write(doc: string, bindings: readonly ClientIdBinding[], at: number): void {
    for (const [client, userId] of bindings) this.stmts.bind.run(doc, client, userId, at);
  }

  /** Writes every waiting binding (inside a transaction); call written() once the transaction committed. */
  writeWaiting(at: number): void {
    for (const [doc, bindings] of this.waiting) this.write(doc, bindings, at);
  }

  written(): void {
    if (this.waiting.size > 0) this.waiting = new Map();
  }
}
