// Sync step 2 for joiners that have nothing yet, encoded once per document version and shared. A joiner's step 1
// carries its state vector; for an empty one the answer is the whole state, the same bytes for everyone who
// joins between two updates. Encoding a 1.4 MB document costs 35-80 ms (docs/benchmarks.md, "Performance
// targets (#19)"), which a join storm of 200 used to pay 200 times. Any update to the document drops the shared
// encoding (its 'update' event), so a joiner never gets a state older than the document it joins. Joiners with
// a non-empty state vector keep Hocuspocus's diff path.
import { type Connection, type Document, OutgoingMessage } from '@hocuspocus/server';
import * as encoding from 'lib0/encoding';
import { messageYjsSyncStep2 } from 'y-protocols/sync';
import * as Y from 'yjs';
import { interceptFullSync } from './libraryInternals.ts';

interface Shared {
  /** The whole state as one update. */
  state: Uint8Array;
  /** Finished step 2 messages by message address (one per document for Tandem's clients). */
  messages: Map<string, Uint8Array>;
}

const shared = new WeakMap<Document, Shared | null>();

/** Process-wide counts: joiners answered from a shared encoding, and encodings made (for tests and benches). */
export const fullSyncCounts = { answered: 0, encoded: 0 };

/** The document's whole state, encoded once per version. */
export function fullStateOf(document: Document): Uint8Array {
  return entryOf(document).state;
}

/**
 * Offers a full-state encoding the caller already has (a load's merged snapshot and log): the first joiner then
 * pays no encoding at all. Must be called when `state` is exactly the document's content, before any later
 * update; the next update drops it like any other.
 */
export function offerFullState(document: Document, state: Uint8Array): void {
  watch(document);
  shared.set(document, { state, messages: new Map() });
}

/** The step 2 message (address, Sync, SyncStep2, state) for `address`, shared by its joiners. */
export function fullSyncMessage(document: Document, address: string): Uint8Array {
  const entry = entryOf(document);
  let message = entry.messages.get(address);
  if (!message) {
    const e = encoding.createEncoder();
    encoding.writeVarString(e, address);
    encoding.writeVarUint(e, 0); // MessageType.Sync
    encoding.writeVarUint(e, messageYjsSyncStep2);
    encoding.writeVarUint8Array(e, entry.state);
    message = encoding.toUint8Array(e);
    entry.messages.set(address, message);
  }
  return message;
}

/** Answers a connection's empty sync step 1 as Hocuspocus does, with the shared step 2. */
function answerFullSync(connection: Connection, document: Document): void {
  const address = connection.messageAddress;
  connection.send(
    new OutgoingMessage(address).createSyncMessage().writeFirstSyncStepFor(document).toUint8Array(),
  );
  connection.send(fullSyncMessage(document, address));
  fullSyncCounts.answered++;
}

/** Routes every Hocuspocus connection's empty sync step 1 through the shared encoding (once per process). */
export function shareFullSyncs(): void {
  interceptFullSync(answerFullSync);
}

function entryOf(document: Document): Shared {
  let entry = shared.get(document);
  if (!entry) {
    watch(document);
    fullSyncCounts.encoded++;
    entry = { state: Y.encodeStateAsUpdate(document), messages: new Map() };
    shared.set(document, entry);
  }
  return entry;
}

function watch(document: Document): void {
  if (shared.has(document)) return;
  shared.set(document, null);
  // Every change to a document happens in a transaction, whose end comes before anyone can be sent the new
  // state. Transactions that change nothing (a joiner's own, empty, sync step 2) keep the encoding: dropping it
  // then would make every joiner of a storm encode again.
  document.on('afterTransaction', (transaction: Y.Transaction) => {
    if (changesEncoding(transaction)) shared.set(document, null);
  });
}

/**
 * Whether the document's full encoding may differ after the transaction: it deleted something, added structs
 * (the test Yjs itself uses before emitting 'update'), or the document holds updates it could not integrate yet
 * (pending ones are part of the encoding, and emit no 'update' when they arrive).
 */
function changesEncoding({ deleteSet, beforeState, afterState, doc }: Y.Transaction): boolean {
  if (deleteSet.clients.size > 0 || doc.store.pendingStructs !== null || doc.store.pendingDs !== null)
    return true;
  if (afterState.size !== beforeState.size) return true;
  for (const [client, clock] of afterState) if (beforeState.get(client) !== clock) return true;
  return false;
}
