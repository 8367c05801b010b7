// The gate every client update of one loaded document passes before it is applied: the update validator
// (updateValidation.ts) against the document as it is, the owners of its client ids, and the document's size
// budget. Binds the client ids an accepted update claims. One gate per loaded Document instance, kept in
// UpdateGates until the document is destroyed.
import type { Document } from '@hocuspocus/server';
import type { UpdateRefusal } from '@tandem/shared';
import * as Y from 'yjs';
import type { Logger } from '../logger.ts';
import type { ClientIdStore } from '../storage/ClientIdStore.ts';
import type { UpdateLogReader } from '../storage/types/documents.ts';
import { checkUpdate } from './updateValidation.ts';

/** Owner of the client ids the server itself writes under (server-side edits): no user id looks like it. */
export const SERVER_WRITER = ':server';
/** A document over its size budget is measured exactly at most this often (encoding it costs O(size)). */
const MEASURE_INTERVAL_MS = 10_000;

export interface UpdateGateDeps {
  clientIds: Pick<ClientIdStore, 'load' | 'bind' | 'bindAll'>;
  store: UpdateLogReader;
  maxDocumentBytes: number;
  log: Logger;
  now?: () => number;
}

export class UpdateGate {
  private readonly owners: Map<number, string | null>;
  /** Whether client ids present before bindings existed were looked up in the update log (once per load). */
  private legacyResolved = false;
  private serverWriteNoted = false;
  private readonly size: SizeBudget;

  constructor(
    private readonly document: Document,
    private readonly deps: UpdateGateDeps,
  ) {
    this.owners = deps.clientIds.load(document.name);
    // This instance's own client id is the server's for as long as it is loaded.
    this.owners.set(document.clientID, SERVER_WRITER);
    this.size = new SizeBudget(
      deps.maxDocumentBytes,
      deps.store.storedBytes(document.name),
      () => Y.encodeStateAsUpdate(document).byteLength,
      deps.now ?? Date.now,
    );
  }

  ownerOf(client: number): string | undefined {
    return this.owners.get(client) ?? undefined;
  }

  /**
   * Null when `userId` may apply `update` now (its claimed client ids are bound to them by then); otherwise
   * why not. Throws when the update does not decode.
   */
  admit(update: Uint8Array, userId: string): UpdateRefusal | null {
    let verdict = checkUpdate(this.document, update, userId, this);
    if (!verdict.ok) return verdict.refusal;
    if (!this.legacyResolved && verdict.claims.some((c) => this.isLegacy(c))) {
      this.resolveLegacy();
      verdict = checkUpdate(this.document, update, userId, this);
      if (!verdict.ok) return verdict.refusal;
    }
    if (verdict.grows && !this.size.admits(update.byteLength)) {
      return {
        code: 'document_too_large',
        reason: `the document has reached its size limit (${this.deps.maxDocumentBytes} bytes); delete something first`,
      };
    }
    for (const client of verdict.claims) {
      const owner = this.deps.clientIds.bind(this.document.name, client, userId);
      this.owners.set(client, owner);
      if (owner !== userId) {
        return {
          code: 'foreign_client',
          reason: `client id ${client} belongs to another user of this document`,
        };
      }
    }
    return null;
  }

  /** A server-side edit (origin not a client connection): its client id is recorded as the server's once. */
  noteServerWrite(): void {
    if (this.serverWriteNoted) return;
    this.serverWriteNoted = true;
    this.deps.clientIds.bindAll(this.document.name, [[this.document.clientID, SERVER_WRITER]]);
  }

  /** A client id with content in the document but no binding row: written before bindings existed. */
  private isLegacy(client: number): boolean {
    return !this.owners.has(client) && Y.getState(this.document.store, client) > 0;
  }

  /**
   * Binds every client id already in the document without a row to the author of the first logged update
   * that wrote under it; ids whose entries were compacted away get a row without owner (first writer claims).
   */
  private resolveLegacy(): void {
    this.legacyResolved = true;
    const wanted = new Set([...this.document.store.clients.keys()].filter((c) => !this.owners.has(c)));
    const found = new Map<number, string>();
    for (const { userId, data } of this.deps.store.loggedUpdates(this.document.name)) {
      if (found.size === wanted.size) break;
      if (userId === null) continue;
      for (const client of Y.parseUpdateMeta(data).from.keys()) {
        if (wanted.has(client) && !found.has(client)) found.set(client, userId);
      }
    }
    const rows = [...wanted].map((c): [number, string | null] => [c, found.get(c) ?? null]);
    this.deps.clientIds.bindAll(this.document.name, rows);
    for (const [client, userId] of rows) this.owners.set(client, userId);
    this.deps.log.info(
      { doc: this.document.name, clientIds: rows.length, attributed: found.size },
      'client ids written before bindings existed: bound from the update log',
    );
  }
}

/**
 * The document's size as far as growth is concerned: what the store held at load plus the bytes of every
 * growing update since (an over-estimate: merged updates encode smaller). Past the limit the document is
 * encoded to measure it exactly, at most once per MEASURE_INTERVAL_MS.
 */
export class SizeBudget {
  private measuredAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly limit: number,
    private bytes: number,
    private readonly measure: () => number,
    private readonly now: () => number,
  ) {}

  admits(growth: number): boolean {
    if (this.bytes + growth > this.limit) {
      const at = this.now();
      if (at - this.measuredAt < MEASURE_INTERVAL_MS) return false;
      this.measuredAt = at;
      this.bytes = this.measure();
      if (this.bytes + growth > this.limit) return false;
    }
    this.bytes += growth;
    return true;
  }
}

/** The gates of the loaded documents. */
export class UpdateGates {
  private readonly gates = new Map<Document, UpdateGate>();

  constructor(private readonly deps: UpdateGateDeps) {}

  /** Creates the gate of a freshly loaded document; it goes when the document is destroyed. */
  open(document: Document): UpdateGate {
    const gate = new UpdateGate(document, this.deps);
    this.gates.set(document, gate);
    document.on('destroy', () => this.gates.delete(document));
    return gate;
  }

  get(document: Document): UpdateGate | undefined {
    return this.gates.get(document);
  }
}
