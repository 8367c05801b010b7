// The client-id binding contract: which user writes under each Yjs client id of a document (the `client_ids`
// table), checked before every update is applied (collab/UpdateGate.ts). Bindings are decided in memory on the
// hot path, read with the document when it loads and written with its updates, so each engine's document
// storage implements this contract too (sqlite/SqliteDocumentStorage.ts, pg/PgDocumentStorage.ts).

/** A client id and its owner; null: a known client id nobody owns yet (its first writer claims it). */
export type ClientIdBinding = readonly [client: number, owner: string | null];

export interface ClientIdStorage {
  /**
   * The bindings the last DocumentStorage.load(name) read (client id to owner), handed over once: the storage
   * keeps no copy. Throws when the document was not loaded, or its bindings were taken already.
   */
  loadedClientIds(name: string): Map<number, string | null>;
  /**
   * Records bindings the update checks have just made. Synchronous, no round trip: they become durable in the
   * same write as the next update appended to the document (its journal record on SQLite, its group commit on
   * PostgreSQL), or by the next flush or fold if none follows, so an update is never durable before the
   * bindings made for it. A stored owner is never replaced; a stored null is claimed.
   */
  bind(name: string, bindings: readonly ClientIdBinding[]): void;
}
