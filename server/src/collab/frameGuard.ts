// Checks a Hocuspocus-protocol frame before Hocuspocus sees it: decodable address and type, a message
// type clients may send, and for sync updates a Yjs update that decodes. Cheap; no document access.
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { AppError } from '../errors.ts';

/** Hocuspocus message types a client may send (see @hocuspocus/server MessageType). */
const CLIENT_TYPES = new Set([
  0 /* Sync */, 1 /* Awareness */, 2 /* Auth */, 3 /* QueryAwareness */, 4 /* SyncReply */, 5 /* Stateless */,
  7 /* Close */,
]);
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;
/** Longest document address accepted, in bytes (names are far shorter; Hocuspocus compares them itself). */
const MAX_ADDRESS_BYTES = 1024;

/** The refusal for a frame whose message or Yjs update does not decode. */
export const MALFORMED_FRAME = new AppError(
  'bad_request',
  'malformed frame: could not decode message or Yjs update',
);

/** What a valid frame is: a Yjs update (sync type 2 on the Sync channel) or anything else. */
export type FrameKind = 'update' | 'other';

export function checkFrame(data: Uint8Array): AppError | FrameKind {
  try {
    const decoder = decoding.createDecoder(data);
    // The address is only measured and skipped, not decoded: Hocuspocus decodes it once itself.
    const addressBytes = decoding.readVarUint(decoder);
    if (addressBytes === 0 || addressBytes > MAX_ADDRESS_BYTES || decoder.pos + addressBytes > data.length)
      return new AppError('bad_request', 'malformed frame: bad document address');
    decoder.pos += addressBytes;
    const type = decoding.readVarUint(decoder);
    if (!CLIENT_TYPES.has(type)) return new AppError('bad_request', `unknown message type ${type}`);
    if (type === 0 || type === 4) {
      const syncType = decoding.readVarUint(decoder);
      if (syncType > 2) return new AppError('bad_request', `unknown sync message type ${syncType}`);
      const payload = decoding.readVarUint8Array(decoder);
      if (syncType === SYNC_STEP2 || syncType === SYNC_UPDATE) Y.decodeUpdate(payload);
      else Y.decodeStateVector(payload);
      if (type === 0 && syncType === SYNC_UPDATE) return 'update';
    } else if (type === 1) {
      decoding.readVarUint8Array(decoder);
    }
    return 'other';
  } catch {
    return MALFORMED_FRAME;
  }
}
