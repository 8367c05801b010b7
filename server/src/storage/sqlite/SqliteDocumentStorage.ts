// DocumentStorage on SQLite: DocumentStore (journal + batched fold) behind the async contract. An append is
// durable when it returns (one write() to the journal), so `durable` is always null and acks never wait. Also
// the document's client-id bindings (ClientIdStorage, carried in the journal records) and the update log as
// the update checks read it (UpdateLogReader), and the edit spans of attribution (EditSpanStorage).

import { DocumentStore, type DocumentStoreOptions } from '../DocumentStore.ts';
import type { Db } from '../db.ts';
import type { ClientIdBinding, ClientIdStorage } from '../types/clientIds.ts';
import type { Appended, DocumentStorage, UpdateLogReader } from '../types/documents.ts';
import type { EditSpanStorage } from '../types/editSpans.ts';

export class SqliteDocumentStorage
  implements DocumentStorage, ClientIdStorage, UpdateLogReader, EditSpanStorage
{
  readonly store: DocumentStore;

  constructor(db: Db, options: DocumentStoreOptions) {
    this.store = new DocumentStore(db, options);
  }

  async load(name: string) {
    return this.store.load(name);
  }

  append(name: string, update: Uint8Array, userId: string | null): Appended {
    return { ...this.store.append(name, update, userId), durable: null };
  }

  async currentSeq(name: string) {
    return this.store.currentSeq(name);
  }

  async saveSnapshot(name: string, state: Uint8Array, seq: number) {
    this.store.saveSnapshot(name, state, seq);
  }

  async history(name: string, afterSeq?: number, limit?: number) {
    return this.store.history(name, afterSeq, limit);
  }

  async oldestLoggedSeq(name: string) {
    return this.store.oldestLoggedSeq(name);
  }

  async stateAt(name: string, seq: number) {
    return this.store.stateAt(name, seq);
  }

  async flush() {
    this.store.fold();
  }

  forget(name: string): void {
    this.store.forget(name);
  }

  loadedClientIds(name: string): Map<number, string | null> {
    return this.store.takeLoadedClientIds(name);
  }

  bind(name: string, bindings: readonly ClientIdBinding[]): void {
    this.store.bind(name, bindings);
  }

  storedBytes(name: string): number {
    return this.store.storedBytes(name);
  }

  async *loggedUpdates(name: string): AsyncGenerator<{ userId: string | null; data: Uint8Array }> {
    yield* this.store.loggedUpdates(name);
  }

  async spans(doc: string, limit: number) {
    this.store.fold();
    return this.store.spans.spans(doc, limit);
  }

  async owners(doc: string) {
    this.store.fold();
    return this.store.spans.owners(doc);
  }

  async lastEditAt(doc: string) {
    this.store.fold();
    return this.store.spans.lastEditAt(doc);
  }

  async ownerLastEdits(prefix: string) {
    this.store.fold();
    return this.store.spans.ownerLastEdits(prefix);
  }

  async documentNames(prefix: string, limit: number) {
    this.store.fold();
    return this.store.spans.documentNames(prefix, limit);
  }

  async close() {
    this.store.close();
  }
}
