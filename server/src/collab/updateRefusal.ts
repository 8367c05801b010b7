// What a refused client update sets off, on every path that can refuse one (the direct path and Hocuspocus's
// sync handling): counted, logged, the client told with a typed `updateRefused` notice, and the document
// connection closed (on /yjs, whose clients have no notices, the socket closes with 4422 and the reason).
// Frames the client sent for that document before it learnt of the refusal are dropped rather than queued by
// Hocuspocus for the document's next connection on the socket (where they would be refused again).
import { type Connection, MessageType } from '@hocuspocus/server';
import { encodeCollabNotice, type UpdateRefusal } from '@tandem/shared';
import * as decoding from 'lib0/decoding';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../metrics.ts';
import type { CollabContext } from './context.ts';

export interface RefusalDeps {
  metrics: Pick<Metrics, 'updatesRefused'>;
  log: Logger;
}

/** Tells the client and returns the error to close the document connection with (the caller closes it). */
export function refuseUpdate(
  connection: Connection<CollabContext>,
  refusal: UpdateRefusal,
  { metrics, log }: RefusalDeps,
): AppError {
  const { user, socket } = connection.context;
  metrics.updatesRefused.inc({ code: refusal.code });
  log.info({ doc: connection.document.name, user: user?.id, ...refusal }, 'client update refused');
  connection.sendStateless(encodeCollabNotice({ type: 'updateRefused', ...refusal }));
  const error = new AppError('update_refused', `${refusal.code}: ${refusal.reason}`, { ...refusal });
  if (socket?.endpoint === 'yjs') socket.ws.close(error.closeCode, error.closeReason);
  else if (socket) {
    socket.refusedAddresses ??= new Set();
    socket.refusedAddresses.add(connection.messageAddress);
  }
  return error;
}

/** The direct path's refusal: tell the client, then close its document connection as Hocuspocus would. */
export function closeRefused(
  connection: Connection<CollabContext>,
  refusal: UpdateRefusal,
  deps: RefusalDeps,
): void {
  const error = refuseUpdate(connection, refusal, deps);
  connection.close({ code: error.closeCode, reason: error.closeReason });
}

/**
 * True for a frame addressed to a document whose connection was closed by a refusal, until the client
 * authenticates that document again (its auth frame ends the dropping and goes through).
 */
export function droppedAfterRefusal(frame: Uint8Array, refused: Set<string>): boolean {
  try {
    const decoder = decoding.createDecoder(frame);
    const address = decoding.readVarString(decoder);
    if (!refused.has(address)) return false;
    if (decoding.readVarUint(decoder) !== MessageType.Auth) return true;
    refused.delete(address);
    return false;
  } catch {
    // The frame guard refuses what does not decode.
    return false;
  }
}
