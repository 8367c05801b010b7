// The shared full-state encoding of server/src/collab/SharedFullStates.ts on plain Hocuspocus documents: what it
// sends, when it is kept, and that nothing makes it stale (updates, pending updates, unload).
import { type Connection, Document } from '@hocuspocus/server';
import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import { messageYjsSyncStep1, messageYjsSyncStep2 } from 'y-protocols/sync';
import * as Y from 'yjs';
import { MIN_SHARED_STATE_BYTES, SharedFullStates } from '../../../server/src/collab/SharedFullStates.ts';

function bigDocument(name = 'class1/code/main'): Document {
  const document = new Document(name);
  document.getText('t').insert(0, 'x'.repeat(MIN_SHARED_STATE_BYTES + 100));
  return document;
}

/** A connection that records what is sent to it. */
function joiner(address: string): Connection & { sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  return { messageAddress: address, sent, send: (m: Uint8Array) => sent.push(m) } as never;
}

/** The step 2 message's address and state. */
function readStepTwo(message: Uint8Array): { address: string; state: Uint8Array } {
  const d = decoding.createDecoder(message);
  const address = decoding.readVarString(d);
  expect(decoding.readVarUint(d)).toBe(0); // MessageType.Sync
  expect(decoding.readVarUint(d)).toBe(messageYjsSyncStep2);
  const state = decoding.readVarUint8Array(d);
  expect(d.pos).toBe(message.length);
  return { address, state };
}

describe('SharedFullStates', () => {
  it("answers with the server's step 1, then the whole state, as Hocuspocus does", () => {
    const document = bigDocument();
    const c = joiner(document.name);
    new SharedFullStates(() => true).answer(c, document);
    expect(c.sent).toHaveLength(2);
    const d = decoding.createDecoder(c.sent[0]!);
    expect(decoding.readVarString(d)).toBe(document.name);
    expect(decoding.readVarUint(d)).toBe(0);
    expect(decoding.readVarUint(d)).toBe(messageYjsSyncStep1);
    expect(decoding.readVarUint8Array(d)).toEqual(Y.encodeStateVector(document));
    expect(readStepTwo(c.sent[1]!).state).toEqual(Y.encodeStateAsUpdate(document));
  });

  it('shares one message among joiners until the next update', () => {
    const document = bigDocument();
    const shared = new SharedFullStates(() => true);
    const first = shared.stepTwoFor(document, document.name);
    expect(shared.stepTwoFor(document, document.name)).toBe(first);
    expect(shared.counts).toEqual({ shared: 1, encoded: 1, stored: 0 });
    document.getText('t').insert(0, 'new');
    const next = shared.stepTwoFor(document, document.name);
    expect(next).not.toBe(first);
    expect(readStepTwo(next).state).toEqual(Y.encodeStateAsUpdate(document));
    expect(shared.counts).toEqual({ shared: 1, encoded: 2, stored: 0 });
  });

  it("builds a session-aware joiner's message from the shared state without keeping it", () => {
    const document = bigDocument();
    const shared = new SharedFullStates(() => true);
    shared.stepTwoFor(document, document.name);
    const own = readStepTwo(shared.stepTwoFor(document, `${document.name}\0s1`));
    expect(own.address).toBe(`${document.name}\0s1`);
    expect(own.state).toEqual(Y.encodeStateAsUpdate(document));
    expect(shared.counts).toEqual({ shared: 1, encoded: 1, stored: 0 });
  });

  it('does not keep encodings of small documents', () => {
    const document = new Document('small');
    document.getText('t').insert(0, 'hello');
    const shared = new SharedFullStates(() => true);
    shared.stepTwoFor(document, 'small');
    shared.stepTwoFor(document, 'small');
    expect(shared.counts).toEqual({ shared: 0, encoded: 2, stored: 0 });
  });

  it('never shares while the document holds updates it could not integrate (they change the encoding silently)', () => {
    const document = bigDocument();
    const shared = new SharedFullStates(() => true);
    shared.stepTwoFor(document, document.name);
    // A peer's second edit without its first: Yjs keeps it pending and emits no 'update'.
    const peer = new Y.Doc();
    const updates: Uint8Array[] = [];
    peer.on('update', (u: Uint8Array) => updates.push(u));
    peer.getText('p').insert(0, 'a');
    peer.getText('p').insert(1, 'b');
    Y.applyUpdate(document, updates[1]!);
    expect(document.store.pendingStructs).not.toBeNull();
    const withPending = readStepTwo(shared.stepTwoFor(document, document.name)).state;
    expect(withPending).toEqual(Y.encodeStateAsUpdate(document));
    shared.stepTwoFor(document, document.name);
    expect(shared.counts).toEqual({ shared: 0, encoded: 3, stored: 0 });
    // The missing edit arrives: both integrate, and the next encoding is kept again.
    Y.applyUpdate(document, updates[0]!);
    expect(document.store.pendingStructs).toBeNull();
    const settled = shared.stepTwoFor(document, document.name);
    expect(readStepTwo(settled).state).toEqual(Y.encodeStateAsUpdate(document));
    expect(shared.stepTwoFor(document, document.name)).toBe(settled);
  });

  it('serves a seeded stored state without encoding, until the next update', () => {
    const source = bigDocument();
    const stored = Y.encodeStateAsUpdate(source);
    const document = new Document(source.name);
    Y.applyUpdate(document, stored);
    const shared = new SharedFullStates(() => true);
    shared.seed(document, stored);
    expect(readStepTwo(shared.stepTwoFor(document, document.name)).state).toEqual(stored);
    expect(readStepTwo(shared.stepTwoFor(document, document.name)).state).toEqual(stored);
    expect(shared.counts).toEqual({ shared: 2, encoded: 0, stored: 0 });
    document.getText('t').insert(0, 'new');
    expect(readStepTwo(shared.stepTwoFor(document, document.name)).state).toEqual(
      Y.encodeStateAsUpdate(document),
    );
    expect(shared.counts.encoded).toBe(1);
  });

  it('does not seed a state the document could not integrate whole', () => {
    const peer = new Y.Doc();
    const updates: Uint8Array[] = [];
    peer.on('update', (u: Uint8Array) => updates.push(u));
    peer.getText('t').insert(0, 'x'.repeat(MIN_SHARED_STATE_BYTES + 100));
    peer.getText('t').insert(0, 'y');
    const stored = Y.mergeUpdates([updates[1]!, Y.encodeStateAsUpdate(bigDocument('other'))]);
    const document = new Document('class1/code/main');
    Y.applyUpdate(document, stored);
    expect(document.store.pendingStructs).not.toBeNull();
    const shared = new SharedFullStates(() => true);
    shared.seed(document, stored);
    shared.stepTwoFor(document, document.name);
    expect(shared.counts).toEqual({ shared: 0, encoded: 1, stored: 0 });
  });

  it('forgets a document when it is destroyed (unloaded), and every document when uninstalled', () => {
    const shared = new SharedFullStates(() => true);
    const uninstall = shared.install();
    try {
      const document = bigDocument();
      shared.stepTwoFor(document, document.name);
      expect(shared.documents).toBe(1);
      document.destroy();
      expect(shared.documents).toBe(0);
      const other = bigDocument('other');
      shared.stepTwoFor(other, other.name);
      expect(shared.documents).toBe(1);
    } finally {
      uninstall();
    }
    expect(shared.documents).toBe(0);
  });
});
