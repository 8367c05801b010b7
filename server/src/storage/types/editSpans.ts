// The attribution storage contract: what "who wrote this, and when" needs for a document's whole life. An edit
// span says that one Yjs client id wrote the clock range [clockFrom, clockTo) between firstTs and lastTs; spans
// are derived from each update as it is logged (EditSpans.ts) and written with it, and pruning the update log
// (HISTORY_RETENTION_DAYS) never deletes them, nor the client-id bindings (clientIds.ts) that name the writer.
// Both engines implement it (EditSpanStore.ts on SQLite, pg/PgEditSpanStorage.ts);
// test/integration/storage/editSpanContract.test.ts runs both.

export interface EditSpan {
  client: number;
  /** First clock of the range written. */
  clockFrom: number;
  /** One past the last clock written (clockTo - clockFrom items, for text: UTF-16 code units). */
  clockTo: number;
  firstTs: number;
  lastTs: number;
  /** The author of the updates as the update log recorded them (client-id bindings take precedence). */
  userId: string | null;
  /** Updates folded into this span. */
  edits: number;
  /** The largest single update's insertion in the span (a large one is a paste). */
  maxInsert: number;
}

/** A span of one document, as written. */
export interface DocEditSpan extends EditSpan {
  doc: string;
}

export interface EditSpanStorage {
  /**
   * The spans of `doc`, oldest first; over `limit`, the newest `limit` of them (so on a very large document the
   * oldest spans lose attribution, not the latest edits). Waits for appended updates to be written first.
   */
  spans(doc: string, limit: number): Promise<EditSpan[]>;
  /** Every client-id binding of `doc`: which user writes under each client id (never pruned). */
  owners(doc: string): Promise<Map<number, string | null>>;
  /** When `doc` was last edited (its newest span's end), or null when no edit of it is indexed. */
  lastEditAt(doc: string): Promise<number | null>;
  /**
   * For the documents named `<prefix><userId>` (a class's workspaces, `<classId>/ws/`): when each one's owner
   * last wrote to it (ms), by user id; documents the owner never wrote are left out. One query for the class.
   */
  ownerLastEdits(prefix: string): Promise<Map<string, number>>;
  /** Names of stored documents starting with `prefix`, sorted (at most `limit`). */
  documentNames(prefix: string, limit: number): Promise<string[]>;
}
