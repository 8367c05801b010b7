// The client's side of the message limit (client/src/collab/messageLimit.ts): message sizes as the server
// measures them, and which documents a 1009 close is blamed on.
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import { blameForTooLarge, updateMessageBytes } from '../../../client/src/collab/messageLimit.ts';

/** The message @hocuspocus/provider sends for an update (UpdateMessage: address, Sync, Update, update). */
function encodedUpdateMessage(address: string, updateBytes: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, address);
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint8Array(e, new Uint8Array(updateBytes));
  return encoding.toUint8Array(e);
}

describe('updateMessageBytes', () => {
  it.each([
    ['class1/code/main', 0],
    ['class1/code/main', 127],
    ['class1/code/main', 128],
    ['class1/code/main', 16_383],
    ['class1/code/main', 16_384],
    ['class1/ws/émilie', 1_048_576],
    ['a'.repeat(200), 5000],
  ])('is the size of the encoded message for %s with %i update bytes', (address, bytes) => {
    expect(updateMessageBytes(address, bytes)).toBe(encodedUpdateMessage(address, bytes).byteLength);
  });
});

describe('blameForTooLarge', () => {
  const doc = (
    name: string,
    largestPendingUpdateBytes: number,
    maxMessageBytes: number | null,
    unsynced = 1,
  ) => ({
    name,
    largestPendingUpdateBytes,
    maxMessageBytes,
    unsynced,
  });

  it('blames the documents with a pending update over the limit they were told', () => {
    const docs = [doc('code', 9000, 4096), doc('board', 300, 4096), doc('other', 5000, 4096)];
    expect(blameForTooLarge(docs).map((d) => d.name)).toEqual(['code', 'other']);
  });

  it('without a limit told, blames the document with the largest pending update only', () => {
    const docs = [doc('code', 9000, null), doc('board', 300, null), doc('chat', 0, null, 0)];
    expect(blameForTooLarge(docs).map((d) => d.name)).toEqual(['code']);
  });

  it('with no pending update at all (a sync step 2 of a copy loaded from IndexedDB), blames every document with unacknowledged changes', () => {
    const docs = [doc('code', 0, 4096, 1), doc('board', 0, 4096, 0), doc('ws', 0, null, 2)];
    expect(blameForTooLarge(docs).map((d) => d.name)).toEqual(['code', 'ws']);
  });

  it('blames nothing when nothing was sent', () => {
    expect(blameForTooLarge([doc('code', 0, 4096, 0)])).toEqual([]);
  });
});
