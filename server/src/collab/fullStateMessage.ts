// The sync step 2 message that carries a whole document state, addressed to one document on a socket.
import { MessageType } from '@hocuspocus/server';
import * as encoding from 'lib0/encoding';
import { messageYjsSyncStep2 } from 'y-protocols/sync';

export interface FullStateMessage {
  /** Address, Sync, SyncStep2, then the whole state: the step 2 message for the document's own address. */
  message: Uint8Array;
  /** Where the state starts inside `message`. */
  stateOffset: number;
}

/** The step 2 message for `address` carrying `state` (a whole document state, or a diff of one). */
export function stepTwoMessage(address: string, state: Uint8Array): FullStateMessage {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, address);
  encoding.writeVarUint(e, MessageType.Sync);
  encoding.writeVarUint(e, messageYjsSyncStep2);
  encoding.writeVarUint(e, state.byteLength);
  const stateOffset = encoding.length(e);
  encoding.writeUint8Array(e, state);
  return { message: encoding.toUint8Array(e), stateOffset };
}
