// Puts every client update Hocuspocus handles itself (sync step 2 and updates, including messages queued while
// the document was being authenticated and loaded) through the document's UpdateGate before it is applied. A
// refused update is never applied, stored, relayed or acknowledged: the hook throws, and Hocuspocus closes the
// document connection with the refusal instead. Updates on the direct path pass the same gate there
// (directUpdates.ts), which is why this hook does not switch that path off. The stand-in for an update over
// MAX_MESSAGE_BYTES (oversizeMessages.ts) is refused here too, and each new connection is told that limit.
import type {
  afterLoadDocumentPayload,
  beforeSyncPayload,
  connectedPayload,
  Document,
  Extension,
} from '@hocuspocus/server';
import { encodeCollabNotice } from '@tandem/shared';
import { messageYjsSyncStep1 } from 'y-protocols/sync';
import type * as Y from 'yjs';
import { AppError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { CollabContext } from '../context.ts';
import { MALFORMED_FRAME } from '../frameGuard.ts';
import { isOversizeStandIn, messageTooLarge } from '../oversizeMessages.ts';
import type { UpdateGates } from '../UpdateGate.ts';
import { type RefusalDeps, refuseUpdate } from '../updateRefusal.ts';

export interface UpdateGateExtensionDeps extends RefusalDeps {
  /** MAX_MESSAGE_BYTES: told to every connection, and named in the refusal of a larger update. */
  maxMessageBytes: number;
}

export class UpdateGateExtension implements Extension {
  constructor(
    readonly gates: UpdateGates,
    private readonly deps: UpdateGateExtensionDeps,
  ) {}

  async connected({ connection }: connectedPayload): Promise<void> {
    const { maxMessageBytes } = this.deps;
    connection.sendStateless(encodeCollabNotice({ type: 'limits', maxMessageBytes }));
  }

  async afterLoadDocument({ document }: afterLoadDocumentPayload): Promise<void> {
    dropPending(document, this.deps.log);
    await this.gates.open(document);
    // Emitted just before 'update', whose first listener logs the update (PersistenceExtension): the server's
    // client id is bound before the update that first writes under it is, and written with it.
    document.on('afterTransactionCleanup', this.noteServerWrite);
  }

  /** One listener for every document (the transaction names its document): not a closure per document. */
  private readonly noteServerWrite = (transaction: Y.Transaction): void => {
    if (isClientOrigin(transaction.origin)) return;
    const { afterState, beforeState, doc } = transaction;
    if (afterState.get(doc.clientID) !== beforeState.get(doc.clientID))
      this.gates.get(doc as Document)?.noteServerWrite();
  };

  async beforeSync({ connection, type, payload }: beforeSyncPayload): Promise<void> {
    if (type === messageYjsSyncStep1) return;
    if (isOversizeStandIn(payload))
      throw closeWith(refuseUpdate(connection, messageTooLarge(this.deps.maxMessageBytes), this.deps));
    // Read-only connections' updates are answered by Hocuspocus without applying them.
    if (connection.readOnly) return;
    const userId = (connection.context as CollabContext).user?.id;
    const gate = this.gates.get(connection.document);
    if (!gate || !userId)
      throw closeWith(new AppError('internal', 'document is not ready for updates; reconnect'));
    let refusal: ReturnType<typeof gate.admit>;
    try {
      refusal = gate.admit(payload, userId);
    } catch {
      throw closeWith(MALFORMED_FRAME);
    }
    if (refusal) throw closeWith(refuseUpdate(connection, refusal, this.deps));
  }
}

/** What Hocuspocus closes the document connection with when a hook throws. */
function closeWith(error: AppError): { code: number; reason: string } {
  return { code: error.closeCode, reason: error.closeReason };
}

/**
 * Content or deletions a document still holds as pending (accepted before updates were checked) can only ever
 * hit someone's future edits: they are dropped when the document loads, and the next snapshot leaves them out.
 */
function dropPending(document: Document, log: Logger): void {
  const { store } = document;
  if (!store.pendingStructs && !store.pendingDs) return;
  log.warn(
    { doc: document.name, structs: store.pendingStructs !== null, deletes: store.pendingDs !== null },
    'dropped pending Yjs content or deletions stored with the document',
  );
  store.pendingStructs = null;
  store.pendingDs = null;
}

function isClientOrigin(origin: unknown): boolean {
  return (
    typeof origin === 'object' && origin !== null && (origin as { source?: unknown }).source === 'connection'
  );
}
