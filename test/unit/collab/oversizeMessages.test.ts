// The stand-in for an oversize update (server/src/collab/oversizeMessages.ts): same document address, an empty
// update no client can send, and 1009 for anything that large that is no update.
import { CLOSE_CODES } from '@tandem/shared';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkFrame, MALFORMED_FRAME } from '../../../server/src/collab/frameGuard.ts';
import {
  isOversizeStandIn,
  messageTooLarge,
  standInForOversize,
} from '../../../server/src/collab/oversizeMessages.ts';
import { AppError } from '../../../server/src/errors.ts';

const LIMIT = 4096;

function frame(address: string, type: number, write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, address);
  encoding.writeVarUint(e, type);
  write(e);
  return encoding.toUint8Array(e);
}
const bigUpdate = () => {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'x'.repeat(LIMIT * 2));
  return Y.encodeStateAsUpdate(doc);
};
const sync = (address: string, type: number, syncType: number, update: Uint8Array) =>
  frame(address, type, (e) => {
    encoding.writeVarUint(e, syncType);
    encoding.writeVarUint8Array(e, update);
  });

describe('standInForOversize', () => {
  it.each([
    ['an update', 0, 2],
    ['a sync step 2', 0, 1],
    ['a SyncReply step 2', 4, 1],
  ])('replaces %s by an empty update for the same document', (_name, type, syncType) => {
    const address = 'class1/code/main\u0000session-é';
    const standIn = standInForOversize(sync(address, type, syncType, bigUpdate()), LIMIT);
    expect(standIn).toBeInstanceOf(Uint8Array);
    const d = decoding.createDecoder(standIn as Uint8Array);
    expect(decoding.readVarString(d)).toBe(address);
    expect([decoding.readVarUint(d), decoding.readVarUint(d)]).toEqual([0, 2]);
    const update = decoding.readVarUint8Array(d);
    expect(decoding.hasContent(d)).toBe(false);
    expect(isOversizeStandIn(update)).toBe(true);
    // No client can send it: the frame guard refuses an empty update.
    expect(checkFrame(standIn as Uint8Array)).toBe(MALFORMED_FRAME);
  });

  it.each([
    ['a sync step 1', sync('d', 0, 0, new Uint8Array(LIMIT * 2))],
    ['an awareness update', frame('d', 1, (e) => encoding.writeVarUint8Array(e, new Uint8Array(LIMIT * 2)))],
    ['a stateless message', frame('d', 5, (e) => encoding.writeVarString(e, 'x'.repeat(LIMIT * 2)))],
    ['a frame with no address', new Uint8Array(LIMIT * 2)],
    ['an address longer than any document name', sync('a'.repeat(2000), 0, 2, bigUpdate())],
    ['a truncated header', new Uint8Array([0xff, 0xff, 0xff])],
  ])('closes the socket with 1009 for %s', (_name, data) => {
    const refusal = standInForOversize(data, LIMIT);
    expect(refusal).toBeInstanceOf(AppError);
    expect((refusal as AppError).closeCode).toBe(CLOSE_CODES.tooLarge);
    expect((refusal as AppError).closeReason).toBe(`messages are limited to ${LIMIT} bytes`);
  });

  it('a real Yjs update is never taken for the stand-in, not even an empty one', () => {
    expect(isOversizeStandIn(Y.encodeStateAsUpdate(new Y.Doc()))).toBe(false);
    expect(isOversizeStandIn(bigUpdate())).toBe(false);
  });

  it('names the limit and what to do in the refusal', () => {
    expect(messageTooLarge(LIMIT)).toEqual({
      code: 'message_too_large',
      reason: 'one change may be at most 4096 bytes; paste or change less at a time',
    });
  });
});
