// The shared full-state encoding: one per document version, dropped by any change, never stale.
import { Document } from '@hocuspocus/server';
import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  fullStateOf,
  fullSyncCounts,
  fullSyncMessage,
  offerFullState,
} from '../../../server/src/collab/fullState.ts';

function contentOf(state: Uint8Array): string {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc.getText('t').toString();
}

function stateInMessage(message: Uint8Array): {
  address: string;
  type: number;
  step: number;
  state: Uint8Array;
} {
  const d = decoding.createDecoder(message);
  return {
    address: decoding.readVarString(d),
    type: decoding.readVarUint(d),
    step: decoding.readVarUint(d),
    state: decoding.readVarUint8Array(d),
  };
}

describe('full-state encoding shared by joiners', () => {
  it('is encoded once per document version and shared while nothing changes', () => {
    const document = new Document('c/code/a');
    document.getText('t').insert(0, 'hello');
    const before = fullSyncCounts.encoded;
    const first = fullSyncMessage(document, document.name);
    expect(fullSyncMessage(document, document.name)).toBe(first);
    expect(fullStateOf(document)).toBe(fullStateOf(document));
    expect(fullSyncCounts.encoded - before).toBe(1);
    expect(stateInMessage(first)).toMatchObject({ address: 'c/code/a', type: 0, step: 1 });
    expect(contentOf(stateInMessage(first).state)).toBe('hello');
  });

  it('is dropped by any update, so the next joiner gets the new state', () => {
    const document = new Document('c/code/b');
    document.getText('t').insert(0, 'hello');
    const old = fullSyncMessage(document, document.name);
    document.getText('t').insert(5, ' world');
    const next = fullSyncMessage(document, document.name);
    expect(next).not.toBe(old);
    expect(contentOf(stateInMessage(next).state)).toBe('hello world');
    // A deletion too.
    document.getText('t').delete(0, 6);
    expect(contentOf(fullStateOf(document))).toBe('world');
  });

  it('is dropped by an update a remote peer sends (applied from outside)', () => {
    const document = new Document('c/code/c');
    const peer = new Y.Doc();
    peer.getText('t').insert(0, 'abc');
    Y.applyUpdate(document, Y.encodeStateAsUpdate(peer));
    expect(contentOf(fullStateOf(document))).toBe('abc');
    peer.getText('t').insert(3, 'def');
    Y.applyUpdate(document, Y.encodeStateAsUpdate(peer, Y.encodeStateVector(document)));
    expect(contentOf(fullStateOf(document))).toBe('abcdef');
  });

  it('takes an offered encoding (a load) without encoding, until the next update', () => {
    const document = new Document('c/code/d');
    const source = new Y.Doc();
    source.getText('t').insert(0, 'loaded');
    const loaded = Y.encodeStateAsUpdate(source);
    Y.applyUpdate(document, loaded);
    const before = fullSyncCounts.encoded;
    offerFullState(document, loaded);
    expect(fullStateOf(document)).toBe(loaded);
    expect(fullSyncCounts.encoded).toBe(before);
    document.getText('t').insert(0, '!');
    expect(contentOf(fullStateOf(document))).toBe('!loaded');
  });

  it('keeps one message per address (session-aware addresses differ)', () => {
    const document = new Document('c/code/e');
    document.getText('t').insert(0, 'x');
    const plain = fullSyncMessage(document, document.name);
    const session = fullSyncMessage(document, `${document.name}\0s1`);
    expect(session).not.toBe(plain);
    expect(stateInMessage(session).address).toBe(`${document.name}\0s1`);
    expect(contentOf(stateInMessage(session).state)).toBe('x');
  });
});

describe('what drops the shared encoding', () => {
  it('a transaction that changes nothing (a joiner sending its empty state) keeps it', () => {
    const document = new Document('c/code/f');
    document.getText('t').insert(0, 'kept');
    const message = fullSyncMessage(document, document.name);
    Y.applyUpdate(document, Y.encodeStateAsUpdate(new Y.Doc()));
    Y.applyUpdate(document, Y.encodeStateAsUpdate(document));
    expect(fullSyncMessage(document, document.name)).toBe(message);
  });

  it('an update the document cannot integrate yet (held as pending) drops it: pending updates are encoded too', () => {
    const document = new Document('c/code/g');
    document.getText('t').insert(0, 'a');
    const before = fullStateOf(document);
    const peer = new Y.Doc();
    const updates: Uint8Array[] = [];
    peer.on('update', (u: Uint8Array) => updates.push(u));
    peer.getText('t').insert(0, 'b');
    peer.getText('t').insert(1, 'c');
    // Only the second edit: it depends on the first, so the document holds it as pending.
    Y.applyUpdate(document, updates[1]!);
    expect(document.store.pendingStructs).not.toBeNull();
    const after = fullStateOf(document);
    expect(after).not.toBe(before);
    expect(after).toEqual(Y.encodeStateAsUpdate(document));
  });
});
