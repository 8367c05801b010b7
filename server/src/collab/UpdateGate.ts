// The gate every client update of one loaded document passes before it is applied: the update validator
// (updateValidation.ts) against the document as it is, the owners of its client ids, what applying it would
// cost (one update, and the sender's budget across all their updates: UpdateBudgets), and the document's size
// budget. One gate per loaded Document instance, kept in UpdateGates until the document is destroyed.
//
// The owners are held here, in memory: read with the document when it loads, and bound synchronously when an
// accepted update claims a client id. Each new binding goes to storage at once (ClientIdStorage.bind), which
// writes it in the same durable write as the update that follows it, so an acknowledged update never exists
// without its binding.
import type { Document } from '@hocuspocus/server';
import type { UpdateRefusal } from '@tandem/shared';
import * as Y from 'yjs';
import type { Logger } from '../logger.ts';
import type { ClientIdStorage } from '../storage/types/clientIds.ts';
import type { UpdateLogReader } from '../storage/types/documents.ts';
import type { UpdateBudgets } from './UpdateBudgets.ts';
import { checkUpdate } from './updateValidation.ts';

/** Owner of the client ids the server itself writes under (server-side edits): no user id looks like it. */
export const SERVER_WRITER = ':server';
const SENDING_TOO_FAST: UpdateRefusal = {
  code: 'update_too_costly',
  reason: 'you are sending large changes too fast; wait a few seconds and make them in smaller steps',
};
/** A document over its size budget is measured exactly at most this often (encoding it costs O(size)). */
const MEASURE_INTERVAL_MS = 10_000;

export interface UpdateGateDeps {
  clientIds: ClientIdStorage;
  store: UpdateLogReader;
  maxDocumentBytes: number;
  /** Largest estimated cost of one update (updateCost.ts); beyond it the update is refused. */
  maxUpdateOperations: number;
  /** Every user's update budgets, shared by all documents. */
  budgets: UpdateBudgets;
  log: Logger;
  now?: () => number;
}

export class UpdateGate {
  private readonly owners: Map<number, string | null>;
  private serverWriteNoted = false;
  private readonly size: SizeBudget;

  /**
   * The gate of a document that has just been loaded (its bindings are taken from the load). Client ids with
   * content but no binding are bound first, from the update log.
   */
  static async open(document: Document, deps: UpdateGateDeps): Promise<UpdateGate> {
    const gate = new UpdateGate(document, deps);
    await gate.bindUnbound();
    return gate;
  }

  private constructor(
    private readonly document: Document,
    private readonly deps: UpdateGateDeps,
  ) {
    this.owners = deps.clientIds.loadedClientIds(document.name);
    // This instance's own client id is the server's for as long as it is loaded.
    this.owners.set(document.clientID, SERVER_WRITER);
    this.size = new SizeBudget(
      deps.maxDocumentBytes,
      deps.store.storedBytes(document.name),
      this,
      deps.now ?? Date.now,
    );
  }

  /** The document's exact encoded size (SizeBudget's measure: O(size)). */
  measure(): number {
    return Y.encodeStateAsUpdate(this.document).byteLength;
  }

  ownerOf(client: number): string | undefined {
    return this.owners.get(client) ?? undefined;
  }

  /**
   * Null when `userId` may apply `update` now (its claimed client ids are bound to them by then); otherwise
   * why not. Throws when the update does not decode.
   */
  admit(update: Uint8Array, userId: string): UpdateRefusal | null {
    const { budgets } = this.deps;
    if (!budgets.takeBytes(userId, update.byteLength)) return SENDING_TOO_FAST;
    const verdict = checkUpdate(this.document, update, userId, this);
    if (!verdict.ok) return verdict.refusal;
    if (verdict.operations > this.deps.maxUpdateOperations) {
      return {
        code: 'update_too_costly',
        reason: `the change is too complex to apply in one piece (${Math.ceil(verdict.operations)} operations, at most ${this.deps.maxUpdateOperations}); make it in smaller steps`,
      };
    }
    if (!budgets.takeOperations(userId, verdict.operations)) return SENDING_TOO_FAST;
    if (verdict.grows && !this.size.admits(update.byteLength)) {
      return {
        code: 'document_too_large',
        reason: `the document has reached its size limit (${this.deps.maxDocumentBytes} bytes); delete something first`,
      };
    }
    if (verdict.claims.length > 0) {
      // checkUpdate claims only ids nobody owns, and nothing can bind one between it and here.
      for (const client of verdict.claims) this.owners.set(client, userId);
      this.deps.clientIds.bind(
        this.document.name,
        verdict.claims.map((client) => [client, userId] as const),
      );
    }
    return null;
  }

  /**
   * A server-side edit (origin not a client connection) adding content under the document's own client id,
   * about to be logged: the id is recorded as the server's, once, before the update is.
   */
  noteServerWrite(): void {
    if (this.serverWriteNoted) return;
    this.serverWriteNoted = true;
    this.deps.clientIds.bind(this.document.name, [[this.document.clientID, SERVER_WRITER]]);
  }

  /**
   * Binds every client id with content in the document but no binding (written before bindings existed, or
   * before they moved to this storage engine) to the author of the first logged update that wrote under it;
   * ids whose entries were compacted away are bound to nobody (their first writer claims them). Once bound,
   * later loads find them bound: the log is read once per such document.
   */
  private async bindUnbound(): Promise<void> {
    const wanted = new Set([...this.document.store.clients.keys()].filter((c) => !this.owners.has(c)));
    if (wanted.size === 0) return;
    const found = new Map<number, string>();
    for await (const { userId, data } of this.deps.store.loggedUpdates(this.document.name)) {
      if (userId === null) continue;
      for (const client of Y.parseUpdateMeta(data).from.keys()) {
        if (wanted.has(client) && !found.has(client)) found.set(client, userId);
      }
      if (found.size === wanted.size) break;
    }
    const rows = [...wanted].map((c) => [c, found.get(c) ?? null] as const);
    for (const [client, userId] of rows) this.owners.set(client, userId);
    this.deps.clientIds.bind(this.document.name, rows);
    this.deps.log.info(
      { doc: this.document.name, clientIds: rows.length, attributed: found.size },
      'client ids without a binding: bound from the update log',
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
    /** Measures exactly (an object: a closure per document would cost its own memory). */
    private readonly sized: { measure(): number },
    private readonly now: () => number,
  ) {}

  admits(growth: number): boolean {
    if (this.bytes + growth > this.limit) {
      const at = this.now();
      if (at - this.measuredAt < MEASURE_INTERVAL_MS) return false;
      this.measuredAt = at;
      this.bytes = this.sized.measure();
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
  async open(document: Document): Promise<UpdateGate> {
    const gate = await UpdateGate.open(document, this.deps);
    this.gates.set(document, gate);
    document.on('destroy', this.forgetDestroyed);
    return gate;
  }

  /** One listener for every document (Yjs passes the destroyed one): not a closure per loaded document. */
  private readonly forgetDestroyed = (document: Y.Doc): void => {
    this.gates.delete(document as Document);
  };

  get(document: Document): UpdateGate | undefined {
    return this.gates.get(document);
  }
}
