// Client messages larger than MAX_MESSAGE_BYTES but within the frame cap (config.limits.maxFrameBytes). A Yjs
// update that large is refused as data (`message_too_large`), so the client sets it aside and resyncs instead of
// reconnecting and resending it forever (a socket closed with 1009 is all an over-cap frame gets). The socket
// layer puts a stand-in where the frame was: a sync update with an empty payload, which no client can send (the
// frame guard and the direct path refuse it as malformed). Hocuspocus handles the stand-in in the document's
// message order, queued before authentication or not, and the update gate's beforeSync refuses it like any
// other update (UpdateGateExtension): notice, document connection closed with 4422, its queued messages dropped.
import { MessageType } from '@hocuspocus/server';
import type { UpdateRefusal } from '@tandem/shared';
import * as decoding from 'lib0/decoding';
import { messageYjsSyncStep2, messageYjsUpdate } from 'y-protocols/sync';
import { AppError } from '../errors.ts';
import { MAX_ADDRESS_BYTES } from './frameGuard.ts';

/** After the address: Sync, sync update, an empty update (its length, 0). */
const STAND_IN_TAIL = [MessageType.Sync, messageYjsUpdate, 0];

/**
 * The stand-in for an oversize Hocuspocus-protocol frame carrying a Yjs update (sync step 2 or update), for the
 * same document address; the socket's refusal (1009) for anything else that large.
 */
export function standInForOversize(frame: Uint8Array, maxMessageBytes: number): Uint8Array | AppError {
  try {
    const decoder = decoding.createDecoder(frame);
    // The address is copied as it came, not decoded: it is compared byte for byte downstream anyway.
    const addressBytes = decoding.readVarUint(decoder);
    if (addressBytes > 0 && addressBytes <= MAX_ADDRESS_BYTES) {
      const addressEnd = decoder.pos + addressBytes;
      decoder.pos = addressEnd;
      const type = decoding.readVarUint(decoder);
      const syncType =
        type === MessageType.Sync || type === MessageType.SyncReply ? decoding.readVarUint(decoder) : -1;
      if (syncType === messageYjsSyncStep2 || syncType === messageYjsUpdate) {
        const standIn = new Uint8Array(addressEnd + STAND_IN_TAIL.length);
        standIn.set(frame.subarray(0, addressEnd));
        standIn.set(STAND_IN_TAIL, addressEnd);
        return standIn;
      }
    }
  } catch {
    // Too short to name a document: refused like any other oversize message.
  }
  return oversizeFrameError(maxMessageBytes);
}

/** True for the update payload of a stand-in (a real Yjs update is never empty: "nothing" encodes as 2 bytes). */
export function isOversizeStandIn(update: Uint8Array): boolean {
  return update.byteLength === 0;
}

/** What the client is told: the limit, and what to do instead. */
export function messageTooLarge(maxMessageBytes: number): UpdateRefusal {
  return {
    code: 'message_too_large',
    reason: `one change may be at most ${maxMessageBytes} bytes; paste or change less at a time`,
  };
}

/** The socket's refusal of an oversize message that is no update (or arrives before any authentication). */
export function oversizeFrameError(maxMessageBytes: number): AppError {
  return new AppError('too_large', `messages are limited to ${maxMessageBytes} bytes`);
}
