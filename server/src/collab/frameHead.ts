// The head of a Hocuspocus-protocol frame: its document address, message type and, for a sync message, the sync
// step. Read once by each socket-level rule that sorts frames before Hocuspocus sees them.
import { MessageType } from '@hocuspocus/server';
import * as decoding from 'lib0/decoding';

export interface FrameHead {
  address: string;
  type: number;
  /**
   * The sync step (y-protocols' messageYjsSyncStep1/2, messageYjsUpdate) of a Sync message, or of a SyncReply
   * (Hocuspocus's name for a sync message the server sends in reply); -1 for other messages.
   */
  syncType: number;
  /** Where the message's body (after the head) starts in the frame. */
  bodyAt: number;
}

/** The frame's head, or undefined when it does not decode (the frame guard refuses it with its own reason). */
export function readFrameHead(frame: Uint8Array): FrameHead | undefined {
  try {
    const decoder = decoding.createDecoder(frame);
    const address = decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    const sync = type === MessageType.Sync || type === MessageType.SyncReply;
    const syncType = sync ? decoding.readVarUint(decoder) : -1;
    return { address, type, syncType, bodyAt: decoder.pos };
  } catch {
    return undefined;
  }
}
