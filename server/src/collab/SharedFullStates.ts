// Answers joiners that have nothing yet from one encoding of the document per version (issue #19, joins).
// A joiner's sync step 1 carries its state vector; for an empty one the answer is the document's whole state,
// the same bytes for everyone who joins between two updates. Hocuspocus encodes it again for each of them
// (35-80 ms for a 1.4 MB document, paid 200 times by a join storm of 200: docs/benchmarks.md, "Join storm").
// Here the finished sync step 2 message is kept per loaded document until the document's next 'update' or its
// unload, so a joiner never gets a state older than the document it joins. Joiners with a non-empty state
// vector keep Hocuspocus's diff path (libraryInternals.ts routes only empty ones here). A document loaded from
// storage starts out with its stored bytes as that message (seed): no encoding until its first update.
//
// Memory: at most one encoding per loaded document, which is smaller than the document's own in-memory
// structures and is what Hocuspocus allocates per joiner anyway. No upper size limit: the largest documents
// are the ones whose re-encoding costs most. Encodings under MIN_SHARED_STATE_BYTES are not kept: encoding
// them again costs well under a millisecond, and idle small documents (most of a class) then hold nothing.
import { type Connection, type Document, OutgoingMessage } from '@hocuspocus/server';
import * as Y from 'yjs';
import type { CollabContext } from './context.ts';
import { type FullStateMessage, stepTwoMessage } from './fullStateMessage.ts';
import { type FullSyncAnswerer, interceptFullSyncs } from './libraryInternals.ts';
import { takeSentState } from './storedStateAnswers.ts';

/** Full-state encodings smaller than this are made per joiner and not kept (about 0.2 ms to encode). */
export const MIN_SHARED_STATE_BYTES = 4096;

export interface FullSyncCounts {
  /** Joiners answered with an encoding made for an earlier joiner. */
  shared: number;
  /** Full-state encodings made (kept or not). */
  encoded: number;
  /** Joiners sent the stored state while their document loaded (storedStateAnswers.ts). */
  stored: number;
}

export class SharedFullStates implements FullSyncAnswerer {
  /** Documents whose update and destroy events are watched; the value is their current shared encoding. */
  private readonly entries = new Map<Document, FullStateMessage | undefined>();

  /**
   * `owns`: whether a document is one this server has loaded (Hocuspocus's `documents`); `counts`: where to
   * count (the metrics' plain counts in the server).
   */
  constructor(
    readonly owns: (document: Document) => boolean,
    readonly counts: FullSyncCounts = { shared: 0, encoded: 0, stored: 0 },
  ) {}

  /** Documents watched (each holds at most one encoding). */
  get documents(): number {
    return this.entries.size;
  }

  answer(connection: Connection, document: Document): void {
    const address = connection.messageAddress;
    connection.send(
      new OutgoingMessage(address).createSyncMessage().writeFirstSyncStepFor(document).toUint8Array(),
    );
    // Sent the stored state while the document loaded (storedStateAnswers.ts): only what changed since.
    const sentState = takeSentState(
      (connection.context as Partial<CollabContext> | undefined)?.socket,
      address,
    );
    if (sentState) {
      this.counts.stored++;
      connection.send(stepTwoMessage(address, Y.encodeStateAsUpdate(document, sentState)).message);
    } else connection.send(this.stepTwoFor(document, address));
  }

  /**
   * Keeps `state`, the stored state `document` was just built from, as its shared full state: the next joiner
   * gets it without an encoding. Only when the document integrated all of it (else it is not the same state).
   */
  seed(document: Document, state: Uint8Array): void {
    if (state.byteLength < MIN_SHARED_STATE_BYTES || !isSettled(document)) return;
    this.keep(document, stepTwoMessage(document.name, state));
  }

  /** Routes this server's empty sync steps 1 here until the returned function is called. */
  install(): () => void {
    const uninstall = interceptFullSyncs(this);
    return () => {
      uninstall();
      for (const document of [...this.entries.keys()]) this.forget(document);
    };
  }

  /** The sync step 2 message carrying `document`'s whole state, prefixed with `address`. */
  stepTwoFor(document: Document, address: string): Uint8Array {
    let shared = this.entries.get(document);
    if (shared && isSettled(document)) this.counts.shared++;
    else {
      shared = encodeStepTwo(document, document.name);
      this.counts.encoded++;
      if (shared.message.byteLength - shared.stateOffset >= MIN_SHARED_STATE_BYTES && isSettled(document))
        this.keep(document, shared);
      else if (this.entries.has(document)) this.entries.set(document, undefined);
    }
    if (address === document.name) return shared.message;
    // A session-aware provider's address (name\0session) is unique per connection: built per joiner from the
    // shared state, never kept, so memory stays at one message per document.
    return stepTwoMessage(address, shared.message.subarray(shared.stateOffset)).message;
  }

  private keep(document: Document, shared: FullStateMessage): void {
    if (!this.entries.has(document)) {
      document.on('update', this.dropShared);
      document.on('destroy', this.forgetDestroyed);
    }
    this.entries.set(document, shared);
  }

  private forget(document: Document): void {
    document.off('update', this.dropShared);
    document.off('destroy', this.forgetDestroyed);
    this.entries.delete(document);
  }

  // Yjs passes the document as the update listener's fourth argument and as the destroy listener's only one.
  private readonly dropShared = (_update: Uint8Array, _origin: unknown, document: Y.Doc) => {
    this.entries.set(document as Document, undefined);
  };

  private readonly forgetDestroyed = (document: Y.Doc) => this.forget(document as Document);
}

function encodeStepTwo(document: Document, address: string): FullStateMessage {
  return stepTwoMessage(address, Y.encodeStateAsUpdate(document));
}

/**
 * Whether the document holds no update it could not integrate yet. Such pending updates are part of the full
 * encoding, and their arrival can change it without an 'update' event: while there are any, every joiner gets
 * an encoding of its own, and one made meanwhile is not kept.
 */
function isSettled(document: Document): boolean {
  return document.store.pendingStructs === null && document.store.pendingDs === null;
}
