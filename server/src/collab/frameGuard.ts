// Checks a Hocuspocus-protocol frame before Hocuspocus sees it: decodable address and type, a message
// type clients may send, and for sync updates a Yjs update that decodes. Cheap; no document access.
import { MessageType } from '@hocuspocus/server';
import * as decoding from 'lib0/decoding';
import { messageYjsSyncStep2, messageYjsUpdate } from 'y-protocols/sync';
import * as Y from 'yjs';
import { AppError } from '../errors.ts';
import { parseState, readAwarenessUpdate } from './presence/awarenessUpdate.ts';

/** Hocuspocus message types a client may send. */
const CLIENT_TYPES = new Set<number>([
  MessageType.Sync,
  MessageType.Awareness,
  MessageType.Auth,
  MessageType.QueryAwareness,
  MessageType.SyncReply,
  MessageType.Stateless,
  MessageType.CLOSE,
]);
/** Longest document address accepted, in bytes (names are far shorter; Hocuspocus compares them itself). */
export const MAX_ADDRESS_BYTES = 1024;

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
    if (type === MessageType.Sync || type === MessageType.SyncReply) {
      const syncType = decoding.readVarUint(decoder);
      if (syncType > messageYjsUpdate)
        return new AppError('bad_request', `unknown sync message type ${syncType}`);
      const payload = decoding.readVarUint8Array(decoder);
      if (syncType === messageYjsSyncStep2 || syncType === messageYjsUpdate) {
        // An empty payload stands in for an oversize update server-side (oversizeMessages.ts): never a client's.
        if (payload.byteLength === 0) return MALFORMED_FRAME;
        Y.decodeUpdate(payload);
      } else Y.decodeStateVector(payload);
      if (type === MessageType.Sync && syncType === messageYjsUpdate) return 'update';
    } else if (type === MessageType.Awareness) {
      // Frames Tandem's presence path does not route (a connection not yet established) reach Hocuspocus,
      // which throws on a bad entry; refuse those here with the same reasons as the presence path.
      const entries = readAwarenessUpdate(decoding.readVarUint8Array(decoder));
      if (entries instanceof AppError) return entries;
      for (const entry of entries) {
        const state = parseState(entry);
        if (state instanceof AppError) return state;
      }
    }
    return 'other';
  } catch {
    return MALFORMED_FRAME;
  }
}
